"""Sheets and uploads for the imports tests (the people in them: people.tests.import_sheets)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from wushe.imports.models import ImportJob
from wushe.people.identity import make_id_number
from wushe.people.tests.import_sheets import good_rows, person, write_csv, write_xlsx

BAD_ROW = 5  # the header is row 1, the three good people rows 2 to 4
ZHAO_ID = make_id_number("440305", date(1970, 1, 1), 47)


def bad_check_digit(number: str) -> str:
    return number[:17] + next(digit for digit in "0123456789" if digit != number[17])


def rows_with_a_bad_one() -> list[list[str]]:
    """The three good people, then 赵六, whose ID number has a wrong check digit."""
    return [*good_rows(), person("赵六", bad_check_digit(ZHAO_ID))]


def fixed_rows() -> list[list[str]]:
    return [*good_rows(), person("赵六", ZHAO_ID)]


def xlsx_upload(tmp_path: Path, rows: list[list[str]], name: str = "居民.xlsx"):
    path = write_xlsx(tmp_path / "sheet.xlsx", rows)
    return SimpleUploadedFile(name, path.read_bytes())


def csv_upload(tmp_path: Path, rows: list[list[str]], name: str = "居民.csv"):
    path = write_csv(tmp_path / "sheet.csv", rows)
    return SimpleUploadedFile(name, path.read_bytes())


def upload(client, file, **fields) -> ImportJob:
    """POST the upload form; the job it created."""
    response = client.post("/imports/new/", {"kind": "residents", "file": file, **fields})
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.order_by("-pk").first()
    assert response.url == f"/imports/{job.pk}/"
    return job
