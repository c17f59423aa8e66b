"""DuckDB extensions from their PyPI packages (pinned with DuckDB in requirements.txt), so
nothing is downloaded at run time and air-gapped machines work.

DuckDB derives an extension's entry point from its file name (`X.duckdb_extension` must
export `X_duckdb_cpp_init`). The `duckdb-extension-postgres` package ships the binary as
`postgres.duckdb_extension` while it exports `postgres_scanner_duckdb_cpp_init`, so it is
loaded through a symbolic link named `postgres_scanner.duckdb_extension` in a private
temporary folder, removed as soon as DuckDB has loaded it (nothing is copied).
"""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

import duckdb

from store.errors import StoreError

# extension name DuckDB expects -> (PyPI module, file the package ships)
PACKAGES = {
    "ducklake": ("duckdb_extension_ducklake", "ducklake.duckdb_extension"),
    "sqlite_scanner": ("duckdb_extension_sqlite_scanner", "sqlite_scanner.duckdb_extension"),
    "postgres_scanner": ("duckdb_extension_postgres", "postgres.duckdb_extension"),
    # for measurement sources (connectors/measure/sql.py): MySQL databases, Excel files
    "mysql_scanner": ("duckdb_extension_mysql", "mysql.duckdb_extension"),
    "excel": ("duckdb_extension_excel", "excel.duckdb_extension"),
    # data files on S3-compatible storage (COCKPIT_LAKE_DATA=s3://...)
    "httpfs": ("duckdb_extension_httpfs", "httpfs.duckdb_extension"),
}


def shipped_binary(name: str) -> Path:
    """The extension binary shipped by its PyPI package for this DuckDB release."""
    package, file = PACKAGES[name]
    pip_name = package.replace("_", "-")
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise StoreError(
            f"This store needs the DuckDB {name.split('_')[0]} extension: install the Python "
            f"package {pip_name}=={duckdb.__version__} (pip install -r requirements.txt)."
        ) from None
    path = Path(module.__path__[0]) / "extensions" / f"v{duckdb.__version__}" / file
    if not path.exists():
        raise StoreError(
            f"The installed {pip_name} does not ship {file} for DuckDB {duckdb.__version__}: "
            f"install {pip_name}=={duckdb.__version__}."
        )
    return path


def load(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD the extension `name` from its package, under the file name DuckDB expects."""
    binary = shipped_binary(name)
    expected = f"{name}.duckdb_extension"
    if binary.name == expected:
        con.execute(f"LOAD {sql_literal(str(binary))}")
        return
    with tempfile.TemporaryDirectory(prefix="cockpit-ext-") as folder:
        link = Path(folder) / expected
        os.symlink(binary, link)
        con.execute(f"LOAD {sql_literal(str(link))}")


def sql_literal(text: str) -> str:
    """Quote a string for statements DuckDB cannot parameterise (LOAD, ATTACH, SECRET)."""
    return "'" + text.replace("'", "''") + "'"
