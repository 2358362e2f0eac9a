"""Deriving a large sheet's rows in other processes, while this one reads and checks.

``derive`` (ID number, phones, keyed hashes, tokens, pinyin) is a pure function of four cells
and about half of a row's checking time. For a sheet of more than one chunk, forked children
derive the next chunks while the parent checks chunk k and reads on: on a 2-core machine the
checking stage of a million rows takes about 40% less time (``bench/residents_import.py``).
The parent still reads the sheet, checks every row in file order, asks the database and
writes, so the error report and the rows written are those of the serial path (the tests
compare them); only the derived tuples cross the pipe, never a plaintext ID number at rest.

A fork is safe only in a process with one thread: a lock held by another thread at the fork
(logging, an import, a connection pool) would stay held forever in the child. So children are
used from the command line (``wushe import residents``) but not from a web server's worker
threads, which derive in-process. Rows and results cross the pipe by ``marshal`` (strings and
None only), a third of ``pickle``'s cost. A child uses no database connection and leaves
through ``os._exit``, so it never closes the parent's. If one dies, the parent derives its
chunks itself.
"""

from __future__ import annotations

import marshal
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from datetime import date

from wushe.core.tabular import Row
from wushe.people.importing.checking import cells_of
from wushe.people.importing.derive import Cells, Derived, Deriver

# Two children on two cores: with one, parent and child wait on each other's slower chunks
# (2.3 s of a 12.6 s check of a million rows); with two, each child has twice the time.
CHILDREN = 2


def derived_chunks(
    chunks: Iterable[list[Row]], today: date, *, parallel: bool | None = None
) -> Iterator[tuple[list[Row], list[Derived]]]:
    """Each chunk of rows with its derived tuples, in order. ``parallel`` None forks children
    when the process allows it (see above) and there is more than one chunk."""
    derive = Deriver(today)
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None or not (_can_fork() if parallel is None else parallel):
        for chunk in _chain((first, second), chunks):
            yield chunk, [derive(cells_of(row)) for row in chunk]
        return
    with ExitStack() as stack:
        children = [stack.enter_context(_Child(today)) for _ in range(CHILDREN)]
        # Chunks go to the children in turn, one in flight per child, and the parent sends a
        # child the next only once it has taken back that child's last: neither side can block
        # the other on a full pipe. Each child has two of the parent's chunk-times to derive
        # its chunk, so the parent seldom waits on a slow one.
        flying: deque[tuple[list[Row], _Child]] = deque()
        for chunk in _chain((first, second), chunks):
            cells = [cells_of(row) for row in chunk]
            if len(flying) < len(children):
                child = children[len(flying)]
                child.send(cells)
                flying.append((chunk, child))
                continue
            done, child = flying.popleft()
            derived = child.receive(derive)
            child.send(cells)
            flying.append((chunk, child))
            yield done, derived
        while flying:
            done, child = flying.popleft()
            yield done, child.receive(derive)


def _chain(first: Iterable[list[Row] | None], rest: Iterator[list[Row]]) -> Iterator[list[Row]]:
    yield from (chunk for chunk in first if chunk is not None)
    yield from rest


def _can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


class _Child:
    """One forked process deriving the chunks it is sent, in order."""

    def __init__(self, today: date) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, today), daemon=True)
        self.process.start()
        child_end.close()
        self.alive = True
        self.pending: list[Cells] = []  # sent, not received: derived here if it dies

    def send(self, cells: list[Cells]) -> None:
        self.pending = cells
        if self.alive:
            try:
                self.connection.send_bytes(marshal.dumps(cells))
            except OSError:
                self.alive = False

    def receive(self, derive: Deriver) -> list[Derived]:
        """The derived tuples of the chunk last sent; derived here if the child is gone."""
        cells, self.pending = self.pending, []
        if self.alive:
            try:
                derived = marshal.loads(self.connection.recv_bytes())
                if len(derived) == len(cells):
                    return derived
            except (EOFError, OSError):
                pass
            self.alive = False
        return [derive(cell) for cell in cells]

    def __enter__(self) -> _Child:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self.alive:
                self.connection.send_bytes(marshal.dumps([]))  # the end
        except OSError:
            pass
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _serve(connection, today: date) -> None:
    # Ctrl-C at the command line is the parent's to handle; a parent gone closes the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    derive = Deriver(today)
    try:
        while cells := marshal.loads(connection.recv_bytes()):
            connection.send_bytes(marshal.dumps([derive(cell) for cell in cells]))
    except (EOFError, OSError):
        pass
