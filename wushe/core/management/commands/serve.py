"""``wushe serve``: the production server, granian, in front of wushe's WSGI application.

granian was chosen by measuring: sync Django under granian served about twice the requests per
second of gunicorn's sync workers on the same machine (``bench/serve.py``, README "Decisions").
The command replaces itself with granian (exec), so signals (Ctrl-C, a service manager's
SIGTERM) go straight to the server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from wushe.core.env import env_int, env_str

APP = "wushe.wsgi:application"
DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_WORKERS = 2
# Python threads per worker. granian's WSGI default is hundreds, and with persistent database
# connections each thread holds one: a few threads cover I/O waits without exhausting
# PostgreSQL's max_connections (sync Django is CPU-bound under the GIL anyway).
THREADS = 4


def parse_bind(bind: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:8000`` for IPv6) into (host, port), or CommandError."""
    host, sep, port = bind.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(
            f"WUSHE_BIND={bind!r}: expected HOST:PORT such as {DEFAULT_BIND} "
            f"/ 监听地址应为 主机:端口，例如 {DEFAULT_BIND}"
        )
    return host, int(port)


def granian_argv(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(THREADS),
        "--backpressure",
        str(THREADS),
        "--no-ws",
        APP,
    ]


def url_of(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def server_settings(bind: str | None = None, workers: int | None = None) -> tuple[str, int, int]:
    """(host, port, workers) from the options, else WUSHE_BIND and WUSHE_WORKERS."""
    host, port = parse_bind(bind or env_str("WUSHE_BIND", DEFAULT_BIND))
    if workers is None:
        try:
            workers = env_int("WUSHE_WORKERS", DEFAULT_WORKERS, minimum=1)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
    if workers < 1:
        raise CommandError("--workers must be at least 1 / 进程数至少为 1")
    return host, port, workers


class Command(BaseCommand):
    help = "Serve wushe with the granian production server (WUSHE_BIND, WUSHE_WORKERS)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", help=f"HOST:PORT (default WUSHE_BIND or {DEFAULT_BIND})")
        parser.add_argument(
            "--workers", type=int, help=f"processes (default WUSHE_WORKERS or {DEFAULT_WORKERS})"
        )

    def handle(self, *args, **options):
        host, port, workers = server_settings(options["bind"], options["workers"])
        self.stdout.write(
            f"wushe: serving {url_of(host, port)} with {workers} granian worker(s); "
            "Ctrl-C stops / 按 Ctrl-C 停止"
        )
        self.stdout.flush()
        sys.stderr.flush()
        # whitenoise warns on every start when STATIC_ROOT is missing; files come from the finders.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        connections.close_all()
        os.execv(sys.executable, granian_argv(host, port, workers))
