"""Writing the audit log. Every service that changes state calls :func:`audit_record` with its
explicit actor inside its own transaction; reads of a person's file call :func:`audit_view`."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from wushe.audit import chain
from wushe.audit.context import client_ip
from wushe.audit.models import Action, AuditEntry, AuditHead

SYSTEM_ACTOR_NAME = "system"


def _normalise_ip(raw: str | None) -> str | None:
    """The address as the database will give it back, so the entry's hash still matches."""
    if not raw:
        return None
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        return None
    return AuditEntry._meta.get_field("ip").to_python(raw)


def _region_code_of(obj) -> str:
    for attr in ("region_id", "region_code", "code"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return value
    return ""


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region_code: str | None = None,
    changes: dict | None = None,
    success: bool = True,
    actor_name: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Call it inside the transaction of the change it records,
    so the change and its record commit or roll back together."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        if region_code is None:
            region_code = _region_code_of(obj)
    if region_code is None:
        region_code = getattr(actor, "region_id", None) or ""
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor,
            actor_name=(actor_name or (actor.get_username() if actor else SYSTEM_ACTOR_NAME))[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            object_repr=object_repr[:200],
            region_code=region_code,
            ip=_normalise_ip(client_ip.get()),
            changes=changes or {},
            success=success,
            prev_hash=head.entry_hash,
        )
        entry.entry_hash = chain.entry_digest(entry, head.entry_hash)
        entry.save(force_insert=True)
        head.seq = entry.seq
        head.entry_hash = entry.entry_hash
        head.save(update_fields=["seq", "entry_hash"])
    return entry


def audit_view(*, actor, obj: models.Model, what: str = "") -> AuditEntry:
    """Record that ``actor`` opened ``obj`` (a person's file, an unmasked field…): one call."""
    return audit_record(
        actor=actor, action=Action.VIEW, obj=obj, changes={"viewed": what} if what else None
    )


def audit_denied(*, actor, action: str, object_type: str, object_id: str = "") -> AuditEntry:
    """Record an access refused (out of scope or not allowed). The denied object's name and
    region are deliberately not copied into the log of the user who was refused."""
    return audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        success=False,
    )


def _display(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def mask(value: str | None) -> str | None:
    """Keep the first 3 and last 4 characters of a personal value; star the rest."""
    if value is None:
        return None
    text = str(value)
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def field_changes(
    before: dict, after: dict, *, personal: Iterable[str] = ()
) -> dict[str, list[str | None]]:
    """{field: [old, new]} for the fields that differ; personal fields are masked."""
    personal = set(personal)
    result = {}
    for name in sorted(set(before) | set(after)):
        old, new = _display(before.get(name)), _display(after.get(name))
        if old != new:
            if name in personal:
                old, new = mask(old), mask(new)
            result[name] = [old, new]
    return result


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The values of ``fields`` on ``obj`` (many-to-many as a sorted list of keys)."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            keys = getattr(obj, name).values_list("pk", flat=True) if obj.pk else []
            values[name] = ",".join(sorted(str(pk) for pk in keys))
        else:
            values[name] = getattr(obj, field.attname)
    return values
