"""Logins, failed logins and logouts go to the audit log. Django announces them with signals;
these receivers only hand over to the audit service."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.regions.codes import ROOT_CODE


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=Action.LOGIN, obj=user, region_code=user.region_id or ROOT_CODE)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            actor=user, action=Action.LOGOUT, obj=user, region_code=user.region_id or ROOT_CODE
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    known = get_user_model().objects.filter(username=username).first()
    audit_record(
        actor=known,
        actor_name=username or "?",
        action=Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=str(known.pk) if known else "",
        object_repr=username,
        # Failed logins for unknown names are visible to national administrators only.
        region_code=(known.region_id if known and known.region_id else ROOT_CODE),
        success=False,
    )
