"""What the import pages can import: a registry of kinds (导入类型).

A kind wraps an app's own import function; the pages, the API and the worker know nothing
else about it. Residents register here (``residents``); a later app adds its kind (volunteers,
indicator data) by calling ``register`` from its ``AppConfig.ready``. The import function
must behave as ``people.importing.import_residents`` does: check every row, write nothing
unless every row is good or ``valid_only`` is set, write in one transaction, audit the run,
and return a result with the attributes of :class:`Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from django.utils.functional import Promise

from wushe.core.tabular import ErrorReport

# progress(stage, rows done, rows in all or None): "check", then "write" (and "index").
Progress = Callable[[str, int, int | None], None]


class Outcome(Protocol):
    """What a kind's import function returns (``people.importing.ImportResult`` is one)."""

    sha256: str
    report: ErrorReport
    rows: int
    to_create: int
    to_update: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    fatal: bool
    written: bool

    @property
    def ok(self) -> bool: ...


class Runner(Protocol):
    def __call__(
        self,
        *,
        actor,
        source: IO[bytes],
        file_name: str,
        station,
        dry_run: bool,
        valid_only: bool,
        progress: Progress | None,
    ) -> Outcome: ...


@dataclass(frozen=True)
class PreviewRow:
    """A data row as it will be filed: its number as Excel shows it and its cells as shown
    on screen (personal numbers masked); ``state`` is "new", "filed" (a file already there,
    updated or left as it is) or "error"."""

    number: int
    cells: list[str]
    state: str


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    rows: list[PreviewRow] = field(default_factory=list)


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str | Promise
    run: Runner
    preview: Callable[..., Preview]  # (source, *, user, limit, error_rows) -> Preview
    write_template: Callable[[Path], None]  # writes .xlsx or .csv by the extension
    may_import: Callable[[object], bool]  # the roles that may import this kind
    list_url: str  # URL name of the list the imported rows appear in
    takes_station: bool = True  # rows are filed by a station (the township's, or a chosen one)


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ValueError(f"import kind {kind.key!r} registered twice")
    _KINDS[kind.key] = kind


def kind_of(key: str) -> ImportKind | None:
    return _KINDS.get(key)


def all_kinds() -> list[ImportKind]:
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, str | Promise]]:
    return [(kind.key, kind.label) for kind in _KINDS.values()]
