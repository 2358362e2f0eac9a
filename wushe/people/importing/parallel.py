"""Checking a large sheet's chunks in other processes while this one plans and writes.

Checking a row by itself (``checking``: the ID number, phones, keyed hashes, tokens, pinyin,
every rule that needs no database, the file's COPY text) is a pure function of the row, and
most of an import's time. For a sheet of more than one chunk, forked children check chunks in
turn while the parent finishes the chunks they hand back: the checks that need the whole file
or the database, and the files to write (``planning``). A child is sent a chunk's records, or,
for a CSV read in blocks (``blocks``), the block's bytes to parse itself. Results come back in
file order, so the error report and the files written are those of checking in-process (the
tests compare them); only checked rows cross the pipe, never a plaintext ID number at rest.

A fork is safe only in a process with one thread: a lock held by another thread at the fork
(logging, an import, a connection pool) would stay held forever in the child. So children are
used from the command line (``wushe import residents``) but not from a web server's worker
threads, which check in-process. Chunks cross the pipe by ``marshal``, a third of ``pickle``'s
cost. A child uses no database connection and leaves through ``os._exit``, so it never closes
the parent's. If one dies, the parent checks its chunks itself.
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

from wushe.people.importing import blocks
from wushe.people.importing.checking import Record, RowWork

# Two children on two cores: with one, parent and child wait on each other's slower chunks;
# with two, each child has twice the time.
CHILDREN = 2

# A chunk to check: ("rows", records) or ("csv", a block's bytes).
Task = tuple
# What comes back: (the chunk's Checked, or None when a block is not text in the file's
# encoding; the lines of a block; (row, detail) where the CSV is damaged, or ()). A block's
# rows are numbered from 0 (see blocks.renumber).
Result = tuple


class Work:
    """Checks a task, in a child or in-process: the same code either way."""

    def __init__(self, today: date, layout: blocks.Layout | None = None) -> None:
        self.rows = RowWork(today)
        self.layout = layout

    def __call__(self, task: Task) -> Result:
        if task[0] == "csv":
            try:
                found, errors, lines, damaged = blocks.records(task[1], self.layout)
            except blocks.NotInBlocks:
                return None, 0, ()
            return self.rows.check(found, errors), lines, damaged
        return self.rows.check(task[1]), len(task[1]), ()


def rows_task(records: list[Record]) -> Task:
    return ("rows", records)


def checked_chunks(
    tasks: Iterable[Task], work: Work, *, parallel: bool | None = None
) -> Iterator[Result]:
    """Each task's result, in order. ``parallel`` None forks children when the process allows
    it (see above) and there is more than one task."""
    tasks = iter(tasks)
    first = next(tasks, None)
    if first is None:
        return
    second = next(tasks, None)
    if second is None or not (_can_fork() if parallel is None else parallel):
        for task in _chain((first, second), tasks):
            yield work(task)
        return
    with ExitStack() as stack:
        children = [stack.enter_context(_Child(work)) for _ in range(CHILDREN)]
        # Tasks go to the children in turn, one in flight per child, and the parent sends a
        # child the next only once it has taken back that child's last: neither side can block
        # the other on a full pipe. Each child has two of the parent's chunk-times to check its
        # chunk, so the parent seldom waits on a slow one.
        flying: deque[_Child] = deque()
        for task in _chain((first, second), tasks):
            if len(flying) < len(children):
                child = children[len(flying)]
            else:
                child = flying.popleft()
                result = child.receive()
                child.send(task)
                flying.append(child)
                yield result
                continue
            child.send(task)
            flying.append(child)
        while flying:
            yield flying.popleft().receive()


def _chain(first: Iterable[Task | None], rest: Iterator[Task]) -> Iterator[Task]:
    yield from (task for task in first if task is not None)
    yield from rest


def _can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


class _Child:
    """One forked process checking the tasks it is sent, in order."""

    def __init__(self, work: Work) -> None:
        context = multiprocessing.get_context("fork")
        self.work = work
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, work), daemon=True)
        self.process.start()
        child_end.close()
        self.alive = True
        self.pending: Task | None = None  # sent, not received: checked here if it dies

    def send(self, task: Task) -> None:
        self.pending = task
        if self.alive:
            try:
                self.connection.send_bytes(marshal.dumps(task))
            except OSError:
                self.alive = False

    def receive(self) -> Result:
        """The result of the task last sent; checked here if the child is gone."""
        task, self.pending = self.pending, None
        if self.alive:
            try:
                return marshal.loads(self.connection.recv_bytes())
            except (EOFError, OSError, ValueError):
                self.alive = False
        return self.work(task)

    def __enter__(self) -> _Child:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self.alive:
                self.connection.send_bytes(marshal.dumps(None))  # the end
        except OSError:
            pass
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _serve(connection, work: Work) -> None:
    # Ctrl-C at the command line is the parent's to handle; a parent gone closes the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while (task := marshal.loads(connection.recv_bytes())) is not None:
            connection.send_bytes(marshal.dumps(work(task)))
    except (EOFError, OSError):
        pass
