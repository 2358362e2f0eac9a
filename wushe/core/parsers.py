"""JSON bodies whose text the rest of the system can hold."""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """JSON may escape half of a UTF-16 pair ("\\ud800"); Python then holds a string that no
    database, cipher or UTF-8 answer can encode, and an error message repeating it would fail
    while being sent (a 500). Such a body is refused whole, as unreadable. So is a body with a
    NUL character ("\\u0000") in any text: PostgreSQL refuses it in every text parameter, so a
    field that looks the text up without validating it first (a slug, a filter) would fail."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            message = _("The body holds text that is not valid Unicode.")
            raise exceptions.ParseError(message) from error
        if _holds_nul(data):
            message = _("The body holds a NUL character, which text cannot hold.")
            raise exceptions.ParseError(message)
        return data


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
