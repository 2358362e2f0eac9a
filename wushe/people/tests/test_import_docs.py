"""docs/import-codes.md documents every code the import can report."""

from pathlib import Path

from wushe.core.tabular import READER_PROBLEMS
from wushe.people.identity import ID_ERRORS
from wushe.people.importing import COLUMNS, IMPORT_PROBLEMS
from wushe.people.phones import PHONE_ERRORS

DOC = Path(__file__).resolve().parents[3] / "docs" / "import-codes.md"


def test_every_code_is_documented():
    text = DOC.read_text(encoding="utf-8")
    codes = [p.code for p in (*READER_PROBLEMS, *IMPORT_PROBLEMS)] + [*ID_ERRORS, *PHONE_ERRORS]
    assert [code for code in codes if f"`{code}`" not in text] == []


def test_every_column_is_documented():
    text = DOC.read_text(encoding="utf-8")
    assert [c.name for c in COLUMNS if f"| {c.name} |" not in text] == []
