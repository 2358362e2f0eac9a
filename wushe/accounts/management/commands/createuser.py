"""``wushe createuser NAME --region 440305 --role admin [--as ADMIN] [--password-stdin]``."""

from __future__ import annotations

import getpass
import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from wushe.accounts.models import Role, User
from wushe.accounts.services import user_create
from wushe.regions.codes import normalize_code
from wushe.regions.models import Region


class Command(BaseCommand):
    help = "Create a user belonging to one region with one role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--region", required=True, help="division code, e.g. 440305")
        parser.add_argument("--role", required=True, help=" | ".join(Role.values))
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--as", dest="actor", help="create as this administrator (scope and audit apply)"
        )
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    def handle(self, *args, **opts):
        actor = None
        if opts["actor"]:
            actor = User.objects.filter(username=opts["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {opts['actor']!r} / 用户不存在")
        try:
            region = Region.objects.get(code=normalize_code(opts["region"]))
        except (ValidationError, Region.DoesNotExist):
            raise CommandError(
                f"no region {opts['region']!r}; load it first with `wushe regions load` "
                f"/ 没有区划 {opts['region']}，请先导入区划"
            ) from None
        if opts["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password / 密码: ")
            if password != getpass.getpass("Again / 再次输入: "):
                raise CommandError("passwords differ / 两次输入的密码不一致")
        try:
            user = user_create(
                actor=actor,
                username=opts["username"],
                password=password,
                region=region,
                role=opts["role"],
                full_name=opts["full_name"],
                email=opts["email"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"created {user.username} ({user.get_role_display()}, {region})")
