"""Model fields for personal data encrypted at rest (see wushe.core.crypto).

``EncryptedTextField`` holds plaintext in Python (models, forms, admin, serializers, dumpdata) and
a token in the column. A token changes on every save, so SQL cannot compare it: the only lookups
are ``isnull`` and ``exact`` against "" or None. Anything else is refused loudly, rather than
silently finding nothing; an exact search or a uniqueness rule goes through a ``LookupHashField``
beside it, filled with ``crypto.lookup_hash(kind, normalised value)`` by the service that writes.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import decrypt, encrypt

LOOKUP_HASH_LENGTH = 64  # hex SHA-256


class EncryptedTextField(models.TextField):
    """Text encrypted at rest (加密存储): ``None`` stays NULL and "" stays "" (an empty value is
    not secret, and keeps "has no phone" queryable); anything else is stored as a token."""

    description = _("Text encrypted at rest")

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name: str) -> type | None:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return EmptyOnlyExact
        raise self._not_searchable(lookup_name)

    def get_transform(self, lookup_name: str) -> type | None:
        raise self._not_searchable(lookup_name)

    def _not_searchable(self, lookup_name: str) -> FieldError:
        return FieldError(
            f"{self.name!r} is encrypted at rest and cannot be looked up by {lookup_name!r}; "
            "look up by keyed hash instead (wushe.core.crypto.lookup_hash and a LookupHashField)"
        )

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_not_indexed()]

    def _check_not_indexed(self) -> list[checks.CheckMessage]:
        if not (self.unique or self.primary_key or self.db_index):
            return []
        return [
            checks.Error(
                "An EncryptedTextField cannot be unique, a primary key or indexed: its "
                "ciphertext differs on every save.",
                hint="Put unique=True on a LookupHashField beside it.",
                obj=self,
                id="wushe.E001",
            )
        ]


class EmptyOnlyExact(Exact):
    """``field=""`` and ``field=None`` are meaningful on an encrypted column; other values are
    not (their ciphertext never matches)."""

    def get_prep_lookup(self) -> Any:
        if self.rhs is not None and self.rhs != "":
            raise self.lhs.output_field._not_searchable("exact")
        return super().get_prep_lookup()


class LookupHashField(models.CharField):
    """A keyed hash (查询哈希) of a normalised personal value, from ``crypto.lookup_hash``:
    what exact search and de-duplication compare, never the value itself. Indexed by default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", LOOKUP_HASH_LENGTH)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == LOOKUP_HASH_LENGTH:
            del kwargs["max_length"]
        if self.db_index:
            kwargs.pop("db_index", None)
        else:
            kwargs["db_index"] = False
        return name, path, args, kwargs
