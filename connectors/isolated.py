"""Uploads are parsed in a child process with a memory and a time limit.

The readers are native code: a file that makes one ask for more memory than there is
aborts the whole process, not just the call (the XLSX reader did so for a sheet whose
values span A1:XFD1048576, taking the Streamlit server down for every user). So an upload
is read, parsed and validated in a child process limited to `Limits.worker_memory_bytes`
of address space (`resource.setrlimit(RLIMIT_AS)`) and `Limits.worker_seconds` of wall
time: a reader that gives up, or a file that takes too long, ends only that child, and
the caller gets `WorkerFailed` to turn into a message. The checks before parsing
(connectors/sheets/xlsx_guard.py, the CSV checks) refuse the known shapes with a precise
message first; this is what holds for the shapes nobody thought of.

Children are spawned (a fresh interpreter, about 0.2 s to start): a plain fork of the
multi-threaded Streamlit server could deadlock, and a spawned child is the caller's own,
so its memory and CPU count in the caller's resource usage.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Literal, TypeVar

from connectors.sheets.limits import Limits

T = TypeVar("T")
Reason = Literal["memory", "time", "crash"]
# At most this many uploads are parsed at once by one server; the others wait their turn.
_SLOTS = threading.BoundedSemaphore(2)
_CONTEXT = multiprocessing.get_context("spawn")


class WorkerFailed(Exception):
    """The child ended without an answer: out of memory, out of time, or it crashed."""

    def __init__(self, reason: Reason, limits: Limits, exitcode: int | None = None):
        super().__init__(reason, exitcode)
        self.reason = reason
        self.limits = limits
        self.exitcode = exitcode


def run_isolated(job: Callable[..., T], *args: Any, limits: Limits) -> T:
    """`job(*args)` in a child process within the limits; its result, or the exception
    it raised. Raises WorkerFailed when the child ends without an answer. The job and
    its arguments and result travel by pickle, so the job is a module-level function."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child,
        args=(sender, job, args, limits.worker_memory_bytes, limits.worker_seconds),
        name="cockpit-upload-check",
        daemon=True,
    )
    with _SLOTS:
        process.start()
        sender.close()
        try:
            answer = _answer(receiver, process, limits)
        finally:
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join()
    status, payload = answer
    if status == "raised":
        raise payload
    return payload


def _answer(
    receiver: Connection, process: multiprocessing.process.BaseProcess, limits: Limits
) -> tuple[str, Any]:
    if not receiver.poll(limits.worker_seconds):
        raise WorkerFailed("time", limits)
    try:
        status, payload = receiver.recv()
    except (EOFError, OSError):
        process.join(10)
        code = process.exitcode
        reason: Reason = "memory" if code in (-signal.SIGABRT, -signal.SIGKILL) else "crash"
        if code == -signal.SIGXCPU:
            reason = "time"
        raise WorkerFailed(reason, limits, code) from None
    if status == "memory":
        raise WorkerFailed("memory", limits)
    return status, payload


def _child(
    sender: Connection, job: Callable[..., Any], args: tuple[Any, ...], memory: int, seconds: int
) -> None:
    """In the child: limit memory and CPU time (the CPU limit ends a child whose parent is
    gone; the parent ends it at the wall-time limit), run the job, send the outcome."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = seconds * max(os.cpu_count() or 1, 1) + 10
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    try:
        outcome: tuple[str, Any] = ("ok", job(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:  # handed to the caller, which raises it
        outcome = ("raised", exc)
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", None))
    except Exception as exc:  # an exception that does not pickle
        sender.send(("raised", RuntimeError(f"{type(exc).__name__}: {exc}")))
    sender.close()
