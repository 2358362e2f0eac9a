"""Scratch databases for the benches: created for one run, dropped afterwards.

The server comes from ``--url``, else WUSHE_TEST_POSTGRES_URL, else a postgres DATABASE_URL:
a role that may create databases. Django is pointed at the scratch database before it starts.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# The benches run from a checkout: make ``wushe`` importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def server_url(explicit: str | None) -> str:
    for candidate in (
        explicit,
        os.environ.get("WUSHE_TEST_POSTGRES_URL"),
        os.environ.get("DATABASE_URL"),
    ):
        if candidate and candidate.startswith(("postgres://", "postgresql://")):
            return candidate
    raise SystemExit(
        "no PostgreSQL server: pass --url postgres://USER:PASSWORD@HOST:PORT/DB "
        "or set WUSHE_TEST_POSTGRES_URL"
    )


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    """A connection to the server's maintenance database: the URL's own database may not exist
    (pytest, for one, only uses its name to make ``test_<name>``)."""
    import psycopg

    try:
        return psycopg.connect(with_database(url, "postgres"), autocommit=True)
    except psycopg.OperationalError:
        return psycopg.connect(url, autocommit=True)


@contextmanager
def scratch_database(url: str, name: str) -> Iterator[str]:
    """Create database ``name`` on the server of ``url`` (dropping a leftover first), point
    DATABASE_URL at it, and drop it when done."""
    from psycopg import sql

    with _admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    scratch = with_database(url, name)
    try:
        yield scratch
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not have started: nothing to close
            pass
        with _admin_connection(url) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def start_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "wushe.settings"
    # A throwaway key, so a bench never writes .wushe-secret-key into the working directory.
    os.environ.setdefault("WUSHE_SECRET_KEY", secrets.token_urlsafe(40))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
