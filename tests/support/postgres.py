"""A real PostgreSQL for the tests: Debian's `postgresql` package (initdb, pg_ctl) run as a
non-root user in a private temporary folder, listening on a free loopback port only.

PostgreSQL refuses to run as root, and the tests run as root in CI: the server then runs
as the `postgres` system user the package creates (else `nobody`), in a folder that user
owns. Nothing is installed or configured outside that folder; stop() removes the cluster.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.streamlit_server import free_port

PASSWORD = "s3cret-test-pw"


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""

    def version(initdb: str) -> int:
        name = Path(initdb).parent.parent.name
        return int(name) if name.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def unavailable_reason() -> str | None:
    """Why PostgreSQL cannot run here, or None when it can."""
    if postgres_bin() is None:
        return (
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
            "`apt-get install postgresql` (.ci/run does)"
        )
    if os.geteuid() == 0 and _server_user() is None:
        return "running as root, and no `postgres` or `nobody` user exists to run the server"
    return None


def _server_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


@dataclass
class PostgresServer:
    """One throwaway cluster; `dsn(database)` gives a libpq keyword string for it."""

    root: Path
    port: int
    user: str = "cockpit"
    password: str = PASSWORD

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = postgres_bin()
        account = _server_user()
        if bin_dir is None or account is None:
            raise RuntimeError(unavailable_reason() or "PostgreSQL cannot run here")
        root = Path(tempfile.mkdtemp(prefix="cockpit-pg-"))
        os.chmod(root, 0o700)
        os.chown(root, account.pw_uid, account.pw_gid)
        server = cls(root, free_port())
        server._account = account
        server._bin = bin_dir
        pwfile = root / "pw"
        pwfile.write_text(server.password + "\n")
        os.chown(pwfile, account.pw_uid, account.pw_gid)
        server._run(
            "initdb", "-D", str(root / "data"), "-U", server.user, "--auth=scram-sha-256",
            f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C",
        )  # fmt: skip
        server.resume()
        return server

    def resume(self) -> None:
        """Start the server (again, after pause())."""
        self._run(
            "pg_ctl", "-D", str(self.root / "data"), "-l", str(self.root / "log"), "-w", "-t", "60",
            "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=300 "
            "-c log_line_prefix=%d:",
            "start",
        )  # fmt: skip

    def pause(self) -> None:
        """Stop the server, keeping its data: PostgreSQL going down under a running app."""
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def _run(self, tool: str, *args: str) -> str:
        env = {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "PGPASSWORD": self.password}
        result = subprocess.run(
            [str(self._bin / tool), *args],
            cwd=self.root,
            env=env,
            user=self._account.pw_uid,
            group=self._account.pw_gid,
            extra_groups=[] if os.geteuid() == 0 else None,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            log = self.root / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {result.stderr or result.stdout}\n{tail}")
        return result.stdout

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as the cluster's owner; returns psql's unaligned output."""
        return self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", database,
            "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql,
        )  # fmt: skip

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def dsn(self, database: str, *, password: str | None = None, port: int | None = None) -> str:
        """A libpq keyword string; the password is given only when asked for."""
        parts = [
            f"dbname={database}",
            "host=127.0.0.1",
            f"port={port or self.port}",
            f"user={self.user}",
        ]
        if password is not None:
            parts.append(f"password={password}")
        return " ".join(parts)

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def log_size(self) -> int:
        return (self.root / "log").stat().st_size

    def statements_since(self, offset: int, database: str) -> list[str]:
        """Statements the server ran for `database` since the log was `offset` bytes long
        (with log_statement = all, see log_statements())."""
        with (self.root / "log").open(errors="replace") as log:
            log.seek(offset)
            text = log.read()
        marker = f"{database}:LOG:  statement: "
        return [line.split(marker, 1)[1] for line in text.splitlines() if marker in line]

    def log_statements(self, database: str) -> None:
        """Log every statement run on `database` (to count catalog round trips)."""
        self.psql(f"ALTER DATABASE \"{database}\" SET log_statement = 'all'")
