"""Uploaded sheets at rest: encrypted, whole, and only ever readable as the job's own."""

from __future__ import annotations

import io

import pytest

from wushe.imports import storage
from wushe.imports.tests.sheets import csv_upload, upload
from wushe.people.tests.import_sheets import LI_PHONE, ZHANG_ID, ZHANG_PHONE, good_rows

pytestmark = pytest.mark.django_db

SHEET = ("姓名,身份证号\n张三丰," + ZHANG_ID + "\n").encode() * 50


def test_an_uploaded_sheet_is_stored_without_a_plaintext_id_number(
    client, yuehai_manager, tmp_path
):
    client.force_login(yuehai_manager)
    sheet = csv_upload(tmp_path, good_rows())  # a CSV: its ID numbers are plain text
    original = sheet.read()
    sheet.seek(0)
    assert ZHANG_ID.encode() in original
    job = upload(client, sheet)
    # Checked but not yet imported: the sheet waits in the imports directory.
    stored = (storage.job_dir(job.pk) / storage.FILE_NAME).read_bytes()
    for secret in (ZHANG_ID, ZHANG_PHONE, LI_PHONE, "张三丰"):
        assert secret.encode() not in stored
    assert storage.load(job.pk).read() == original
    assert oct(storage.job_dir(job.pk).stat().st_mode & 0o777) == "0o700"
    assert oct((storage.job_dir(job.pk) / storage.FILE_NAME).stat().st_mode & 0o777) == "0o600"


def test_a_sheet_of_several_chunks_reads_back_whole(monkeypatch):
    monkeypatch.setattr(storage, "CHUNK", 64)
    assert storage.store(7, io.BytesIO(SHEET)) == len(SHEET)
    lines = (storage.job_dir(7) / storage.FILE_NAME).read_text().splitlines()
    assert len(lines) == -(-len(SHEET) // 64)
    assert storage.load(7).read() == SHEET


def test_an_empty_sheet_is_stored_as_one_empty_chunk():
    storage.store(8, io.BytesIO(b""))
    assert storage.load(8).read() == b""


@pytest.mark.parametrize(
    "tamper",
    [
        lambda lines: [lines[1], lines[0], *lines[2:]],  # reordered
        lambda lines: lines[:-1],  # cut short
        lambda lines: [*lines, lines[-1]],  # a chunk after the last
        lambda lines: [lines[0][:-4] + "AAAA", *lines[1:]],  # a changed byte
    ],
)
def test_a_tampered_file_does_not_load(monkeypatch, tamper):
    monkeypatch.setattr(storage, "CHUNK", 64)
    storage.store(9, io.BytesIO(SHEET))
    path = storage.job_dir(9) / storage.FILE_NAME
    path.write_text("\n".join(tamper(path.read_text().splitlines())) + "\n")
    with pytest.raises(storage.StoredFileError):
        storage.load(9)


def test_another_jobs_file_does_not_load_as_this_one():
    storage.store(10, io.BytesIO(SHEET))
    storage.job_dir(11).mkdir()
    (storage.job_dir(10) / storage.FILE_NAME).rename(storage.job_dir(11) / storage.FILE_NAME)
    with pytest.raises(storage.StoredFileError):
        storage.load(11)


def test_a_missing_file_does_not_load_and_discarding_it_twice_is_harmless():
    with pytest.raises(storage.StoredFileError):
        storage.load(12)
    storage.discard(12)
    storage.discard(12)
