"""The Data page's measurement sources: every source with its owner and last result, the
failing ones with their errors, and "Run now" (editors), which shows each source's value
or error before anything is committed.

Layout only: connections come from connectors.measure.connections (here through
st.secrets and the environment), the work from connectors.measure.run. A source's error
is already redacted there; every cell is shown as text.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

import polars as pl
import streamlit as st

from connectors.measure.connections import Connections, connections_from
from connectors.measure.run import commit_preview, preview
from domain.bidi import strip_bidi
from domain.formats import date_expr
from domain.measure import MeasureRun
from store import StoreError
from ui import cache
from ui.manage.jira_panel import app_config
from ui.shell.access import current_access
from ui.shell.app_secrets import app_secrets
from ui.shell.identity import actor_name
from ui.widgets.tables import DATETIME, show_table
from ui.widgets.text import md

PREVIEW_KEY = "measure_preview"
OUTCOME_KEY = "measure_outcome"
NO_OWNER = "⚠ No owner"
ERRORS_SHOWN = 10  # failures shown in full; a table lists them all beyond


def app_connections() -> Connections:
    """The app's source connections: [sources.NAME] in st.secrets, COCKPIT_SOURCE_* winning."""
    section = app_secrets().get("sources")
    return connections_from(dict(section) if isinstance(section, Mapping) else {}, os.environ)


def _owner() -> pl.Expr:
    return pl.col("owner").fill_null(NO_OWNER).alias("Owner")


def _errors(failed: pl.DataFrame) -> None:
    """Each failed source (up to ERRORS_SHOWN) with its error in full, as text: who owns
    the benefit, since when it fails, and what the source said."""
    for row in failed.head(ERRORS_SHOWN).iter_rows(named=True):
        facts = [f"**{md(row['benefit_id'])}**", md(row.get("kpi"))]
        facts.append(f"owner {md(row['owner'])}" if row.get("owner") else f"**{NO_OWNER}**")
        if row.get("failing_since"):
            facts.append(f"failing since {row['failing_since']:%-d %b %Y %H:%M} UTC")
        with st.container(border=True):
            st.markdown(" · ".join(f for f in facts if f))
            st.code(strip_bidi(str(row["error"])), language=None, wrap_lines=True)
    if failed.height > ERRORS_SHOWN:
        st.caption(f"And {failed.height - ERRORS_SHOWN:,} more: see the table below.")


def _failing_table(failing: pl.DataFrame) -> None:
    st.markdown(f"**Failing sources: {failing.height}**")
    st.caption(
        "Their last run gave no value; the error says why. A benefit keeps its earlier "
        "values until they grow older than the stale limit, then counts as unmeasured. "
        "Ask its owner (or whoever keeps the connection) to fix it."
    )
    _errors(failing.rename({"last_error": "error"}))
    if failing.height <= ERRORS_SHOWN:
        return
    show_table(
        failing.select(
            pl.col("benefit_id").alias("Benefit"),
            pl.col("kpi").alias("KPI"),
            _owner(),
            pl.col("failing_since").alias("Failing since (UTC)"),
            pl.col("last_error").alias("Error"),
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Failing since (UTC)": st.column_config.DatetimeColumn(format=DATETIME),
            "Error": st.column_config.TextColumn(width="large"),
        },
        key="measure_failing",
    )


def _sources_table(status: pl.DataFrame) -> None:
    st.markdown(f"**Sources: {status.height}**")
    show_table(
        status.select(
            pl.col("benefit_id").alias("Benefit"),
            pl.col("kpi").alias("KPI"),
            _owner(),
            pl.when(pl.col("failing"))
            .then(pl.lit("failing"))
            .when(pl.col("last_value").is_not_null())
            .then(pl.lit("ok"))
            .otherwise(pl.lit("not run yet"))
            .alias("State"),
            pl.col("last_value").alias("Last value"),
            date_expr(pl.col("last_value_at"), "never").alias("Value dated"),
            date_expr(pl.col("next_due"), "now").alias("Next due"),
            pl.col("kind").alias("Kind"),
            pl.col("connection").fill_null("jira").alias("Connection"),
            pl.col("schedule").alias("Schedule"),
            pl.col("query").alias("Query"),
        ),
        formats={"Last value": lambda v: f"{v:,.6g}"},
        hide_index=True,
        width="stretch",
        column_config={"Query": st.column_config.TextColumn(width="large")},
        key="measure_sources",
    )


def _results_table(run: MeasureRun, status: pl.DataFrame) -> None:
    """What Run now gave: the failures in full first, then every source's value or error."""
    results = run.results.join(
        status.select("benefit_id", "kpi", "owner"), on="benefit_id", how="left"
    ).sort(pl.col("error").is_null(), "benefit_id")
    _errors(results.filter(pl.col("error").is_not_null()))
    show_table(
        results.select(
            pl.col("benefit_id").alias("Benefit"),
            pl.col("kpi").alias("KPI"),
            pl.col("value").alias("Value"),
            pl.col("error").alias("Error"),
            pl.col("seconds").alias("Seconds"),
        ),
        formats={"Value": lambda v: f"{v:,.6g}", "Seconds": lambda v: f"{v:.2f}"},
        hide_index=True,
        width="stretch",
        column_config={"Error": st.column_config.TextColumn(width="large")},
        key="measure_preview_table",
    )


def _run_now(status: pl.DataFrame, today: dt.date, newest: dt.date | None) -> None:
    """Run every source now (as of a date, default today) and show what it gave; commit or
    discard. `newest` is the latest snapshot's date, which the pages show."""
    st.markdown("**Run now**")
    run: MeasureRun | None = st.session_state.get(PREVIEW_KEY)
    if run is None:
        st.caption(
            f"Runs all {status.height} sources and shows each one's value or error. Nothing "
            "is written until you commit."
        )
        picker, _ = st.columns([1, 3])
        as_of = picker.date_input(
            "Measure as of",
            value=today,
            max_value=today,
            key="measure_as_of",
            format="YYYY-MM-DD",
            help="The date the values are recorded under; a query may use it as :as_of.",
        )
        if newest and as_of > newest:
            st.caption(
                f"The pages show the portfolio as of its latest snapshot ({newest:%-d %b %Y}): "
                "values dated later count from the next snapshot on."
            )
        if not st.button("Run now", key="measure_run_now", type="primary"):
            return
        bar = st.progress(0.0, text="Running the sources…")
        done: list[int] = [0]

        def progress(result: dict[str, Any]) -> None:
            done[0] += 1
            bar.progress(
                min(done[0] / max(status.height, 1), 1.0),
                text=f"Running the sources… {done[0]:,} of {status.height:,}",
            )

        st.session_state[PREVIEW_KEY] = preview(
            cache.store(), app_connections(), _jira(), as_of=as_of, actor=actor_name(),
            progress=progress,
        )  # fmt: skip
        st.rerun()
    values, failed = run.n_values, run.n_failed
    st.caption(
        f"As of {run.as_of:%-d %b %Y}: {values:,} of {run.results.height:,} sources gave a "
        f"value" + (f", {failed:,} failed (they write no value)" if failed else "") + "."
    )
    _results_table(run, status)
    commit, discard, _ = st.columns([1, 1, 3])
    label = f"Commit {values:,} value{'s' if values != 1 else ''}" if values else "Record the run"
    if commit.button(label, key="measure_commit", type="primary", width="stretch"):
        st.session_state.pop(PREVIEW_KEY, None)
        try:
            done_run = commit_preview(cache.store(), run)
        except StoreError as exc:
            st.session_state[OUTCOME_KEY] = ("error", str(exc))
        else:
            st.session_state[OUTCOME_KEY] = ("success", done_run.message)
        st.rerun()
    if discard.button("Discard", key="measure_discard", width="stretch"):
        st.session_state.pop(PREVIEW_KEY, None)
        st.rerun()


def _remove(status: pl.DataFrame) -> None:
    """Take sources away (their benefits go back to typed values); undoable on History."""
    with st.expander("Take sources away", icon=":material/link_off:"):
        chosen = st.multiselect(
            "Benefits whose source to take away",
            status["benefit_id"].to_list(),
            key="measure_remove",
            help="Their values measured so far stay; nothing measures them from now on. "
            "Deleting the change on the History tab brings the sources back.",
        )
        if st.button("Take away", key="measure_remove_now", disabled=not chosen):
            try:
                message = cache.store().remove_measurement_sources(chosen, actor_name())
            except StoreError as exc:
                st.session_state[OUTCOME_KEY] = ("error", str(exc))
            else:
                st.session_state[OUTCOME_KEY] = ("success", message)
            st.session_state.pop("measure_remove", None)
            st.rerun()


def _jira() -> Any:
    config = app_config()
    return config if config.base_url else None


def _show_outcome() -> None:
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if outcome is None:
        return
    kind, message = outcome
    if kind == "success":
        st.success(md(message), icon=":material/check_circle:")
    else:
        st.error(md(message), icon=":material/error:")


def render_measure_panel() -> None:
    """The sources in force, the failing ones, and Run now for editors."""
    st.subheader("Measurement sources")
    st.caption(
        "A benefit with a source is measured by a query, a Jira count or an API instead of "
        "typed in: its values count as evidenced. Sources come in the measurement_sources "
        "sheet of an upload; `cockpit measure` runs the due ones on the platform's schedule "
        "(cron, a systemd timer, a Kubernetes CronJob)."
    )
    _show_outcome()
    url, generation = cache.store_key()
    today = dt.date.today()
    status = cache.source_status(url, generation, today)
    if status.height == 0:
        st.info(
            "No measurement source yet. Add a measurement_sources sheet (or CSV) to an upload: "
            "the template has an example row.",
            icon=":material/database:",
        )
        return
    failing = status.filter(pl.col("failing"))
    if failing.height:
        _failing_table(failing)
    else:
        st.success("Every source gave a value at its last run.", icon=":material/check_circle:")
    _sources_table(status)
    if not current_access().can_edit:
        st.caption("Only editors can run the sources.")
        return
    dates = cache.snapshot_dates(url, generation)
    _run_now(status, today, dates[-1] if dates else None)
    _remove(status)
