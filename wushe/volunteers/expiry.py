"""Points expiry (积分过期): points earned more than the region's ``expiry_months`` ago and not
yet spent are written off by an ``expired`` entry, so the points are still the sum of the
entries. ``wushe volunteers expire-points`` runs it (daily, say); a second run on the same day
writes nothing.

First in, first out: spending (redemptions and earlier expiries) uses the oldest points the
volunteer held at the time. The ledger is replayed in the order it was written, leaving out
corrected entries and their corrections (which cancel out): each earned entry is a lot dated
by the day served; each spending takes from the oldest lots then held (a shortfall, possible
only after a correction, is taken from the next lots earned). What is left of the lots dated
before the cut-off expires.
"""

from __future__ import annotations

import bisect
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.volunteers import selectors
from wushe.volunteers.choices import EntryKind
from wushe.volunteers.ledger_services import locked_volunteer, write_entry
from wushe.volunteers.models import LedgerEntry, Volunteer
from wushe.volunteers.rules import RuleBook, months_before

SPENDING = (EntryKind.REDEEMED, EntryKind.EXPIRED)


def unspent_lots(entries) -> list[list]:
    """[[day, id, points left]] of the earned lots, oldest first, after replaying ``entries``
    (standing entries in the order written)."""
    lots: list[list] = []
    debt = 0
    for entry in entries:
        if entry.kind == EntryKind.EARNED and entry.points > 0:
            paid = min(debt, entry.points)
            debt -= paid
            bisect.insort(lots, [entry.occurred_on, entry.id, entry.points - paid])
        elif entry.kind in SPENDING:
            need = -entry.points
            for lot in lots:
                take = min(need, lot[2])
                lot[2] -= take
                need -= take
                if not need:
                    break
            lots = [lot for lot in lots if lot[2]]
            debt += need
    return lots


def points_to_expire(volunteer: Volunteer, cutoff: date) -> int:
    """Points earned before ``cutoff`` that the volunteer still holds."""
    standing = selectors.unreversed(LedgerEntry.objects.filter(volunteer=volunteer))
    entries = standing.order_by("id").only("id", "kind", "points", "occurred_on")
    return sum(points for day, _id, points in unspent_lots(entries) if day < cutoff)


def _candidates(actor: User | None) -> list[Volunteer]:
    """Volunteers holding points who ever earned any: the only ones with something to expire."""
    earners = LedgerEntry.objects.filter(kind=EntryKind.EARNED, points__gt=0).values("volunteer")
    holding = (
        Volunteer.objects.filter(pk__in=earners)
        .annotate(points=Coalesce(Sum("ledger__points"), 0))
        .filter(points__gt=0)
        .only("pk", "region_id", "number")
    )
    if actor is not None:
        holding = holding.within(actor.scope_range)
    return list(holding)


def points_expire(*, today: date, actor: User | None = None) -> int:
    """Write the ``expired`` entries due on ``today``; the number of entries written. ``actor``
    None is the system (the command); an administrator may run it for their subtree."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator can expire points."))
    volunteers = _candidates(actor)
    book = RuleBook(v.region_id for v in volunteers)
    written = 0
    for volunteer in volunteers:
        months = book.points_for(volunteer.region_id).expiry_months
        if months == 0:  # never
            continue
        cutoff = months_before(today, months)
        with transaction.atomic():
            locked = locked_volunteer(volunteer)
            points = points_to_expire(locked, cutoff)
            if points > 0:
                content = _("Points earned before %(day)s expired") % {"day": cutoff.isoformat()}
                entry = LedgerEntry(
                    volunteer=locked,
                    kind=EntryKind.EXPIRED,
                    points=-points,
                    content=content,
                    occurred_on=today,
                    created_by=actor,
                )
                write_entry(actor, entry)
                written += 1
    return written
