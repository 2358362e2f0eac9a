"""The demo's five forces and plan figures (issues 4 and 5): organisations, social workers,
volunteers (three with portal accounts), charity, the three lists, and the county's yearly
figures for the indicators — each app's own ``demo.py``, called in the order they depend on
(needs come from filed residents; offers from organisations)."""

from __future__ import annotations

from django.utils import timezone

from wushe.accounts.models import User
from wushe.regions.models import Region


def build_forces(*, actor: User, county: Region, password: str) -> dict[str, int]:
    """Seed each app once; the rows each wrote (0 for those already there)."""
    from wushe.charity import demo as charity
    from wushe.indicators import demo as indicators
    from wushe.matching import demo as matching
    from wushe.organisations import demo as organisations
    from wushe.volunteers import demo as volunteers
    from wushe.workers import demo as workers

    today = timezone.localdate()
    return {
        "organisations": organisations.seed(actor=actor, county=county),
        "social workers": workers.seed(actor=actor, county=county),
        "volunteers": volunteers.seed(actor=actor, county=county, password=password),
        "donations": charity.seed(actor=actor, county=county),
        "needs and offers": matching.seed(actor=actor, county=county, today=today),
        "indicator figures": indicators.demo_indicators(actor=actor, county=county),
    }


def volunteer_logins() -> list[User]:
    """The demo's volunteer portal accounts, in their order."""
    from wushe.volunteers.demo import PORTAL_ACCOUNTS

    names = [username for username, _index in PORTAL_ACCOUNTS]
    found = {user.username: user for user in User.objects.filter(username__in=names)}
    return [found[name] for name in names if name in found]
