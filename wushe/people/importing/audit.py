"""Per-resident audit entries of a small import, shaped as the filing services shape theirs.

They are read back from the database after the write, so they record what is stored; the
personal fields are masked by the same ``services._masked`` as a filing through a page.
"""

from __future__ import annotations

from collections.abc import Sequence

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.people.models import Resident, ResidentCategory
from wushe.people.services import _changes, _masked

_BATCH = 500  # ids per query (SQLite's parameter limit)

Snapshot = dict[str, str | None]


def snapshots(ids: Sequence[int]) -> dict[int, Snapshot]:
    """The masked audit view of these files as they are now."""
    return {resident.pk: masked for resident, masked in _load(ids)}


def audit_residents(
    actor: User, created: Sequence[int], updated: Sequence[int], before: dict[int, Snapshot]
) -> None:
    """One CREATE entry per new file and one UPDATE entry per changed one."""
    updated_set = set(updated)
    for resident, after in _load([*created, *updated]):
        if resident.pk in updated_set:
            changes = _changes(before.get(resident.pk, {}), after)
            audit_record(actor=actor, action=Action.UPDATE, obj=resident, changes=changes)
        else:
            audit_record(
                actor=actor, action=Action.CREATE, obj=resident, changes=_changes({}, after)
            )


def _load(ids: Sequence[int]) -> list[tuple[Resident, Snapshot]]:
    residents: dict[int, Resident] = {}
    categories: dict[int, list[str]] = {}
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        residents.update((r.pk, r) for r in Resident.objects.filter(pk__in=batch))
        rows = ResidentCategory.objects.filter(resident_id__in=batch)
        for resident_id, category in rows.values_list("resident_id", "category"):
            categories.setdefault(resident_id, []).append(category)
    return [
        (residents[pk], _masked(residents[pk], categories.get(pk, [])))
        for pk in ids
        if pk in residents
    ]
