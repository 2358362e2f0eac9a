"""The import pages' settings: two from the environment (README lists them), the rest fixed.

Each value can be overridden by a Django setting of the same name (the tests do), so nothing
here needs editing ``wushe/settings.py``. The environment is read once, when this module is
first imported (at URL loading), and a malformed value stops the process as settings do.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from wushe.core.env import env_int

# The largest sheet a page or the API takes. Bigger sheets go through `wushe import residents`.
_MAX_MB = env_int("WUSHE_IMPORT_MAX_MB", 50, minimum=1)
# How long an uploaded sheet may wait for its confirmation before it is deleted.
_KEEP_HOURS = env_int("WUSHE_IMPORT_KEEP_HOURS", 24, minimum=1)


def max_bytes() -> int:
    return getattr(settings, "WUSHE_IMPORT_MAX_BYTES", _MAX_MB << 20)


def keep_hours() -> int:
    return getattr(settings, "WUSHE_IMPORT_KEEP_HOURS", _KEEP_HOURS)


def files_dir() -> Path:
    """Where the encrypted uploads wait: beside the data, never in the database."""
    default = Path(settings.DATA_DIR) / "var" / "imports"
    return Path(getattr(settings, "WUSHE_IMPORTS_DIR", default))


def in_background() -> bool:
    """Run checks and imports in a thread (False: in the request, as the tests do)."""
    return getattr(settings, "WUSHE_IMPORTS_IN_BACKGROUND", True)


def stale_seconds() -> int:
    """A job whose worker has said nothing for this long is taken for dead (see ``worker``)."""
    return getattr(settings, "WUSHE_IMPORTS_STALE_SECONDS", 300)


def progress_seconds() -> float:
    """How often a running job's progress and heartbeat are written."""
    return getattr(settings, "WUSHE_IMPORTS_PROGRESS_SECONDS", 1.0)
