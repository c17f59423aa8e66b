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

The child is a fresh interpreter (`python -c`, about 0.2 s to start), never a fork: the
Streamlit server is multi-threaded, and multiprocessing's spawn would run the caller's
main script again in the child (under Streamlit, the page being drawn). The job, its
arguments and its answer travel pickled through the child's stdin and stdout; it is the
caller's own child, so its memory and CPU count in the caller's resource usage.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from connectors.sheets.limits import Limits

T = TypeVar("T")
Reason = Literal["memory", "time", "crash"]
ROOT = Path(__file__).resolve().parent.parent
CHILD = "from connectors.isolated import serve; serve()"
# At most this many uploads are parsed at once by one server; the others wait their turn.
_SLOTS = threading.BoundedSemaphore(2)


class WorkerFailed(Exception):
    """The child ended without an answer: out of memory, out of time, or it crashed.
    `detail` holds the end of what it wrote to stderr (for a log, never for a page)."""

    def __init__(self, reason: Reason, limits: Limits, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.limits = limits
        self.detail = detail


def run_isolated(job: Callable[..., T], *args: Any, limits: Limits) -> T:
    """`job(*args)` in a child process within the limits; its result, or the exception
    it raised. Raises WorkerFailed when the child ends without an answer. The job is a
    module-level function (it travels by name)."""
    request = pickle.dumps(
        (job, args, limits.worker_memory_bytes, limits.worker_seconds), pickle.HIGHEST_PROTOCOL
    )
    with _SLOTS:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            answer, errors = child.communicate(request, timeout=limits.worker_seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise WorkerFailed("time", limits) from None
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    detail = errors.decode(errors="replace")[-2000:]
    try:
        status, payload = pickle.loads(answer)
    except Exception:  # no answer, or a cut one: the child died
        raise WorkerFailed(_reason(child.returncode), limits, detail) from None
    if status == "memory":
        raise WorkerFailed("memory", limits, detail)
    if status == "raised":
        raise payload
    return payload


def _reason(returncode: int | None) -> Reason:
    """Why a child ended without answering: an abort (a native reader whose allocation
    failed) or a kill (the kernel's out-of-memory killer) is memory; the CPU limit is time."""
    if returncode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        return "memory"
    if returncode == -signal.SIGXCPU:
        return "time"
    return "crash"


def serve() -> None:
    """In the child: keep stdout for the answer (anything printed goes to stderr), read
    the job, limit memory and CPU time (the CPU limit ends a child whose parent is gone;
    the parent ends it at the wall-time limit), run it, write the outcome."""
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    job, args, memory, seconds = pickle.loads(sys.stdin.buffer.read())
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
        data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    except Exception as exc:  # an exception that does not pickle
        data = pickle.dumps(("raised", RuntimeError(f"{type(exc).__name__}: {exc}")))
    answer.write(data)
    answer.close()
