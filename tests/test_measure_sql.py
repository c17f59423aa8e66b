"""`sql` sources on real components: SQLite, DuckDB, Parquet, CSV and Excel files, and a
real PostgreSQL on loopback (tests/support/postgres.py). Read-only means read-only; a
hanging query is cut off; a bad answer is a failure, never a 0; no secret is echoed."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import duckdb
import polars as pl
import pytest
import xlsxwriter

from connectors.measure.connections import Connection
from connectors.measure.run import with_deadline
from connectors.measure.sql import bind_as_of, open_session, run_query
from connectors.measure.values import SourceFailed
from tests.support.postgres import PostgresServer

AS_OF = dt.date(2026, 9, 30)
WRITES = [
    "INSERT INTO kpi VALUES ('2026-10-01', 99)",
    "UPDATE kpi SET value = 0",
    "DELETE FROM kpi",
    "CREATE TABLE evil (x INT)",
    "DROP TABLE kpi",
    "COPY (SELECT 1) TO '/tmp/cockpit-measure-copy.csv'",
    "ATTACH '/tmp/cockpit-measure-other.db' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SELECT 1; DELETE FROM kpi",
]


def measured(url: str, query: str, as_of: dt.date = AS_OF, **options) -> float:
    session = open_session(Connection("wh", url, **options))
    try:
        return run_query(session, query, as_of).value
    finally:
        session.close()


def failure(url: str, query: str, **options) -> str:
    with pytest.raises(SourceFailed) as caught:
        measured(url, query, **options)
    return str(caught.value)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kpi (day TEXT, value REAL)")
        db.executemany(
            "INSERT INTO kpi VALUES (?, ?)",
            [("2026-08-31", 2.4), ("2026-09-30", 2.6), ("2026-10-31", 2.9)],
        )
    return path


def sqlite_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM kpi ORDER BY day").fetchall()


def test_a_sqlite_query_with_as_of_returns_its_first_cell(sqlite_db):
    query = "SELECT value FROM kpi WHERE day::DATE <= :as_of ORDER BY day DESC LIMIT 1"
    assert measured(f"sqlite://{sqlite_db}", query) == 2.6
    assert measured(f"sqlite://{sqlite_db}", query, dt.date(2026, 9, 1)) == 2.4


def test_as_of_is_a_bound_parameter_never_text_in_the_query():
    query = "SELECT ':as_of' AS text, x::DATE FROM t WHERE d <= :as_of -- :as_of"
    bound, uses = bind_as_of(query)
    assert uses and bound == "SELECT ':as_of' AS text, x::DATE FROM t WHERE d <= $as_of -- :as_of"
    assert bind_as_of("SELECT 1") == ("SELECT 1", False)


@pytest.mark.parametrize("statement", WRITES)
def test_a_query_that_writes_is_refused_and_the_database_is_unchanged(sqlite_db, statement):
    before = sqlite_rows(sqlite_db)
    message = failure(f"sqlite://{sqlite_db}", statement)
    assert "was not run" in message or "statements" in message
    assert sqlite_rows(sqlite_db) == before
    assert not Path("/tmp/cockpit-measure-copy.csv").exists()
    assert not Path("/tmp/cockpit-measure-other.db").exists()


def test_no_file_but_the_connections_own_can_be_read(sqlite_db, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("x\n42\n")
    message = failure(f"sqlite://{sqlite_db}", f"SELECT x FROM read_csv('{other}')")
    assert "disabled by configuration" in message


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("SELECT value FROM kpi WHERE day > '2099'", "returned no row"),
        ("SELECT 'abc'", "returned the text 'abc', not a number"),
        ("SELECT 'NaN'::DOUBLE", "returned NaN"),
        ("SELECT 'inf'::DOUBLE", "returned an infinite value"),
        ("SELECT NULL", "returned null"),
        ("SELECT day, value FROM kpi", "returned 2 columns (day, value)"),
        ("SELECT true", "returned true, not a number"),
        ("SELECT DATE '2026-01-01'", "returned the date 2026-01-01"),
        ("SELECT FROM WHERE", "cannot be read as SQL"),
    ],
)
def test_an_answer_that_is_not_one_number_is_a_failure_never_a_zero(sqlite_db, query, says):
    assert says in failure(f"sqlite://{sqlite_db}", query)


def test_parquet_csv_and_excel_files_in_a_folder(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    frame = pl.DataFrame({"day": [dt.date(2026, 9, 30), dt.date(2026, 10, 31)], "v": [3.5, 4.0]})
    frame.write_parquet(folder / "kpi.parquet")
    frame.write_csv(folder / "kpi.csv")
    book = xlsxwriter.Workbook(folder / "kpi.xlsx")
    sheet = book.add_worksheet("kpi")
    sheet.write_row(0, 0, ["label", "v"])
    sheet.write_row(1, 0, ["conversion", 7.25])
    book.close()
    url = f"file://{folder}"
    parquet = f"SELECT sum(v) FROM '{folder}/kpi.parquet' WHERE day <= :as_of"
    assert measured(url, parquet) == 3.5
    assert measured(url, f"SELECT max(v) FROM read_csv('{folder}/kpi.csv')") == 4.0
    assert measured(url, f"SELECT v FROM read_xlsx('{folder}/kpi.xlsx')") == 7.25
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("v\n1\n")
    assert "disabled by configuration" in failure(url, f"SELECT v FROM '{outside}'")


def test_a_duckdb_file_is_attached_read_only(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute("CREATE TABLE kpi AS SELECT 12.5 AS value")
    assert measured(f"duckdb://{path}", "SELECT value FROM kpi") == 12.5
    assert "was not run" in failure(f"duckdb://{path}", "DELETE FROM kpi")


def test_a_connection_that_names_nothing_usable_says_so(tmp_path):
    assert "does not exist" in failure(f"sqlite://{tmp_path}/missing.db", "SELECT 1")
    assert "needs postgresql://" in failure("oracle://db/x", "SELECT 1")


def test_the_mysql_extension_loads_and_an_unreachable_server_is_a_clear_message():
    secret = "mysql-Sup3r-secret"
    message = failure(
        "mysql://reader@127.0.0.1:1/warehouse", "SELECT 1", password=secret, timeout_seconds=5
    )
    assert "cannot open the connection 'wh' (mysql://127.0.0.1:1/warehouse)" in message
    assert secret not in message


@pytest.fixture(scope="module")
def warehouse(postgres: PostgresServer) -> str:
    """A PostgreSQL database with a table, read through a read-only role's URL."""
    name = postgres.create_database("measure_warehouse")
    postgres.psql(
        "CREATE TABLE orders (id int, amount numeric(10,2), day date);"
        "INSERT INTO orders VALUES (1, 10.5, '2026-09-01'), (2, 20, '2026-10-01');",
        name,
    )
    return f"postgresql://{postgres.user}@127.0.0.1:{postgres.port}/{name}"


def pg_rows(postgres: PostgresServer) -> str:
    return postgres.psql("SELECT id, amount FROM orders ORDER BY id", "measure_warehouse")


def test_a_postgresql_query_is_read_only_and_bound_to_as_of(postgres, warehouse):
    query = "SELECT sum(amount) FROM orders WHERE day <= :as_of"
    assert measured(warehouse, query, password=postgres.password) == 10.5
    native = "SELECT * FROM postgres_query('db', 'SELECT count(*) FROM orders')"
    assert measured(warehouse, native, password=postgres.password) == 2


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO orders VALUES (3, 1, '2026-01-01')",
        "UPDATE orders SET amount = 0",
        "CREATE TABLE evil (x int)",
        "SELECT * FROM postgres_query('db', 'DELETE FROM orders RETURNING id')",
        "SELECT * FROM postgres_execute('db', 'DELETE FROM orders')",
        "CALL postgres_execute('db', 'DROP TABLE orders')",
    ],
)
def test_postgresql_is_never_written(postgres, warehouse, statement):
    before = pg_rows(postgres)
    with pytest.raises(SourceFailed):
        measured(warehouse, statement, password=postgres.password)
    assert pg_rows(postgres) == before


def test_a_hanging_postgresql_query_is_cut_off(postgres, warehouse):
    query = "SELECT * FROM postgres_query('db', 'SELECT pg_sleep(30)::text::int')"
    session = open_session(
        Connection("wh", warehouse, password=postgres.password, timeout_seconds=1)
    )
    try:
        with pytest.raises(SourceFailed) as caught:
            with_deadline(lambda: run_query(session, query, AS_OF), 1, stop=session.interrupt)
    finally:
        session.close()
    assert "within 1 s" in str(caught.value) or "statement timeout" in str(caught.value)


def test_wrong_credentials_are_a_clear_message_without_the_secret(postgres, warehouse):
    wrong = "Wr0ng-pg-Password"
    message = failure(warehouse, "SELECT 1", password=wrong)
    assert "password authentication failed" in message
    assert wrong not in message
    with_url = warehouse.replace("@", f":{wrong}@", 1)
    message = failure(with_url, "SELECT 1")
    assert "password authentication failed" in message and wrong not in message
