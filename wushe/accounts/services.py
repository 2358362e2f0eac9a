from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import ROLE_LEVELS, ROLE_RANK, Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.regions.codes import Level
from wushe.regions.models import Region

USER_AUDIT_FIELDS = ("username", "full_name", "email", "role", "region", "is_active")


def _check_role_and_region(*, actor: User | None, role: str, region: Region) -> None:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”; choose one of %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            },
            code="bad_role",
        )
    role = Role(role)
    if region.level not in ROLE_LEVELS[role]:
        raise ValidationError(
            {
                "region": _("A %(role)s cannot belong to a region of level %(level)s.")
                % {"role": role.label, "level": Level(region.level).label}
            },
            code="wrong_level",
        )
    if actor is None:  # the command line: whoever runs it owns the server
        return
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator can create users."))
    if not actor.can_see_code(region.code):
        raise ValidationError({"region": _("No such region.")}, code="not_found")
    if ROLE_RANK[role] > ROLE_RANK[Role(actor.role)]:
        raise ValidationError(
            {"role": _("You cannot create a user with a role above your own.")}, code="above_role"
        )


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    region: Region,
    role: str,
    full_name: str = "",
    email: str = "",
) -> User:
    """Create an account inside the actor's subtree, at or below the actor's role."""
    _check_role_and_region(actor=actor, role=role, region=region)
    user = User(username=username, region=region, role=role, full_name=full_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}, code="weak_password") from error
    user.set_password(password)
    user.full_clean()
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=user,
            changes={name: [None, str(getattr(user, name))] for name in USER_AUDIT_FIELDS},
        )
    return user
