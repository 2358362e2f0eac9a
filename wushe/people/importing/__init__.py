"""Importing residents' files (建档) from an Excel or CSV sheet: ``import_residents``.

The rules are ``services.resident_file``'s, applied to a whole sheet at once:

- **Checks.** Every row is checked and every problem reported with its row (as Excel numbers
  it), column, stable code and reason in Chinese and English (codes: docs/import-codes.md).
  ID numbers and phones go through ``parse_id_number`` and ``parse_phone``, so gender and birth
  date come from the ID number and a gender written in the sheet must agree with it.
- **All or nothing.** Nothing is written unless every row is good, or, with ``valid_only``,
  the good rows are written; either way in one transaction (a bulk load writes as it checks,
  inside that transaction, and rolls it back if the sheet turns out bad). ``dry_run`` checks
  and writes nothing. A file-level problem (unreadable, a missing column) is always fatal.
- **Files already there.** A row whose ID number is filed outside the actor's subtree is
  refused (``filed_elsewhere``, saying nothing of that file). One filed inside it is updated
  from the row: name, phone, village, address, notes, and — when the sheet has those columns —
  disability grade, risk level, guardian and guardian phone. A blank cell keeps what the file
  holds (an import never erases; clear a value on the resident's page). 困难类别, when not
  blank, replaces the file's categories; a file that loses 残疾人 loses its grade with it. The ID
  number, and so gender and birth date, never change; nor does the filing station. Health notes
  are never imported: they need a recorded consent. Re-importing the same sheet changes nothing.
  A file changed by someone else between the check and the write (its ``updated_at`` moved), or
  a person filed meanwhile, refuses the whole import (``import_conflict``): nothing is lost.
- **Audit.** Every run (dry runs and refused files too) writes one entry ``people.import``:
  who (the actor), which file (its name and SHA-256, also the entry's object id), the mode, and
  the counts of rows, created, updated, unchanged and rejected rows. When an import creates or
  changes at most ``AUDIT_DETAIL_LIMIT`` (1,000) files, each also gets the CREATE or UPDATE entry
  a filing through the page would write, with the same masked fields. Above that, a million
  entries would bury the log and the hash chain's single lock would serialise the import, so the
  import's own entry stands for them and names the time ``filed_at`` that every file it created
  or changed carries as ``created_at``/``updated_at``: which files an import touched stays
  answerable, and the file's hash proves what they were given.
- **Speed.** Rows are checked in chunks of ``CHUNK``, by themselves in forked children (the ID
  number, phones, keyed hashes, tokens, pinyin, every rule that needs no database:
  ``checking``, ``parallel``), then in file order by the parent: repeated ID numbers, one query
  per chunk for the villages and one for the files already there (``planning``). A CSV
  without quotes is cut into blocks of lines that the children parse themselves (``blocks``).
  New files travel as their COPY text (tokens, never plaintext) and are written by COPY
  (``writing``); a large CSV into a table it at least doubles is COPYed while it is checked,
  its indexes rebuilt after (``bulk``, ``indexes``); updates go through a temporary table and
  one UPDATE. The 建档人数 counters are moved by what was written, counted per village
  (``counting``). ``bench/residents_import.py`` measures it.
"""

from wushe.people.importing.columns import COLUMNS
from wushe.people.importing.problems import IMPORT_PROBLEMS
from wushe.people.importing.service import (
    AUDIT_DETAIL_LIMIT,
    CHUNK,
    IMPORT_TYPE,
    ImportResult,
    import_residents,
)
from wushe.people.importing.template import write_residents_template

__all__ = [
    "AUDIT_DETAIL_LIMIT",
    "CHUNK",
    "COLUMNS",
    "IMPORT_PROBLEMS",
    "IMPORT_TYPE",
    "ImportResult",
    "import_residents",
    "write_residents_template",
]
