"""The tolerances and forecast settings of docs/metrics.md as one typed, validated object."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

# Two years of weekly throughput: older history says little about the team of today.
MAX_WINDOW_WEEKS = 104


@dataclass(frozen=True)
class Settings:
    """Tolerances that decide on time, on budget, on scope and on track, and how much
    history the forecasts read.

    Stored with the data so that every user of one store sees the same verdicts.
    """

    schedule_tolerance_days: int = 0
    budget_tolerance: float = 0.05
    scope_tolerance: float = 0.90
    outcome_tolerance: float = 0.10
    outcome_risk_band: float = 0.30
    stale_after_days: int = 120
    forecast_window_weeks: int = 12
    forecast_min_active_weeks: int = 4
    forecast_min_points: int = 3

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """Why these values cannot be used, in words a PMO lead can act on."""
        out: list[str] = []
        if self.schedule_tolerance_days < 0:
            out.append("schedule_tolerance_days must be 0 or more days")
        if self.budget_tolerance < 0:
            out.append("budget_tolerance must be 0 or more (0.05 means 5% overrun allowed)")
        if not 0 <= self.scope_tolerance <= 1:
            out.append("scope_tolerance must be between 0 and 1 (0.9 means 90% of planned scope)")
        if self.outcome_tolerance < 0:
            out.append("outcome_tolerance must be 0 or more")
        if self.outcome_risk_band < self.outcome_tolerance:
            out.append("outcome_risk_band must be at least outcome_tolerance")
        if self.stale_after_days < 1:
            out.append("stale_after_days must be at least 1 day")
        if not 1 <= self.forecast_window_weeks <= MAX_WINDOW_WEEKS:
            out.append(f"forecast_window_weeks must be between 1 and {MAX_WINDOW_WEEKS} weeks")
        if not 1 <= self.forecast_min_active_weeks <= self.forecast_window_weeks:
            out.append(
                "forecast_min_active_weeks must be at least 1 and at most forecast_window_weeks"
            )
        if self.forecast_min_points < 2:
            out.append("forecast_min_points must be at least 2 (a trend needs two measurements)")
        return out

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, values: dict[str, float]) -> Settings:
        """Build from stored or edited values; unknown names are ignored, missing ones default."""
        kwargs: dict[str, float | int] = {}
        for f in fields(cls):
            if f.name in values and values[f.name] is not None:
                raw = values[f.name]
                kwargs[f.name] = int(raw) if f.type in ("int", int) else float(raw)
        return cls(**kwargs)  # type: ignore[arg-type]


SETTING_HELP: dict[str, str] = {
    "schedule_tolerance_days": "Days of slip allowed before a project counts as late.",
    "budget_tolerance": "Cost overrun share allowed before a project counts as over budget.",
    "scope_tolerance": "Share of planned scope (pro rata to time elapsed) that counts as "
    "full scope.",
    "outcome_tolerance": "How far attainment may trail the expected trajectory and still be "
    "on track.",
    "outcome_risk_band": "Trailing by more than the tolerance but at most this much is at risk; "
    "more is off track.",
    "stale_after_days": "A measurement older than this no longer counts.",
    "forecast_window_weeks": "Weeks of Jira throughput the delivery forecast learns from.",
    "forecast_min_active_weeks": "Weeks of that window with work done, needed for a delivery "
    "forecast.",
    "forecast_min_points": "Measurements since a benefit's start, needed for its forecast.",
}
