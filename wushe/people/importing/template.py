"""The residents import template: the headers, ID numbers formatted as text, no example rows.

No examples on purpose: an example row left in a filled template would be imported as a
resident. ``columns`` says how each column is read.
"""

from __future__ import annotations

from os import PathLike

from wushe.core.tabular import write_template
from wushe.people.importing.columns import COLUMNS


def write_residents_template(path: str | PathLike[str]) -> None:
    """Write the template as .xlsx or .csv, by the extension."""
    write_template(path, COLUMNS)
