"""One person, one identity (一人一档): the roles a person holds, found by the keyed ID hash.

A filed resident, a volunteer, a social worker and a donor may be the same person. Each role
model stores the same keyed hash of the normalised ID number in an ``id_hash`` column
(``people.services.id_hash_of(number)``, as ``Resident.id_hash``), so the roles of one person
are found by equality on that column — never by a second file or a copy of the number. Each role app
registers its model in its ``AppConfig.ready()``; this module imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class RoleKind:
    name: str  # "resident", "volunteer", "social_worker", "donor"
    model: type[Model]


_KINDS: dict[str, RoleKind] = {}


def register(name: str, model: type[Model]) -> None:
    """Make ``model`` (with an ``id_hash`` column and ``objects.visible_to``) a role of a person."""
    _KINDS[name] = RoleKind(name, model)


def kinds() -> list[RoleKind]:
    return list(_KINDS.values())


def roles_held(id_hash: str) -> set[str]:
    """The names of every role the person holds anywhere — for the services' own checks only:
    never shown to a user, who sees roles through ``roles_visible``."""
    return {
        kind.name
        for kind in _KINDS.values()
        if id_hash and kind.model._default_manager.filter(id_hash=id_hash).exists()
    }


def roles_visible(id_hash: str, user) -> dict[str, list[Model]]:
    """The person's role records that ``user`` may see, by role name."""
    found: dict[str, list[Model]] = {}
    if not id_hash:
        return found
    for kind in _KINDS.values():
        rows = list(kind.model.objects.visible_to(user).filter(id_hash=id_hash))
        if rows:
            found[kind.name] = rows
    return found
