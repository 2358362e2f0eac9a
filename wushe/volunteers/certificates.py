"""Issuing service-record certificates (志愿服务记录证明出具), as the 2020 《志愿服务记录与证明
出具办法》 asks: on request, for the hours recorded, by the organisation that recorded them.

Staff issue one for a volunteer of their subtree; a volunteer issues their own from the portal.
The issuer is a service site: one the staff member chooses, else the volunteer's township
station, else the county's centre, else their village's room. Each issue is a new certificate
with its own number ("ZM" + year + 6 digits), recorded in the audit log; printing it again
gives the same document (``certificate_pdf``), since it covers the ledger up to a fixed entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.core.sums import cents
from wushe.people.identity import mask_id_number
from wushe.regions import codes
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region, Site
from wushe.volunteers.choices import EntryKind
from wushe.volunteers.models import Certificate, LedgerEntry, Volunteer
from wushe.volunteers.numbers import NUMBER_ATTEMPTS, next_number
from wushe.volunteers.services import can_write, field_error

ISSUER_KINDS = (SiteKind.STATION, SiteKind.CENTRE, SiteKind.ROOM)  # in order of preference


def may_issue(actor: User, volunteer: Volunteer) -> bool:
    """Staff who write volunteers' records in the volunteer's subtree, or the volunteer."""
    if getattr(actor, "is_volunteer", False):
        return volunteer.user_id is not None and volunteer.user_id == actor.pk
    return can_write(actor) and actor.can_see_code(volunteer.region_id)


def default_issuer(volunteer: Volunteer) -> Site | None:
    """The operating site nearest the volunteer that may issue: their township's station, the
    county's centre, or their village's room."""
    lineage = codes.lineage(volunteer.region_id)
    sites = list(
        Site.objects.filter(
            region_id__in=lineage, status=SiteStatus.OPERATING, kind__in=ISSUER_KINDS
        ).order_by("id")
    )
    sites.sort(key=lambda site: (ISSUER_KINDS.index(site.kind), lineage.index(site.region_id)))
    return sites[0] if sites else None


def issuer_choices(actor: User):
    """Sites a staff member may name as the issuer: operating ones in their subtree."""
    return Site.objects.visible_to(actor).filter(status=SiteStatus.OPERATING).order_by("name")


def _issuer_name(volunteer: Volunteer, site: Site | None) -> str:
    if site is not None:
        return site.name
    # No site at all: the township (street) itself, which the volunteer's village belongs to.
    township = Region.objects.filter(code=codes.lineage(volunteer.region_id)[1]).first()
    return township.name if township else volunteer.region.name


def certificate_issue(
    *, actor: User, volunteer: Volunteer, issuer_site: Site | None = None
) -> Certificate:
    if not may_issue(actor, volunteer):
        raise PermissionDenied(_("You cannot issue a certificate for this volunteer."))
    if issuer_site is not None and (
        actor.is_volunteer or not issuer_choices(actor).filter(pk=issuer_site.pk).exists()
    ):
        raise field_error("issuer_site", _("No such site."), "not_found")
    site = issuer_site or default_issuer(volunteer)
    today = timezone.localdate()
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                entries = LedgerEntry.objects.filter(volunteer=volunteer)
                last = entries.order_by("-id").values_list("id", flat=True).first() or 0
                totals = entries.filter(id__lte=last).aggregate(
                    hours=Coalesce(Sum("hours"), Decimal(0))
                )
                certificate = Certificate(
                    number=next_number(Certificate, f"ZM{today:%Y}", width=6, field="number"),
                    volunteer=volunteer,
                    name=volunteer.name,
                    id_masked=mask_id_number(volunteer.id_number),
                    hours=cents(totals["hours"]),
                    upto_entry_id=last,
                    issuer=_issuer_name(volunteer, site),
                    issuer_site=site,
                    issued_on=today,
                    issued_by=actor,
                )
                certificate.save()
                audit_record(
                    actor=actor,
                    action=Action.CREATE,
                    obj=certificate,
                    region_code=volunteer.region_id,
                    changes={
                        "volunteer": [None, volunteer.number],
                        "hours": [None, str(certificate.hours)],
                        "issuer": [None, certificate.issuer],
                    },
                )
            return certificate
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def certificate_printed(*, actor: User, certificate: Certificate) -> None:
    """Printing an issued certificate again is recorded as an export of the person's record."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=certificate,
        region_code=certificate.volunteer.region_id,
    )


@dataclass(frozen=True)
class Line:
    day: date
    content: str
    hours: Decimal
    honour: bool


def certificate_lines(certificate: Certificate) -> list[Line]:
    """The services the certificate lists: hours earned or honoured up to its last entry, less
    those corrected by then (a corrected entry and its correction cancel out)."""
    entries = list(
        LedgerEntry.objects.filter(
            volunteer_id=certificate.volunteer_id, id__lte=certificate.upto_entry_id
        ).order_by("occurred_on", "id")
    )
    reversed_ids = {e.reverses_id for e in entries if e.kind == EntryKind.CORRECTION}
    return [
        Line(e.occurred_on, e.content, e.hours, e.kind == EntryKind.HONOUR)
        for e in entries
        if e.kind in (EntryKind.EARNED, EntryKind.HONOUR)
        and e.id not in reversed_ids
        and e.hours > 0
    ]
