"""A `streamlit run` in a subprocess on a free local port, and the Chromium the browser
tests and the page benchmark drive: one way to start both, shared by tests and bench."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import requests

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`streamlit run SCRIPT` against the store DB, started from CWD (not the repository:
    the app must work from anywhere), served until stop(). With LOG_DIR its output goes to
    streamlit-PORT.log there, and a server that does not start says why."""

    def __init__(
        self,
        script: Path,
        db: Path | str,
        *,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"streamlit-{self.port}.log" if log_dir else None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=cwd,
            env={**os.environ, "COCKPIT_DB": str(db), **(env or {})},
            stdout=self.log.open("w") if self.log else subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/_stcore/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        why = f":\n{self.log.read_text()[-2000:]}" if self.log else ""
        raise RuntimeError(f"{script.name} did not start{why}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
