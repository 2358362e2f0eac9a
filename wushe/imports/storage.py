"""Uploaded sheets at rest: encrypted with the personal-field keys, one directory per job.

A sheet is personal data (names, ID numbers, phones), so it never touches the disk or the
database in plaintext. It is cut into chunks of ``CHUNK`` bytes; each chunk, base64-encoded with
the job's id, its index and whether it is the last, is one ``crypto.encrypt`` token (AES-256-GCM)
on its own line. The id and index inside the authenticated plaintext mean chunks cannot be
swapped, reordered, dropped or moved to another job unnoticed; the keys rotate as the fields'
do. Reading decrypts into memory (``conf.max_bytes`` bounds it), never into a temporary file.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from wushe.core import crypto
from wushe.imports import conf

CHUNK = 1 << 20
FILE_NAME = "upload.enc"


class StoredFileError(Exception):
    """The job's file is missing, or does not decrypt to what was stored."""


def job_dir(job_id: int) -> Path:
    return conf.files_dir() / str(int(job_id))


def store(job_id: int, source: IO[bytes]) -> int:
    """Encrypt ``source`` (read from its start) into the job's directory; its size in bytes."""
    folder = job_dir(job_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    scratch = folder / f"{FILE_NAME}.part"
    size = 0
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        for index, chunk, last in _chunks(source):
            size += len(chunk)
            out.write(crypto.encrypt(_frame(job_id, index, last, chunk)) + "\n")
    scratch.replace(folder / FILE_NAME)  # whole or not at all
    return size


def load(job_id: int) -> io.BytesIO:
    """The job's sheet, decrypted into memory and checked whole."""
    path = job_dir(job_id) / FILE_NAME
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise StoredFileError(f"job {job_id}: no readable stored file") from error
    plain = io.BytesIO()
    last = False
    for index, line in enumerate(lines):
        try:
            header, chunk = _unframe(crypto.decrypt(line))
        except (crypto.DecryptionError, ValueError) as error:
            raise StoredFileError(f"job {job_id}: chunk {index} does not decrypt") from error
        if header[:2] != (int(job_id), index) or last:
            raise StoredFileError(f"job {job_id}: chunk {index} is out of place")
        last = header[2]
        plain.write(chunk)
    if not last:
        raise StoredFileError(f"job {job_id}: the stored file is cut short")
    plain.seek(0)
    return plain


def discard(job_id: int) -> None:
    shutil.rmtree(job_dir(job_id), ignore_errors=True)


def stored_job_ids(older_than_seconds: float = 0) -> set[int]:
    """Jobs with a directory here, last changed at least ``older_than_seconds`` ago."""
    root = conf.files_dir()
    if not root.is_dir():
        return set()
    cutoff = time.time() - older_than_seconds
    return {
        int(entry.name)
        for entry in root.iterdir()
        if entry.name.isascii() and entry.name.isdigit() and entry.stat().st_mtime <= cutoff
    }


def _chunks(source: IO[bytes]) -> Iterable[tuple[int, bytes, bool]]:
    source.seek(0)
    index, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        yield index, chunk, not following
        if not following:
            return
        index, chunk = index + 1, following


def _frame(job_id: int, index: int, last: bool, chunk: bytes) -> str:
    return f"{int(job_id)}:{index}:{int(last)}:{base64.b64encode(chunk).decode()}"


def _unframe(text: str) -> tuple[tuple[int, int, bool], bytes]:
    job_id, index, last, data = text.split(":", 3)
    if last not in ("0", "1"):
        raise ValueError("bad chunk header")
    return (int(job_id), int(index), last == "1"), base64.b64decode(data, validate=True)
