"""Proposals and unmet needs in words (the run's page, the command, the API): why this
supplier, who came next, and what to recruit for a need nobody could take."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.matching.choices import UnmetReason
from wushe.matching.models import Proposal, UnmetNeed

# What a station can do about each unmet reason: whom to recruit or what to fix.
REMEDIES = {
    UnmetReason.NO_CANDIDATE_SKILL: gettext_lazy("Recruit volunteers with the skills."),
    UnmetReason.NO_SKILL_NEARBY: gettext_lazy("Recruit volunteers with the skills near the place."),
    UnmetReason.NO_TIME: gettext_lazy("Recruit volunteers free at that time, or widen the window."),
    UnmetReason.NO_CAPACITY: gettext_lazy(
        "Recruit more volunteers: those suitable are fully booked."
    ),
    UnmetReason.DECLINED: gettext_lazy("Ask other volunteers or an organisation."),
    UnmetReason.NO_LOCATION: gettext_lazy(
        "Give the place's coordinates or import the village's point."
    ),
}


def supplier_name(supplier) -> str:
    if supplier is None:
        return ""
    if hasattr(supplier, "organisation"):
        return str(supplier.organisation)
    return str(supplier)


def why(proposal: Proposal) -> str:
    """距离 2.3 km · 多余技能 1 · 本周第 2 项任务"""
    parts = [
        _("%(km)s km away") % {"km": f"{proposal.distance_km:.1f}"},
        _("exact skills")
        if proposal.skill_fit == 0
        else _("%(n)s other skills") % {"n": proposal.skill_fit},
        _("task %(n)s of the week") % {"n": proposal.load},
        _("cost %(cost)s") % {"cost": proposal.cost},
    ]
    if proposal.edited:
        parts.append(_("chosen by hand"))
    return " · ".join(parts)


def next_best(proposal: Proposal) -> str:
    """The next best candidate and its cost alone, or that there was none."""
    supplier = proposal.next_supplier
    if supplier is None:
        return _("none: the only one who could")
    text = _("%(name)s, %(km)s km, cost %(cost)s") % {
        "name": supplier_name(supplier),
        "km": f"{proposal.next_distance_km:.1f}" if proposal.next_distance_km is not None else "?",
        "cost": proposal.next_cost,
    }
    if proposal.next_taken:
        text += _(" (fully booked by this run)")
    return text


def remedy(unmet: UnmetNeed) -> str:
    return str(REMEDIES[UnmetReason(unmet.reason)])


def need_label(need) -> str:
    """Need 12 · 助餐送餐 · 张三 (科技园社区): how a need is named in lists and the command."""
    who = need.resident.name if need.resident_id else (need.group.name if need.group_id else "")
    place = need.region.name if need.region_id else ""
    return _("Need %(id)s · %(who)s (%(place)s)") % {
        "id": need.pk,
        "who": who,
        "place": place,
    }
