"""Opening the database: a DuckDB file, or a DuckLake catalog, behind one connection."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import duckdb

from store.errors import StoreDamagedError, StoreError, StoreLockedError
from store.location import LAKE_PREFIX, describe, is_lake

LAKE_ALIAS = "cockpit"


def connect(url: str) -> duckdb.DuckDBPyConnection:
    """One connection for the process; errors become messages that say what to do."""
    if is_lake(url):
        return _connect_lake(url)
    return _connect_file(Path(url))


def prepare_cursor(url: str, cursor: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Cursors do not inherit `USE`: point each one at the lake catalog."""
    if is_lake(url):
        cursor.execute(f"USE {LAKE_ALIAS}")
    return cursor


def _connect_file(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size == 0:
        # A zero-byte file holds no data (e.g. `touch cockpit.duckdb`): start it fresh.
        path.unlink()
    try:
        return duckdb.connect(str(path), config=_config())
    except duckdb.IOException as exc:
        text = str(exc)
        if "Could not set lock" in text or "Conflicting lock" in text:
            holder = text.split("Conflicting lock is held in", 1)[-1].split("See also")[0].strip()
            raise StoreLockedError(
                f"The store {path} is in use by another process ({holder or 'unknown'}). "
                "Stop that process (for example a running `streamlit run`), or load data "
                "through the app's Data page, then try again."
            ) from None
        if "not a valid DuckDB database" in text or "Corrupt" in text or "corrupt" in text:
            raise StoreDamagedError(
                f"The store {path} is not a readable DuckDB database. It has not been changed. "
                "Restore it from a backup, or point --db / COCKPIT_DB at another file."
            ) from None
        raise StoreError(f"The store {path} cannot be opened: {text}") from None
    except duckdb.Error as exc:
        raise StoreDamagedError(
            f"The store {path} cannot be read ({type(exc).__name__}). It has not been changed. "
            "Restore it from a backup, or point --db / COCKPIT_DB at another file."
        ) from None


def _config() -> dict[str, str | bool]:
    # Air-gapped machines: never try to download extensions at run time.
    return {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _extension_path(package: str, name: str) -> Path:
    """The extension binary shipped by its PyPI package for this DuckDB release."""
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise StoreError(
            f"The DuckLake store needs the Python package {package.replace('_', '-')} "
            f"=={duckdb.__version__}; install it with pip."
        ) from None
    path = Path(module.__path__[0]) / "extensions" / f"v{duckdb.__version__}" / name
    if not path.exists():
        raise StoreError(f"{package} does not ship {name} for DuckDB {duckdb.__version__}.")
    return path


def _load_extension(con: duckdb.DuckDBPyConnection, package: str, name: str) -> None:
    con.execute(f"LOAD {_sql_literal(str(_extension_path(package, name)))}")


def _sql_literal(text: str) -> str:
    """Quote a configuration string for statements DuckDB cannot parameterise (LOAD, ATTACH)."""
    return "'" + text.replace("'", "''") + "'"


def _connect_lake(url: str) -> duckdb.DuckDBPyConnection:
    """DuckLake: catalog in a file or PostgreSQL, data files under COCKPIT_LAKE_DATA."""
    catalog = url[len(LAKE_PREFIX) :]
    con = duckdb.connect(config=_config())
    try:
        _load_extension(con, "duckdb_extension_ducklake", "ducklake.duckdb_extension")
        if catalog.startswith("postgres:"):
            _load_extension(con, "duckdb_extension_postgres", "postgres.duckdb_extension")
            default_data = Path.cwd() / "lake-data"
        else:
            catalog_path = Path(catalog).expanduser().resolve()
            catalog_path.parent.mkdir(parents=True, exist_ok=True)
            catalog = str(catalog_path)
            default_data = catalog_path.parent / (catalog_path.stem + ".files")
        data_path = os.environ.get("COCKPIT_LAKE_DATA") or str(default_data)
        if "://" not in data_path:
            Path(data_path).mkdir(parents=True, exist_ok=True)
        con.execute(
            f"ATTACH {_sql_literal(LAKE_PREFIX + catalog)} AS {LAKE_ALIAS} "
            f"(DATA_PATH {_sql_literal(data_path.rstrip('/') + '/')})"
        )
        con.execute(f"USE {LAKE_ALIAS}")
    except duckdb.Error as exc:
        con.close()
        # The catalog string may hold a password: name the store, not the URL.
        raise StoreError(
            f"The {describe(url)} store cannot be opened ({type(exc).__name__}). "
            "Check the catalog connection and COCKPIT_LAKE_DATA."
        ) from None
    return con
