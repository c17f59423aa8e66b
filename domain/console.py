"""What every command line shares at its edge: a reader that stops early ends it quietly.

`cockpit report --format csv --table projects | head` closes the pipe after ten lines;
the command then stops as the Unix tools do (exit 141, 128 + SIGPIPE), without a
traceback and without Python's "Exception ignored ... BrokenPipeError" at exit.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable

EXIT_PIPE_CLOSED = 141

Main = Callable[[list[str] | None], int]


def pipe_safe(main: Main) -> Main:
    """`main`, ending with EXIT_PIPE_CLOSED when its reader closes stdout."""

    @functools.wraps(main)
    def guarded(argv: list[str] | None = None) -> int:
        try:
            code = main(argv)
            sys.stdout.flush()  # a reader gone after the last write shows here
            return code
        except BrokenPipeError:
            # Point stdout at /dev/null so that the flush at exit cannot fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_PIPE_CLOSED

    return guarded
