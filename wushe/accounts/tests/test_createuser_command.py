import io

import pytest
from django.core.management import CommandError, call_command

from conftest import PASSWORD
from wushe.accounts.models import User
from wushe.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def run(*args, password=PASSWORD, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("createuser", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_it_creates_a_county_administrator_from_the_command_line(monkeypatch):
    output = run("ns", "--region", "440305", "--role", "admin", monkeypatch=monkeypatch)
    user = User.objects.get(username="ns")
    assert "created ns" in output
    assert (user.region_id, user.role) == ("440305000000", "admin")
    entry = AuditEntry.objects.get(action=Action.CREATE, object_id=str(user.pk))
    assert entry.actor is None and entry.actor_name == "system"


def test_as_an_administrator_it_applies_that_administrators_scope(monkeypatch, futian_admin):
    with pytest.raises(CommandError, match="区划|region"):
        run(
            "x",
            "--region",
            "440305007",
            "--role",
            "worker",
            "--as",
            "futian_admin",
            monkeypatch=monkeypatch,
        )
    assert not User.objects.filter(username="x").exists()


@pytest.mark.parametrize(
    ("region", "role", "message"),
    [("44030", "admin", "440305"), ("999999", "admin", "没有区划"), ("440305", "king", "king")],
)
def test_bad_input_is_refused_clearly(monkeypatch, region, role, message):
    with pytest.raises(CommandError) as error:
        run("x", "--region", region, "--role", role, monkeypatch=monkeypatch)
    assert message in str(error.value) or region in str(error.value)
    assert not User.objects.filter(username="x").exists()
