"""Sample organisations for the tests of the organisations app and the scope matrix."""

from __future__ import annotations

from wushe.accounts.models import User
from wushe.core.service_areas import ServiceArea
from wushe.organisations.choices import OrganisationType
from wushe.organisations.credit_codes import make_credit_code
from wushe.organisations.models import Organisation
from wushe.organisations.services import organisation_register
from wushe.regions.models import Region


def credit_code(sequence: int, region6: str = "440305") -> str:
    """A well-formed code of a social service organisation (5 民政, 2 民办非企业单位)."""
    return make_credit_code(f"52{region6}MJ{sequence:06d}")


def make_organisation(
    actor: User, code: str, sequence: int, name: str = "", **fields
) -> Organisation:
    fields.setdefault("kind", OrganisationType.SOCIAL_WORK)
    fields.setdefault("service_areas", [ServiceArea.ELDERLY, ServiceArea.CHILDREN])
    return organisation_register(
        actor=actor,
        name=name or f"社工服务中心{sequence}",
        credit_code=credit_code(sequence, code[:6]),
        region=Region.objects.get(code=code),
        contact_person="李主任",
        contact_phone="0755-26888888",
        **fields,
    )
