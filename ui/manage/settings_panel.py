"""The tolerances and forecast settings of docs/metrics.md, shown and edited in one panel (for
the Data page).

Tolerances decide every verdict (late, over budget, on track), and they are stored with the
data so everyone who uses the store sees the same verdicts. So the panel says what each one
means, shows who changed them last, validates before saving, and records who saved.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import polars as pl
import streamlit as st

from domain.settings import SETTING_HELP, Settings
from ui.cache import store
from ui.shell.identity import actor_name
from ui.widgets.tables import show_table
from ui.widgets.text import md


@dataclass(frozen=True)
class Field:
    """How one setting is edited: as a whole number of its unit, or as a percentage of a
    share."""

    label: str
    unit: str  # "%", or what a whole number counts: "days", "weeks", "measurements"

    @property
    def whole(self) -> bool:
        return self.unit != "%"

    def shown(self, value: float) -> float | int:
        return int(value) if self.whole else round(value * 100, 2)

    def stored(self, value: float) -> float:
        return float(value) if self.whole else float(value) / 100

    def with_unit(self, value: float) -> str:
        shown = self.shown(value)
        return f"{shown:g} {self.unit}" if self.whole else f"{shown:g}%"


FIELDS: dict[str, Field] = {
    "schedule_tolerance_days": Field("Schedule tolerance", "days"),
    "budget_tolerance": Field("Budget tolerance", "%"),
    "scope_tolerance": Field("Scope tolerance", "%"),
    "outcome_tolerance": Field("Outcome tolerance", "%"),
    "outcome_risk_band": Field("Outcome risk band", "%"),
    "stale_after_days": Field("Measurements go stale after", "days"),
    "forecast_window_weeks": Field("Forecast window", "weeks"),
    "forecast_min_active_weeks": Field("Active weeks for a forecast", "weeks"),
    "forecast_min_points": Field("Measurements for a trend", "measurements"),
}
assert set(FIELDS) == {f.name for f in fields(Settings)}
SAVED = "_tolerances_saved"


def validate(values: dict[str, float]) -> tuple[Settings | None, list[str]]:
    """Settings from edited values, or the reasons (Settings.problems) they cannot be used."""
    try:
        settings = Settings.from_dict(values)
    except ValueError as exc:  # Settings validates itself on creation with problems()
        return None, _labelled(str(exc).split("; "))
    return settings, _labelled(settings.problems())


def _labelled(problems: list[str]) -> list[str]:
    """Name each setting as the panel labels it, not by its stored name."""
    out = []
    for problem in problems:
        for name, spec in FIELDS.items():
            problem = problem.replace(name, spec.label)
        out.append(problem[:1].upper() + problem[1:])
    return out


def last_change() -> tuple[str, str] | None:
    """(when, who) of the latest saved change to the tolerances, if any."""
    log = store().audit_log()
    changes = log.filter(pl.col("action") == "settings")
    if changes.height == 0:
        return None
    row = changes.row(0, named=True)  # the log is newest first
    return f"{row['changed_at']:%d %b %Y %H:%M} UTC".lstrip("0"), row["actor"] or "anonymous"


def _current_table(current: Settings) -> pl.DataFrame:
    defaults = Settings()
    rows = []
    for name, spec in FIELDS.items():
        rows.append(
            {
                "Tolerance": spec.label,
                "Now": spec.with_unit(getattr(current, name)),
                "Default": spec.with_unit(getattr(defaults, name)),
                "What it decides": SETTING_HELP[name],
            }
        )
    return pl.DataFrame(rows)


def render_settings_panel(can_edit: bool = True) -> None:
    """Current tolerances, who changed them last, and (for editors) a form to change them."""
    current = store().settings()
    st.subheader("Tolerances")
    if st.session_state.pop(SAVED, False):
        st.success(
            "Saved. Every page now judges projects and benefits with these tolerances.",
            icon=":material/check_circle:",
        )
    change = last_change()
    st.caption(
        f"Last changed {change[0]} by {change[1]}."
        if change
        else "Never changed: these are the defaults of docs/metrics.md."
    )
    show_table(
        _current_table(current),
        hide_index=True,
        column_config={"What it decides": st.column_config.TextColumn(width="large")},
    )
    if not can_edit:
        st.caption("Only editors can change the tolerances.")
        return

    with st.form("tolerances", border=True):
        st.markdown("**Change the tolerances** (they apply to everyone who uses this data)")
        edited: dict[str, float] = {}
        columns = st.columns(3)
        for index, (name, spec) in enumerate(FIELDS.items()):
            shown = spec.shown(getattr(current, name))
            with columns[index % 3]:
                if spec.whole:
                    value = st.number_input(
                        f"{spec.label} ({spec.unit})",
                        value=int(shown),
                        step=1,
                        help=SETTING_HELP[name],
                    )
                else:
                    value = st.number_input(
                        f"{spec.label} (%)",
                        value=float(shown),
                        step=1.0,
                        format="%.1f",
                        help=SETTING_HELP[name],
                    )
            edited[name] = spec.stored(value)
        save = st.form_submit_button("Save tolerances", type="primary")
        reset = st.form_submit_button("Restore the defaults")
    if not (save or reset):
        return
    settings, problems = (Settings(), []) if reset else validate(edited)
    if problems or settings is None:
        st.error(
            "**Not saved.** " + " ".join(f"{md(p)}." for p in problems), icon=":material/error:"
        )
        return
    if settings == current:
        st.info("Nothing changed.", icon=":material/info:")
        return
    store().save_settings(settings, actor=actor_name())
    st.session_state[SAVED] = True
    st.rerun()  # redraw the table above with the values just saved
