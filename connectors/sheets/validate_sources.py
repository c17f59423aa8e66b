"""The rules of the measurement_sources table (docs/data-contract.md), as whole-column rules.

A source names a connection configured elsewhere; the table never holds a credential. A
URL with a password in a cell is masked as soon as the table is read (`masked`), so no
problem, preview or stored row can echo it, and the row is refused.
"""

from __future__ import annotations

import polars as pl

from connectors.sheets.validate import Rule, raw

HAD_PASSWORD = "__had_password"
# scheme://user:password@ (the password is what lies between the colon and the @)
PASSWORD_IN_URL = r"(?i)([a-z][a-z0-9+.-]*://[^/\s@:]*:)[^/\s@]+@"
MASK = "${1}***@"
CONNECTION_NAME = r"^[A-Za-z0-9_-]+$"
VALUE_PATH = r"^[^.\s]+(\.[^.\s]+)*$"
READS = r"(?i)^[\s(]*(select|with|from|values|table|pivot|unpivot)\b"
MASKED_COLUMNS = ("connection", "query", "value_path")


def masked(frame: pl.DataFrame) -> pl.DataFrame:
    """The sources as read, with every password of a URL in them replaced by *** (in the
    parsed and the raw columns) and a flag on the rows that had one."""
    present = [c for c in MASKED_COLUMNS if raw(c) in frame.columns]
    if not present or frame.height == 0:
        return frame.with_columns(pl.lit(False).alias(HAD_PASSWORD))
    return frame.with_columns(
        pl.any_horizontal(
            [pl.col(raw(c)).str.contains(PASSWORD_IN_URL).fill_null(False) for c in present]
        ).alias(HAD_PASSWORD),
        *[pl.col(c).str.replace_all(PASSWORD_IN_URL, MASK) for c in present],
        *[pl.col(raw(c)).str.replace_all(PASSWORD_IN_URL, MASK) for c in present],
    )


def source_rules(benefit_ids: pl.Series) -> list[Rule]:
    """Every rule across a source's cells; `benefit_ids` are those of this upload and of
    the snapshots in the store."""
    table = "measurement_sources"
    kind = pl.col("kind")
    connection = pl.col("connection")
    url_like = connection.str.contains("://")
    return [
        Rule(
            table,
            "benefit_id",
            pl.col("benefit_id").is_not_null()
            & ~pl.col("benefit_id").is_in(benefit_ids.unique().implode()),
            "is not a benefit of this or an earlier snapshot",
            "Use the benefit_id of a row in the benefits table, or upload that benefit first.",
        ),
        Rule(
            table,
            "benefit_id",
            pl.col("benefit_id").is_not_null() & pl.col("benefit_id").is_duplicated(),
            "has more than one source (a benefit is measured by at most one source)",
            "Keep one row per benefit_id: the source that measures it.",
        ),
        Rule(
            table,
            "connection",
            kind.is_in(["sql", "http"]) & connection.is_null(),
            "is required for sql and http sources",
            "Name the connection the query runs on, as configured in secrets.toml "
            "([sources.NAME]) or the environment (COCKPIT_SOURCE_NAME_URL).",
            value=raw("kind"),
        ),
        Rule(
            table,
            "connection",
            pl.col(HAD_PASSWORD),
            "holds a URL with a password (shown here as ***); passwords never go in the data",
            "Configure the connection under a name ([sources.NAME] url and password in "
            "secrets.toml, or COCKPIT_SOURCE_NAME_URL and _PASSWORD) and write that name here; "
            "then change the password, as this file has it in clear.",
        ),
        Rule(
            table,
            "connection",
            url_like & ~pl.col(HAD_PASSWORD),
            "is a URL, not the name of a connection",
            "Configure the URL under a name ([sources.NAME] url in secrets.toml, or "
            "COCKPIT_SOURCE_NAME_URL) and write that name here.",
        ),
        Rule(
            table,
            "connection",
            connection.is_not_null() & ~url_like & ~connection.str.contains(CONNECTION_NAME),
            "is not a connection name (letters, digits, _ and - only)",
            "Write the name the connection has in secrets.toml ([sources.NAME]).",
        ),
        Rule(
            table,
            "value_path",
            (kind == "http") & pl.col("value_path").is_null(),
            "is required for http sources",
            "Write where the number is in the JSON document, as dotted keys and list "
            "indexes (data.0.value).",
            value=raw("kind"),
        ),
        Rule(
            table,
            "value_path",
            (kind == "http") & ~pl.col("value_path").str.contains(VALUE_PATH),
            "is not a path such as data.0.value",
            "Write keys and list indexes separated by dots, without spaces (data.0.value).",
        ),
        Rule(
            table,
            "query",
            (kind == "sql") & ~pl.col("query").str.contains(READS),
            "does not start with SELECT, WITH or FROM: a source's query only reads",
            "Write one SELECT query that returns the number (first row, first column).",
        ),
        Rule(
            table,
            "query",
            (kind == "http") & pl.col("query").str.contains("://"),
            "is a full URL; an http source's query is the path below its connection's URL",
            "Configure the base URL under a connection name and write only the path "
            "(/api/metrics/conversion).",
        ),
        Rule(
            table,
            "connection",
            (kind == "jira") & connection.is_not_null(),
            "is ignored: jira sources use the Jira settings ([jira] in secrets.toml)",
            "Leave connection empty for jira sources.",
            severity="warning",
        ),
    ]
