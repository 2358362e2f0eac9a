"""Where the current request came from, for audit entries written deeper down.

The actor is always passed explicitly to services; the client address is not something a
service should have to thread through, so the middleware sets it here for the request.
Management commands leave it empty.
"""

from __future__ import annotations

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
