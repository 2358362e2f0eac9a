import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_a_second_load_reports_nothing_changed():
    out = io.StringIO()
    call_command("regions", "load", "--county", "440305", "--no-progress", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


@pytest.mark.parametrize(
    "args", [["--county", "4403"], ["--province", "4x"], ["--county", "999999"]]
)
def test_a_bad_selection_is_refused(args):
    with pytest.raises(CommandError):
        call_command("regions", "load", *args, "--no-progress")
