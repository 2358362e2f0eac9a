"""The ``wushe`` console command: a thin front over Django's management commands.

``wushe demo``, ``wushe regions load --county 440305``, ``wushe createuser …``, ``wushe serve``,
and Django's own commands (``wushe migrate``, ``wushe shell``) all go through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushe.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wushe", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
