"""A few sentences an executive would say about the quarter, written from the figures alone.

No external service: every number in the text comes from the review's figures, formatted
the way the app shows them, and `Narrative.figures` lists exactly those values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from charts.formats import money, pct
from metrics.review import QuarterReview

ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth")


@dataclass(frozen=True)
class Narrative:
    sentences: list[str]
    figures: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _points(value: float) -> str:
    return f"{abs(round(value)):.0f} point{'s' if abs(round(value)) != 1 else ''}"


VERBS = {
    "rescue_or_stop": "rescue or stop {name}",
    "reexamine_benefits": "re-examine the benefit case of {name}",
    "rebaseline": "re-baseline {name}",
    "status_review": "review the reported status of {name}",
    "assign_measurement": "get {name}'s benefit measured",
}


def _decision_line(row: dict[str, object]) -> str:
    sponsor = f" (sponsor {row['sponsor']})" if row.get("sponsor") else ""
    verb = VERBS.get(str(row["decision"]), "{name}").format(name=row["name"])
    return f"{verb}{sponsor}: {row['trigger']}"


def narrative(review: QuarterReview) -> Narrative:
    """Where the gap stands, whether it widened or closed and by how much, what is at risk,
    and the three things that matter most."""
    output = review.figure("output_rate")
    outcome = review.figure("outcome_rate")
    gap = review.figure("gap_pts")
    gap_delta = review.figure("gap_pts", "delta")
    at_risk = review.figure("value_at_risk")
    risk_delta = review.figure("value_at_risk", "delta")
    unmeasured = review.figure("unmeasured_share")
    figures: dict[str, str] = {}
    sentences: list[str] = []

    if output is None or outcome is None or gap is None:
        figures["output_rate"] = pct(output)
        sentences.append(
            f"In {review.quarter}, {pct(output)} of projects are delivering to plan; no project "
            "has benefits due yet, so the value side cannot be judged."
        )
    else:
        figures.update(output_rate=pct(output), outcome_rate=pct(outcome), gap_pts=_points(gap))
        if gap >= 0.5:
            sentences.append(
                f"In {review.quarter}, {pct(output)} of projects are delivering to plan, but only "
                f"{pct(outcome)} are realizing the value they promised: a gap of {_points(gap)}."
            )
        elif gap <= -0.5:
            sentences.append(
                f"In {review.quarter}, {pct(outcome)} of projects are realizing the value they "
                f"promised while {pct(output)} are delivering to plan: value runs "
                f"{_points(gap)} ahead of delivery."
            )
        else:
            sentences.append(
                f"In {review.quarter}, delivery and value are level: {pct(output)} of projects "
                f"deliver to plan and {pct(outcome)} realize their value."
            )
    if review.previous_quarter and gap_delta is not None:
        figures["gap_change"] = _points(gap_delta)
        if abs(gap_delta) < 0.5:
            sentences.append(f"The gap is unchanged since {review.previous_quarter}.")
        else:
            direction = "widened" if gap_delta > 0 else "closed"
            sentences.append(
                f"The gap {direction} by {_points(gap_delta)} since {review.previous_quarter}."
            )
    if at_risk is not None:
        figures["value_at_risk"] = money(at_risk)
        line = (
            f"{money(at_risk)} of planned value is at risk"
            if at_risk
            else f"No planned value is at risk ({money(at_risk)})"
        )
        if review.previous_quarter and risk_delta is not None and abs(risk_delta) >= 1:
            figures["value_at_risk_change"] = money(abs(risk_delta))
            more = "more" if risk_delta > 0 else "less"
            line += f", {money(abs(risk_delta))} {more} than in {review.previous_quarter}"
        if unmeasured:
            figures["unmeasured_share"] = pct(unmeasured)
            line += f", and {pct(unmeasured)} of the benefits now due are not measured"
        sentences.append(line + ".")
    top = review.top.to_dicts()
    if top:
        sentences.append("What matters most:")
        sentences.extend(f"{ORDINALS[i]}, {_decision_line(row)}." for i, row in enumerate(top[:3]))
    return Narrative(sentences, figures)
