"""A few sentences an executive would say about the quarter, written from the figures alone.

No external service: every number in the text comes from the review's figures, formatted
the way the app shows them, and `Narrative.figures` lists exactly those values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.formats import gap_points, money, pct, points_words, shown_amount
from metrics.review import QuarterReview

ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth")


@dataclass(frozen=True)
class Narrative:
    sentences: list[str]
    figures: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


VERBS = {
    "rescue_or_stop": "rescue or stop {name}",
    "reexamine_benefits": "re-examine the benefit case of {name}",
    "rebaseline": "re-baseline {name}",
    "status_review": "review the reported status of {name}",
    "assign_measurement": "get {name}'s benefit measured",
    "intervene_early": "intervene early on {name}",
}


def _decision_line(row: dict[str, object]) -> str:
    sponsor = f" (sponsor {row['sponsor']})" if row.get("sponsor") else ""
    verb = VERBS.get(str(row["decision"]), "{name}").format(name=row["name"])
    return f"{verb}{sponsor}: {row['trigger']}"


def _evidence(review: QuarterReview, figures: dict[str, str]) -> list[str]:
    """How much of the value rests on a measured number (docs/metrics.md, Evidence)."""
    share = review.figure("evidenced_share")
    if share is None:
        return []
    figures["evidenced_share"] = pct(share)
    evidenced = review.figure("evidenced_value")
    if not share or not evidenced:
        return [
            f"{pct(share)} of the benefits due are measured by a source: the value realized "
            "rests on numbers typed in."
        ]
    figures["evidenced_value"] = money(evidenced)
    return [
        f"{pct(share)} of the benefits due are measured by a source rather than typed in; "
        f"{money(evidenced)} of the value realized rests on them."
    ]


def _forecasts(review: QuarterReview, figures: dict[str, str]) -> list[str]:
    """Where the forecasts say the portfolio is heading: the early warnings first (the news a
    status cannot give), then the improbable dates and the money the trends leave short."""
    warnings = int(review.figure("early_warnings") or 0)
    improbable = int(review.figure("forecast_improbable") or 0)
    shortfall = review.figure("forecast_shortfall")
    sentences = []
    if warnings:
        figures["early_warnings"] = str(warnings)
        benefits = "1 benefit that is" if warnings == 1 else f"{warnings} benefits that are"
        sentences.append(
            f"Early warning: {benefits} on track today {'is' if warnings == 1 else 'are'} "
            "heading for a miss by their own measured trend."
        )
    if improbable:
        figures["forecast_improbable"] = str(improbable)
        projects = "1 project reports" if improbable == 1 else f"{improbable} projects report"
        sentences.append(
            f"{projects} an end date with less than an even chance at the pace of its own "
            "Jira work."
        )
    if shortfall:
        figures["forecast_shortfall"] = money(shortfall)
        sentences.append(
            f"If the benefits' trends hold, {money(shortfall)} of planned value will not have "
            "arrived by the target dates."
        )
    return sentences


def narrative(review: QuarterReview) -> Narrative:
    """Where the gap stands, whether it widened or closed and by how much, what is at risk,
    and the three things that matter most."""
    output = review.figure("output_rate")
    outcome = review.figure("outcome_rate")
    # The gap as the page shows it: the difference of the rates as shown.
    gap = gap_points(output, outcome)
    gap_before = gap_points(
        review.figure("output_rate", "previous"), review.figure("outcome_rate", "previous")
    )
    gap_delta = None if gap is None or gap_before is None else gap - gap_before
    at_risk = review.figure("value_at_risk")
    risk_before = review.figure("value_at_risk", "previous")
    shown_now, shown_before = shown_amount(at_risk), shown_amount(risk_before)
    risk_delta = None if shown_now is None or shown_before is None else shown_now - shown_before
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
        figures.update(
            output_rate=pct(output), outcome_rate=pct(outcome), gap_pts=points_words(gap)
        )
        if gap > 0:
            sentences.append(
                f"In {review.quarter}, {pct(output)} of projects are delivering to plan, but only "
                f"{pct(outcome)} are realizing the value they promised: a gap of "
                f"{points_words(gap)}."
            )
        elif gap < 0:
            sentences.append(
                f"In {review.quarter}, {pct(outcome)} of projects are realizing the value they "
                f"promised while {pct(output)} are delivering to plan: value runs "
                f"{points_words(gap)} ahead of delivery."
            )
        else:
            sentences.append(
                f"In {review.quarter}, delivery and value are level: {pct(output)} of projects "
                f"deliver to plan and {pct(outcome)} realize their value."
            )
    if review.previous_quarter and gap_delta is not None:
        figures["gap_change"] = points_words(gap_delta)
        if gap_delta == 0:
            sentences.append(f"The gap is unchanged since {review.previous_quarter}.")
        else:
            direction = "widened" if gap_delta > 0 else "closed"
            sentences.append(
                f"The gap {direction} by {points_words(gap_delta)} since {review.previous_quarter}."
            )
    if at_risk is not None:
        figures["value_at_risk"] = money(at_risk)
        line = (
            f"{money(at_risk)} of planned value is at risk"
            if at_risk
            else f"No planned value is at risk ({money(at_risk)})"
        )
        if review.previous_quarter and risk_delta:
            figures["value_at_risk_change"] = money(abs(risk_delta))
            more = "more" if risk_delta > 0 else "less"
            line += f", {money(abs(risk_delta))} {more} than in {review.previous_quarter}"
        if unmeasured:
            figures["unmeasured_share"] = pct(unmeasured)
            line += f", and {pct(unmeasured)} of the benefits now due are not measured"
        sentences.append(line + ".")
    sentences.extend(_evidence(review, figures))
    sentences.extend(_forecasts(review, figures))
    top = review.top.to_dicts()
    if top:
        sentences.append("What matters most:")
        sentences.extend(f"{ORDINALS[i]}, {_decision_line(row)}." for i, row in enumerate(top[:3]))
    return Narrative(sentences, figures)
