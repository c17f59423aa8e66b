"""Shared fixtures: real DuckDB files in temporary folders, the demo loaded once."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from store import Store, close_all, open_store
from tests.support.fake_jira import FakeJira, Served, serve
from tests.support.jira_data import IssueSpec


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


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio loaded once per test session; copy it before writing to it."""
    from connectors.cli import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    load_demo(open_store(str(path)))
    close_all()
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store for one test."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    return path


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
        at.switch_page("pages/data.py")
        at.run()
        assert not at.exception
        return at

    return make
