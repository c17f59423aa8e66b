"""DuckLake on PostgreSQL with its data files on S3-compatible storage (moto's server, with
authentication on): commits and reads, the settings from the environment or `[store]` in
secrets.toml, the credentials never shown, and S3 stopped, a wrong key or a missing bucket
each with its own message, the store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store, StoreError, StoreUnavailableError, close_all, open_store
from store.core import Database
from store.lake_settings import lake_settings
from tests.support.lake_checks import figures
from tests.support.lake_writer import commit_round
from tests.support.postgres import PostgresServer
from tests.support.s3 import S3Server

# Rows enough that DuckLake writes them to Parquet files, not inlined into the catalog.
SIZE = 200


def _bucket() -> str:
    return lake_settings().bucket() or ""


def test_commits_and_reads_with_data_files_on_s3(s3: S3Server, s3_lake: str):
    store = open_store(s3_lake)
    first = commit_round(store, 1, 1, SIZE)
    commit_round(store, 1, 2, SIZE)
    keys = s3.keys(_bucket())
    assert keys and all(k.startswith("lake/") and k.endswith(".parquet") for k in keys)
    other = Store(Database(s3_lake))  # another process: its copy is read from S3
    assert other.snapshots().equals(store.snapshots())
    assert other.projects(first["snapshot_id"]).height == SIZE
    assert figures(other) == figures(store)
    other.db.close()

    cur = store.db._lake_cursor()
    shown = [
        str(cur.execute(f"SELECT * FROM {table}()").fetchall())
        for table in ("duckdb_secrets", "duckdb_databases", "duckdb_settings")
    ]
    for text in [*shown, store.name]:
        assert s3.secret not in text
    assert "secret=redacted" in shown[0]  # DuckDB holds it, redacted


def test_settings_come_from_secrets_toml_and_the_environment_wins(
    s3: S3Server, postgres_lake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    bucket = s3.create_bucket()
    env = s3.env(bucket)
    for name in env:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        "[store]\n"
        f'lake_data = "{env["COCKPIT_LAKE_DATA"]}"\n'
        f's3_endpoint = "{s3.endpoint}"\n'
        's3_region = "us-east-1"\n'
        's3_url_style = "path"\n'
        f's3_key_id = "{s3.key_id}"\n'
        's3_secret = "not-the-secret"\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COCKPIT_S3_SECRET", s3.secret)  # the environment wins
    settings = lake_settings()
    assert settings.data_path == env["COCKPIT_LAKE_DATA"] and settings.s3 is not None
    assert settings.s3.endpoint == f"127.0.0.1:{s3.port}" and not settings.s3.use_ssl
    assert s3.secret not in repr(settings)
    commit_round(open_store(postgres_lake), 1, 1, SIZE)
    assert s3.keys(bucket)


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("COCKPIT_S3_URL_STYLE", "sideways", "must be path or vhost"),
        ("COCKPIT_S3_ENDPOINT", "ftp://example.org/x", "must be host:port"),
        ("COCKPIT_LAKE_DATA", "s3:///prefix", "names no bucket"),
    ],
)
def test_s3_settings_that_cannot_work_are_named(monkeypatch, setting, value, says):
    monkeypatch.setenv(setting, value)
    with pytest.raises(StoreError, match=says):
        lake_settings()


def test_s3_stopped_mid_run_gives_a_message_and_the_store_stays_as_it_was(
    s3: S3Server, s3_lake: str
):
    store = open_store(s3_lake)
    commit_round(store, 1, 1, SIZE)
    before = store.snapshots()
    s3.pause()
    try:
        with pytest.raises(StoreUnavailableError, match="is not reachable") as write:
            commit_round(store, 1, 3, SIZE)
        with pytest.raises(StoreUnavailableError, match="is not reachable") as read:
            Store(Database(s3_lake)).snapshots()  # a process that has no copy yet
        for caught in (write, read):
            text = str(caught.value)
            assert "object storage of the store's data files" in text
            assert "Could not connect" in text and s3.endpoint in text  # the cause, kept
            assert s3.secret not in text
        assert store.snapshots().equals(before)  # this process reads its copy meanwhile
    finally:
        s3.resume()
    close_all()
    again = open_store(s3_lake)
    assert again.snapshots().equals(before)  # nothing half-written
    assert commit_round(again, 1, 3, SIZE)["snapshot_id"] == 2  # on it goes, no gap


def test_wrong_credentials_a_missing_bucket_and_a_stopped_s3_are_told_apart(
    s3: S3Server, s3_lake: str, postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
):
    commit_round(open_store(s3_lake), 1, 1, SIZE)
    close_all()

    def read_fails(**env: str) -> str:
        with monkeypatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            with pytest.raises(StoreUnavailableError) as caught:
                Store(Database(s3_lake)).snapshots()
        return str(caught.value)

    wrong_secret = read_fails(COCKPIT_S3_SECRET="not-the-secret")
    wrong_key = read_fails(COCKPIT_S3_KEY_ID="AKIANOTAKEY")
    stopped = read_fails(COCKPIT_S3_ENDPOINT="http://127.0.0.1:1")
    with monkeypatch.context() as patch, pytest.raises(StoreUnavailableError) as unset:
        for name in s3.env("any"):
            patch.delenv(name)
        Store(Database(s3_lake)).snapshots()
    assert "has no S3 settings: set COCKPIT_S3_KEY_ID" in str(unset.value)
    # A new store whose bucket does not exist: its first commit says so.
    name = postgres.create_database(f"nobucket_{s3.create_bucket()[5:]}")
    new_store = "ducklake:postgres:" + postgres.dsn(name, password=postgres.password)
    with monkeypatch.context() as patch, pytest.raises(StoreUnavailableError) as missing:
        patch.setenv("COCKPIT_LAKE_DATA", "s3://no-such-bucket-here/lake")
        commit_round(open_store(new_store), 1, 1, SIZE)
    for text, says, cause in [
        (wrong_secret, "refused the credentials", "SignatureDoesNotMatch"),
        (wrong_key, "refused the credentials", "403"),
        (stopped, "is not reachable", "Could not connect"),
        (str(missing.value), "bucket no-such-bucket-here of the store's data files does not "
                             "exist", "NoSuchBucket"),
    ]:  # fmt: skip
        assert says in text and cause in text, text
        assert s3.secret not in text and "not-the-secret" not in text
    assert len({wrong_secret, stopped, str(missing.value)}) == 3
    assert Store(Database(s3_lake)).snapshots().height == 1  # as it was
