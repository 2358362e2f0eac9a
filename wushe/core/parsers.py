"""JSON bodies whose text the rest of the system can hold."""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """JSON may escape half of a UTF-16 pair ("\\ud800"); Python then holds a string that no
    database, cipher or UTF-8 answer can encode, and an error message repeating it would fail
    while being sent (a 500). Such a body is refused whole, as unreadable."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            message = _("The body holds text that is not valid Unicode.")
            raise exceptions.ParseError(message) from error
        return data
