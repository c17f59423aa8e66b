"""`sql` sources: one read-only query run by DuckDB, over files or an attached database.

A connection's URL says what the query reads:

| URL | what |
|---|---|
| `postgresql://user@host:port/db` | PostgreSQL, attached READ_ONLY (read-only transactions) |
| `mysql://user@host:port/db` | MySQL, attached READ_ONLY |
| `sqlite:///abs/path/file.db` | a SQLite file, attached READ_ONLY |
| `duckdb:///abs/path/file.duckdb` | a DuckDB file, attached READ_ONLY |
| `file:///abs/folder` | Parquet, CSV and Excel files under that folder |

Files are named by their full path: `FROM '/abs/folder/sales.parquet'`,
`read_xlsx('/abs/folder/kpi.xlsx')` (DuckDB checks a relative path against the working
folder, not the connection's).

The database is attached as `db` and is the default schema, so `SELECT count(*) FROM
orders` reads it; `postgres_query('db', '...')` runs PostgreSQL's own SQL (read-only too).
`:as_of` is a DATE parameter (compare dates kept as text with `CAST(:as_of AS VARCHAR)`).

Read-only is enforced three times: the query must be one SELECT (DuckDB's own parser
says what each statement is, and anything else is refused before it runs); databases are
attached READ_ONLY; and the DuckDB session can reach no file but the connection's own
(`enable_external_access = false`, `allowed_paths`/`allowed_directories`, then the
configuration is locked), so no COPY TO, ATTACH, INSTALL or read of another file.
The password goes into a DuckDB secret, never into a string DuckDB may echo. Extensions
come from their PyPI packages (store/extensions.py): nothing is downloaded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import duckdb

from connectors.measure.connections import Connection
from connectors.measure.values import SourceFailed, one_number, shown
from store.errors import StoreError
from store.extensions import load, sql_literal

ALIAS = "db"
SCHEMES = {
    "postgresql": "postgres_scanner",
    "postgres": "postgres_scanner",
    "mysql": "mysql_scanner",
    "sqlite": "sqlite_scanner",
    "duckdb": None,
    "file": "excel",
}
DEFAULT_PORTS = {"postgres_scanner": 5432, "mysql_scanner": 3306}
AS_OF = re.compile(r"(?<![:\w]):as_of\b")
CONNECT_SECONDS = 10


@dataclass(frozen=True)
class Answer:
    """The number and the raw first cell it was read from."""

    value: float
    raw: str


def bind_as_of(query: str) -> tuple[str, bool]:
    """The query with its `:as_of` markers as DuckDB's `$as_of` parameter (a bound
    parameter, never the date written into the text), and whether it has any. Markers
    inside string literals and comments are left alone (DuckDB's tokenizer says where
    tokens start)."""
    starts = {position for position, _kind in duckdb.tokenize(query)}
    found = [m.start() for m in AS_OF.finditer(query) if m.start() in starts]
    for position in reversed(found):
        query = query[:position] + "$" + query[position + 1 :]
    return query, bool(found)


def _path(connection: Connection) -> str:
    parts = urlsplit(connection.url)
    path = unquote(parts.path)
    if not path.startswith("/"):
        raise SourceFailed(
            f"the connection {connection.name!r} must give an absolute path "
            f"({parts.scheme}:///abs/path)"
        )
    return path


def _attach_remote(con: duckdb.DuckDBPyConnection, connection: Connection, ext: str) -> None:
    parts = urlsplit(connection.url)
    kind = "postgres" if ext == "postgres_scanner" else "mysql"
    fields = {
        "HOST": parts.hostname or "localhost",
        "PORT": str(parts.port or DEFAULT_PORTS[ext]),
        "DATABASE": unquote(parts.path.lstrip("/")),
        "USER": connection.user or "",
    }
    if connection.secret:
        fields["PASSWORD"] = connection.secret
    listed = ", ".join(f"{k} {sql_literal(v)}" for k, v in fields.items() if v)
    con.execute(f"CREATE SECRET source_secret (TYPE {kind}, {listed})")
    options = ""
    if kind == "postgres":
        # PostgreSQL ends a query that runs past the source's timeout itself.
        extra = dict(parse_qsl(parts.query))
        extra["connect_timeout"] = str(min(CONNECT_SECONDS, int(connection.timeout_seconds) + 1))
        extra["options"] = f"-c statement_timeout={int(connection.timeout_seconds * 1000)}"
        options = " ".join(f"{k}={_libpq(v)}" for k, v in extra.items())
    con.execute(
        f"ATTACH {sql_literal(options)} AS {ALIAS} (TYPE {kind}, SECRET source_secret, READ_ONLY)"
    )


def _libpq(value: str) -> str:
    """A libpq keyword value, quoted."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def open_session(connection: Connection) -> duckdb.DuckDBPyConnection:
    """A DuckDB session that can read the connection's data and nothing else."""
    scheme = connection.scheme
    if scheme not in SCHEMES:
        raise SourceFailed(
            f"the connection {connection.name!r} is a {scheme or 'scheme-less'} URL; an sql "
            "source needs postgresql://, mysql://, sqlite:///, duckdb:/// or file:///"
        )
    ext = SCHEMES[scheme]
    con = duckdb.connect(
        ":memory:",
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )
    try:
        if ext:
            try:
                load(con, ext)
            except StoreError as exc:
                message = str(exc).replace("This store needs", "This source needs")
                raise SourceFailed(message) from None
        if ext in DEFAULT_PORTS:
            _attach_remote(con, connection, ext)
            con.execute(f"USE {ALIAS}")
        elif scheme == "file":
            folder = _path(connection).rstrip("/") + "/"
            if not Path(folder).is_dir():
                raise SourceFailed(
                    f"the folder {folder} of connection {connection.name!r} does not exist"
                )
            con.execute(f"SET allowed_directories = [{sql_literal(folder)}]")
        else:
            path = _path(connection)
            if not Path(path).is_file():
                raise SourceFailed(
                    f"the file {path} of connection {connection.name!r} does not exist"
                )
            con.execute(f"SET allowed_paths = [{sql_literal(path)}]")
            kind = " (TYPE sqlite, READ_ONLY)" if scheme == "sqlite" else " (READ_ONLY)"
            con.execute(f"ATTACH {sql_literal(path)} AS {ALIAS}{kind}")
            con.execute(f"USE {ALIAS}")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        con.close()
        raise SourceFailed(
            f"cannot open the connection {connection.name!r} ({connection.display_url}): "
            f"{str(exc).strip()}"
        ) from None
    except BaseException:
        con.close()
        raise
    return con


def refuse_writes(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Refuse, before it runs, anything but one SELECT."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise SourceFailed(f"the query cannot be read as SQL ({_first_line(exc)})") from None
    if len(statements) != 1:
        raise SourceFailed(
            f"the query holds {len(statements)} statements; a source's query is one SELECT"
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        name = str(kind.name).replace("_STATEMENT", "").replace("_", " ")
        article = "an" if name[:1] in "AEIOU" else "a"
        raise SourceFailed(
            f"the query is {article} {name} statement and was not run: a source only reads "
            "(one SELECT)"
        )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def run_query(con: duckdb.DuckDBPyConnection, query: str, as_of: dt.date) -> Answer:
    """One number: the first column of the first row of the query, as of `as_of`."""
    sql, uses_as_of = bind_as_of(query)
    refuse_writes(con, sql)
    try:
        result = con.execute(sql, {"as_of": as_of} if uses_as_of else None)
        columns = [d[0] for d in result.description or []]
        rows = result.fetchmany(1)
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        raise SourceFailed(f"the query failed: {str(exc).strip()}") from None
    if len(columns) != 1:
        raise SourceFailed(
            f"the query returned {len(columns)} columns ({', '.join(columns[:5])}); a source "
            "returns one number (one column)"
        )
    if not rows:
        raise SourceFailed("the query returned no row")
    value = rows[0][0]
    return Answer(one_number(value), shown(value))
