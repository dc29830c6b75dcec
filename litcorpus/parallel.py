"""Work on more than one core: a function over a few items, the first in this process and each
other one in a forked child that sends its result back through a pipe (`results`).

Forking is safe only while this process runs no other thread (a child could inherit a lock that
thread holds), and only on Linux; anywhere else the items run here one after another. A child that
fails for any reason has its item run again here, so the outcome never depends on whether a child
worked.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def cpus() -> int:
    """How many CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a child can be forked safely now: on Linux (macOS system libraries are not safe
    across a fork), with no other thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def results(work: Callable[[Item], Result], items: list[Item]) -> Iterator[Result]:
    """`work(item)` for each item, in order; the items after the first each in a child process,
    all started at once, so that the caller can use one result while the others are made.

    Results must pickle; plain data (strings, lists) pickles fast.
    """
    if len(items) < 2 or not can_fork():
        yield from map(work, items)
        return
    pending = [_start(work, item) for item in items[1:]]
    try:
        yield work(items[0])
        for item in items[1:]:
            pid, read_end = pending.pop(0)
            yield _collect(pid, read_end, work, item)
    finally:
        for pid, read_end in pending:  # stopped early: their results are not wanted
            os.kill(pid, signal.SIGKILL)
            os.close(read_end)
            os.waitpid(pid, 0)


def _start(work: Callable[[Item], Result], item: Item) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never prints, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(work(item), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int, work: Callable[[Item], Result], item: Item) -> Result:
    """The child's result, or `work(item)` run here when the child did not deliver one."""
    try:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if status == 0:
        try:
            return pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a cut-short payload: do the work here instead
            pass
    return work(item)
