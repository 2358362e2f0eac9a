"""``wushe demo [--no-serve]``: a working wushe in one command.

Migrates the database, loads the real regions of 深圳市南山区, creates one user per role,
fills a demo service network through the services, prints the logins and serves the site.
Run it again at any time: nothing is duplicated, and the passwords are reset and printed again.
"""

from __future__ import annotations

import os
import time

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from wushe.core import demo
from wushe.core.management.commands.serve import server_settings, url_of
from wushe.regions import loader


def _password_problems(password: str) -> str:
    """What the password rules say about ``password``, in Chinese and English; "" if none."""
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            try:
                validate_password(password)
            except ValidationError as error:
                texts.append(" ".join(error.messages))
    return " / ".join(dict.fromkeys(texts))


class Command(BaseCommand):
    help = "Set up the 南山区 demo (database, regions, users, sites) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        # Check WUSHE_BIND, WUSHE_WORKERS and WUSHE_DEMO_PASSWORD before the work, not after it.
        host, port, _workers = server_settings()
        password = os.environ.get(demo.PASSWORD_ENV) or None
        problems = _password_problems(password) if password else ""
        if problems:
            raise CommandError(f"{demo.PASSWORD_ENV}: {problems}")
        self.stdout.write("migrating the database / 迁移数据库…")
        call_command("migrate", interactive=False, verbosity=0)
        self._load_regions(show=not options["no_progress"])
        try:
            result = demo.build(password)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"demo sites: {result.sites_created} created, {result.sites_existing} already there"
        )
        self.stdout.write(f"demo residents: {result.residents_created} filed")
        if result.records:
            made = ", ".join(f"{count} {name}" for name, count in result.records.items())
            self.stdout.write(f"demo service records: {made}")
        if result.forces:
            made = ", ".join(f"{count} {name}" for name, count in result.forces.items())
            self.stdout.write(f"demo five forces and plan figures: {made}")
        self._print_logins(result, url_of(host, port))
        if not options["no_serve"]:
            call_command("serve")

    def _load_regions(self, *, show: bool) -> None:
        started = time.perf_counter()
        rows = list(
            tqdm(loader.read_rows(demo.COUNTY), desc="read", unit=" rows", disable=not show)
        )
        with tqdm(total=len(rows), desc="load", unit=" rows", disable=not show) as bar:
            result = loader.load(iter(rows), progress=bar.update)
        self.stdout.write(
            f"regions of 南山区 ({demo.COUNTY}): {result.total} rows, {result.created} created, "
            f"{result.updated} updated in {time.perf_counter() - started:.1f} s"
        )

    def _print_logins(self, result: demo.DemoResult, url: str) -> None:
        self.stdout.write("")
        self.stdout.write(f"wushe demo: {url}")
        if os.environ.get(demo.PASSWORD_ENV):
            self.stdout.write(f"logins / 登录账号 (password from {demo.PASSWORD_ENV}):")
        else:
            self.stdout.write("logins / 登录账号 (new passwords on every run / 每次运行重置密码):")
        width = max(14, *(len(login.password) for login in result.logins))
        names = max(16, *(len(login.user.username) for login in result.logins))
        for login in result.logins:
            user = login.user
            with translation.override("zh-hans"):
                role_zh, region_zh = str(user.get_role_display()), user.region.name
            with translation.override("en"):
                role_en = str(user.get_role_display())
            role = role_zh if role_zh == role_en else f"{role_zh} {role_en}"
            who = f"{role} · {region_zh} ({user.full_name})"
            self.stdout.write(f"  {user.username:<{names}} {login.password:<{width}} {who}")
        self.stdout.write("")
