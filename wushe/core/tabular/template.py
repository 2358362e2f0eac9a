"""The downloadable import template: the headers, optional example rows, text columns as text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike

from wushe.core.tabular.reader import Column
from wushe.core.tabular.writing import write_rows


def write_template(
    path: str | PathLike[str],
    columns: Sequence[Column],
    *,
    examples: Sequence[Mapping[str, object]] | None = None,
) -> None:
    """Write a template (.xlsx or .csv by the extension) that ``read_table`` reads back.

    In the workbook, text-only columns are formatted as Text ("@") down the whole column, so an
    ID number typed later keeps its 18 digits. A CSV carries no formats: its text-only example
    values start with a tab, which keeps Excel from turning them into numbers and which the
    reader strips.
    """
    names = [column.name for column in columns]
    for example in examples or ():
        unknown = set(example) - set(names)
        if unknown:
            raise ValueError(f"example names columns not in the template: {sorted(unknown)}")
    rows = [[_text(example.get(name)) for name in names] for example in examples or ()]
    text_columns = {index for index, column in enumerate(columns) if column.text_only}
    write_rows(path, names, rows, text_columns=text_columns)


def _text(value: object) -> str:
    return "" if value is None else str(value)
