"""Work on more than one core: a function over a few items, the first in this process and each
other one in a forked child that sends its result back through a pipe (`results`); or every item
in a child that sends its parts as they are made, while this process takes them in (`streams`).

Forking is safe only while this process runs no other thread (a child could inherit a lock that
thread holds), and only on Linux; anywhere else the items run here one after another. A child that
fails for any reason has its item run again here, so the outcome never depends on whether a child
worked.
"""

from __future__ import annotations

import collections
import gc
import itertools
import os
import pickle
import selectors
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Part = TypeVar("Part")


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


def streams(work: Callable[[Item], Iterable[Part]], items: list[Item]) -> Iterator[tuple[int, Part]]:
    """(n, part) for each part `work(items[n])` yields, item after item, parts in order.

    With two items or more (and a fork possible), every item is worked on in a forked child that
    sends each part as soon as it is made, and this process only takes them in: what the caller
    does with a part (store it) runs beside the children's work instead of after its own share.
    The parts of later items are read as they come and kept until their turn. A child that stops
    before its last part has the rest of its item made here (`work` must give the same parts
    again), so the outcome never depends on whether a child worked.
    """
    if len(items) < 2 or not can_fork():
        for n, item in enumerate(items):
            for part in work(item):
                yield n, part
        return
    children = [_start_stream(work, item) for item in items]
    inbox = _Inbox([read_end for _, read_end in children])
    try:
        for n, item in enumerate(items):
            sent = 0
            while True:
                part = inbox.next_part(n)
                if part is _DONE:
                    break
                if part is _BROKEN:  # the child stopped short: the rest is made here
                    for part in itertools.islice(work(item), sent, None):
                        yield n, part
                    break
                sent += 1
                yield n, part
            os.waitpid(children[n][0], 0)
            children[n] = (0, children[n][1])
    finally:
        inbox.close()
        for pid, _ in children:
            if pid:  # stopped early: their parts are not wanted
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


_DONE, _BROKEN = object(), object()
_LENGTH = 8
"""Each part goes through the pipe as its pickle's length (8 bytes) and the pickle; a length of 0
ends the item."""


def _start_stream(work: Callable[[Item], Iterable[Part]], item: Item) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never prints, never runs the parent's exit handlers
        status = 1
        try:
            gc.disable()  # a short-lived process: its garbage goes when it exits
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                for part in work(item):
                    payload = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
                    out.write(len(payload).to_bytes(_LENGTH, "little"))
                    out.write(payload)
                    out.flush()
                out.write(bytes(_LENGTH))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


class _Inbox:
    """The parts coming from several pipes at once, kept per pipe until asked for."""

    def __init__(self, read_ends: list[int]):
        self.selector = selectors.DefaultSelector()
        self.buffers = [bytearray() for _ in read_ends]
        self.parts: list[collections.deque] = [collections.deque() for _ in read_ends]
        self.open = list(read_ends)
        for n, read_end in enumerate(read_ends):
            os.set_blocking(read_end, False)
            self.selector.register(read_end, selectors.EVENT_READ, n)

    def next_part(self, n: int):
        """The next part from pipe `n`: a part, `_DONE` after the last, `_BROKEN` when the pipe
        ended without its end mark."""
        while not self.parts[n]:
            if self.open[n] is None:
                return _BROKEN
            for key, _ in self.selector.select():
                self._read(key.data)
        return self.parts[n].popleft()

    def _read(self, n: int) -> None:
        read_end, buffer = self.open[n], self.buffers[n]
        try:
            chunk = os.read(read_end, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            self._close(n)
            return
        buffer += chunk
        while len(buffer) >= _LENGTH:
            size = int.from_bytes(buffer[:_LENGTH], "little")
            if size == 0:
                self.parts[n].append(_DONE)
                del buffer[:_LENGTH]
                self._close(n)
                return
            if len(buffer) < _LENGTH + size:
                return
            try:
                self.parts[n].append(pickle.loads(buffer[_LENGTH:_LENGTH + size]))
            except Exception:  # noqa: BLE001 - a garbled part: the rest is made in this process
                self._close(n)
                return
            del buffer[:_LENGTH + size]

    def _close(self, n: int) -> None:
        if self.open[n] is not None:
            self.selector.unregister(self.open[n])
            os.close(self.open[n])
            self.open[n] = None

    def close(self) -> None:
        for n in range(len(self.open)):
            self._close(n)
        self.selector.close()
