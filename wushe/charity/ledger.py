"""Append-only ledgers (基金收支, 物资出入库) and the one rule that moves a balance.

An entry, once written, is never changed or deleted: the model refuses ``save()`` of an
existing row and ``delete()``, its queryset refuses ``update()``/``delete()``, and on
PostgreSQL a trigger refuses UPDATE and DELETE from any client (migration 0002). A mistake is
corrected by a reversing entry (``reverses``), so the books show both.

A balance moves only inside a transaction that holds the holder's row lock
(``select_for_update``): two disbursements at the same moment are serialised, and the second
sees what the first left. A movement that would take the balance below zero, or past the
largest value the column holds, raises a field error before anything is written.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from wushe.charity.choices import MAX_VALUE, Direction
from wushe.core.models import ScopedQuerySet


class AppendOnlyError(RuntimeError):
    """A change or deletion of a ledger entry: a programming error, not a user's."""

    def __init__(self, model: type[models.Model] | None = None) -> None:
        name = model._meta.label if model is not None else "ledger"
        super().__init__(f"{name} is append-only: correct it with a reversing entry")


class AppendOnlyQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(self.model)

    def delete(self):
        raise AppendOnlyError(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(self.model)

    def _raw_delete(self, using):  # the deletion collector's fast path
        raise AppendOnlyError(self.model)


class AppendOnlyManager(models.Manager.from_queryset(AppendOnlyQuerySet)):
    pass


class AppendOnly(models.Model):
    """An abstract row that can be inserted once and then only read."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError(type(self))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(type(self))


def locked(model: type[models.Model], pk: int) -> models.Model:
    """The holder's row, locked until the transaction ends (call inside ``atomic``)."""
    return model._default_manager.select_for_update().get(pk=pk)


def next_balance(
    current: Decimal, direction: str, amount: Decimal, *, field: str, short: str
) -> Decimal:
    """The balance after moving ``amount`` in ``direction``; ``short`` is the message when the
    balance cannot pay it, put on ``field``."""
    new = current + amount if direction == Direction.IN else current - amount
    if new < 0:
        raise ValidationError({field: ValidationError(short, code="insufficient")})
    if new > MAX_VALUE:
        message = _("The balance would pass %(max)s, the largest it can hold.") % {"max": MAX_VALUE}
        raise ValidationError({field: ValidationError(message, code="too_large")})
    return new


def opposite(direction: str) -> str:
    return Direction.OUT if direction == Direction.IN else Direction.IN
