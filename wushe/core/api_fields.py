"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wushe.core.api import MAX_ID


@extend_schema_field({"type": "integer", "minimum": 1})
class VisibleIdField(serializers.IntegerField):
    """An id of an object the requesting user can see; anything else gets one message, so an
    id outside the user's subtree reads exactly like one that does not exist. Subclasses say
    which objects are visible (``visible()``) and name them in ``does_not_exist``."""

    default_error_messages = {"does_not_exist": _("No such object.")}

    def visible(self):
        raise NotImplementedError

    def to_internal_value(self, data):
        # No min/max validators: DRF would run them on the object found, not on the id.
        pk = super().to_internal_value(data)
        found = self.visible().filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
        if found is None:
            self.fail("does_not_exist")
        return found

    def to_representation(self, value) -> int:
        return value.pk if hasattr(value, "pk") else int(value)
