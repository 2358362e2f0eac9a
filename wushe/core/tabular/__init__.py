"""Generic reading of uploaded Excel (.xlsx) and CSV tables, and the error report.

Independent of any model: an importer declares the ``Column``s it wants, iterates the ``Row``s
of ``read_table(...)``, checks their values, adds a ``RowError`` per bad cell to
``table.errors`` and writes that report (``ErrorReport.write``) for the user. ``write_template``
writes the matching download. See ``problems`` for the row numbers and the reader's own codes.
"""

from wushe.core.tabular.problems import (
    READER_PROBLEMS,
    ErrorReport,
    Problem,
    RowError,
)
from wushe.core.tabular.reader import Column, Progress, Row, Table, read_table
from wushe.core.tabular.template import write_template

__all__ = [
    "READER_PROBLEMS",
    "Column",
    "ErrorReport",
    "Problem",
    "Progress",
    "Row",
    "RowError",
    "Table",
    "read_table",
    "write_template",
]
