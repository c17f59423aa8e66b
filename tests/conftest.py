"""Shared fixtures: real DuckDB files in temporary folders, the demo loaded once, a real
PostgreSQL (Debian's package, run as a non-root user on a loopback port) for the DuckLake
stores and a real S3-compatible server (moto's) for their data files, each started once
per test process and stopped at its end."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors.ingest import ingest
from store import Store, close_all, open_store
from tests.sheets import snapshot_files
from tests.support.fake_jira import FakeJira, Served, serve
from tests.support.jira_data import IssueSpec
from tests.support.postgres import PostgresServer, unavailable_reason
from tests.support.s3 import S3Server


@pytest.fixture(autouse=True)
def _release_stores() -> Iterator[None]:
    """Every test starts and ends with no store open in this process."""
    close_all()
    yield
    close_all()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cockpit.duckdb"


@pytest.fixture
def store(db_path: Path) -> Store:
    return open_store(str(db_path))


@pytest.fixture
def loaded_store(store: Store) -> Store:
    """A store that already holds one snapshot, so 'unchanged' means something."""
    outcome = ingest(store, snapshot_files(), dt.date(2026, 8, 31), actor="setup")
    assert outcome.commit is not None
    return store


def _loaded_file(factory: pytest.TempPathFactory, name: str, load: Callable[[Store], Any]) -> Path:
    """A store file filled by `load` and closed, to copy from."""
    path = factory.mktemp(name) / f"{name}.duckdb"
    load(open_store(str(path)))
    close_all()
    return path


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio loaded once per test session; copy it before writing to it."""
    from connectors.cli import load_demo

    return _loaded_file(tmp_path_factory, "demo", load_demo)


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store for one test."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    return path


@pytest.fixture(scope="session")
def hostile_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with every text an attack (tests/support/hostile_text.py), loaded once per
    test session; copy it before opening it in an app (hostile_db)."""
    from tests.support.hostile_text import load_hostile_portfolio

    return _loaded_file(tmp_path_factory, "hostile", load_hostile_portfolio)


@pytest.fixture
def hostile_db(hostile_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the hostile store for one test."""
    return Path(shutil.copy(hostile_db_template, tmp_path / "hostile.duckdb"))


@pytest.fixture
def fake_jira() -> Iterator[Callable[..., Served]]:
    """Start local fake Jira sites (tests/support/fake_jira.py); stopped after the test."""
    started: list[Served] = []

    def start(specs: Iterable[IssueSpec] = (), **options: Any) -> Served:
        served = serve(FakeJira(specs, **options))
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


@pytest.fixture
def data_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """The Data page under AppTest on a store file, as `user` when given."""
    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parent.parent / "app.py")

    def make(db: Path, user: str | None = None) -> AppTest:
        monkeypatch.setenv("COCKPIT_DB", str(db))
        if user:
            monkeypatch.setenv("COCKPIT_ALLOW_TEST_USER", "1")
            monkeypatch.setenv("COCKPIT_TEST_USER", user)
        at = AppTest.from_file(app, default_timeout=90)
        at.switch_page("views/data.py")
        at.run()
        assert not at.exception
        return at

    return make


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test process; skipped, saying why, only where
    PostgreSQL cannot run (CI installs it: .ci/run)."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = PostgresServer.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_lake(postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new, empty DuckLake store on its own PostgreSQL database, its data files in a
    temporary folder (COCKPIT_LAKE_DATA): the store URL, password included."""
    name = postgres.create_database(f"lake_{tmp_path.name.lower().replace('-', '_')}"[:60])
    monkeypatch.setenv("COCKPIT_LAKE_DATA", str(tmp_path / "lake-data"))
    return "ducklake:postgres:" + postgres.dsn(name, password=postgres.password)


@pytest.fixture
def sqlite_lake(tmp_path: Path) -> str:
    """A new DuckLake store of the default kind (SQLite catalog file, Parquet beside it)."""
    return f"ducklake:sqlite:{tmp_path / 'cockpit.sqlite'}"


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    """moto's S3 server on a loopback port, credentials required (tests/support/s3.py)."""
    server = S3Server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_lake(postgres_lake: str, s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new, empty DuckLake store with its catalog on PostgreSQL and its data files in a
    new bucket of the S3 server (COCKPIT_LAKE_DATA and COCKPIT_S3_* set)."""
    for name, value in s3.env(s3.create_bucket()).items():
        monkeypatch.setenv(name, value)
    return postgres_lake


@pytest.fixture
def app_on(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Open a page of the app on a store: app_on(db, page="overview", **query_params)."""
    from tests.support.app_pages import open_page

    def make(db: Path, page: str = "overview", **params: str) -> Any:
        monkeypatch.setenv("COCKPIT_DB", str(db))
        return open_page(page, **params)

    return make
