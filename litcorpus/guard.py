"""Run a parser on an untrusted file in a child process that cannot take more than its share.

A PDF or a saved page is a file from anywhere: a bomb of nested objects, a stream that inflates to
gigabytes or a 50 MB page must end with a reason, never hang the ingest or take the machine's
memory. `run(work, *args)` forks a child that sets its own address-space and CPU limits, runs
`work(*args)` and sends the result back through a pipe; the parent waits at most `seconds` and
kills the child after that. Whatever goes wrong in the child comes back as a `GuardError` whose
message says what happened in a user's words.

Where a child cannot be forked safely (not Linux, or another thread runs: see
`litcorpus.parallel.can_fork`) the work runs in this process without limits.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from litcorpus import parallel
from litcorpus.errors import LitcorpusError

Result = TypeVar("Result")

SECONDS = 20.0
"""Wall-clock seconds a child may take (the issue's bound is 30 s per file, forking included)."""
MEMORY_MB = 768
"""Memory a child may add to what it inherits (the issue's bound is 1 GB per file)."""


class GuardError(LitcorpusError):
    """The work did not finish within its limits, or its process died."""


def run(work: Callable[..., Result], *args, seconds: float | None = None,
        memory_mb: int | None = None) -> Result:
    """`work(*args)` in a limited child process; raises GuardError when it cannot finish.

    An exception raised by `work` itself is raised again here (it must pickle). The limits default
    to SECONDS and MEMORY_MB, read at each call.
    """
    seconds = seconds or SECONDS
    memory_mb = memory_mb or MEMORY_MB
    if not parallel.can_fork():
        return work(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            _limit(seconds, memory_mb)
            try:
                outcome = (True, work(*args))
            except MemoryError:
                outcome = (False, GuardError(f"needs more than {memory_mb} MB of memory"))
            except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it again
                outcome = (False, exc)
            try:
                payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
                payload = pickle.dumps((False, GuardError(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return _collect(pid, read_end, seconds, memory_mb)


def _limit(seconds: float, memory_mb: int) -> None:
    """In the child: at most `memory_mb` more address space than now, and CPU time."""
    with open("/proc/self/statm", "rb") as handle:
        pages = int(handle.read().split()[0])
    now = pages * resource.getpagesize()
    cap = now + (memory_mb << 20)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    faulthandler.disable()  # a crash here is reported by the parent as a reason, not a dump
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a C library's complaints about a damaged file go nowhere
    os.close(devnull)


def _collect(pid: int, read_end: int, seconds: float, memory_mb: int):
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise GuardError(f"not read within {seconds:.0f} s (a damaged or hostile file?)")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGXCPU, signal.SIGKILL):
            raise GuardError(f"not read within {seconds:.0f} s of CPU (a damaged or hostile file?)")
        raise GuardError(f"the reader crashed ({signal.Signals(sig).name}); the file may be damaged "
                         f"or need more than {memory_mb} MB of memory")
    try:
        ok, value = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - a child that died before it sent everything
        raise GuardError(f"the reader stopped without a result; the file may need more than "
                         f"{memory_mb} MB of memory") from None
    if ok:
        return value
    raise value
