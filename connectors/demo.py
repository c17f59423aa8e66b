"""The demo portfolio: eight quarterly snapshots of a believable PMO, from a fixed seed.

It tells the story the product exists for: delivery looks healthy while far fewer
projects realize their outcomes. It is written as CSV files and loaded through the
same loader as user data.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field

from connectors.demo_warehouse import (
    BROKEN_SOURCE,
    MACHINE_SOURCES,
    SOURCED_AFTER,
    source_row,
)
from connectors.sheets.read import SourceFile

SEED = 2026
QUARTER_ENDS = [
    dt.date(2024, 12, 31),
    dt.date(2025, 3, 31),
    dt.date(2025, 6, 30),
    dt.date(2025, 9, 30),
    dt.date(2025, 12, 31),
    dt.date(2026, 3, 31),
    dt.date(2026, 6, 30),
    dt.date(2026, 9, 30),
]

OBJECTIVES = {
    "Digital Channels": "Grow digital revenue",
    "Customer Experience": "Delight customers",
    "Operations Excellence": "Lower cost to serve",
    "Data & Platforms": "Lower cost to serve",
    "Risk & Compliance": "Reduce operational risk",
}
SPONSORS = {
    "Digital Channels": ["Maria Keller", "David Chen"],
    "Customer Experience": ["Aisha Rahman", "David Chen"],
    "Operations Excellence": ["Jonas Berg", "Priya Nair"],
    "Data & Platforms": ["Priya Nair", "Samuel Osei"],
    "Risk & Compliance": ["Helen Carter", "Samuel Osei"],
}
MANAGERS = [
    "Tom Okafor",
    "Lena Fischer",
    "Ravi Patel",
    "Chloe Martin",
    "Marco Rossi",
    "Yuki Tanaka",
    "Sara Lindqvist",
    "Omar Haddad",
    "Grace Kim",
    "Lucas Moreau",
    "Nina Petrova",
    "Ben Adeyemi",
]
BENEFIT_OWNERS = [
    "Ana Ruiz (Sales)",
    "Peter Novak (Finance)",
    "Julia Brandt (Operations)",
    "Kwame Mensah (Service)",
    "Ingrid Holm (Marketing)",
    "Carlos Vega (Risk)",
    "Fatima Zahra (Customer Care)",
    "Oliver Grant (Procurement)",
]

PROJECT_NAMES = {
    "Digital Channels": [
        ("PAY", "Instant payments rollout"),
        ("WEB", "Checkout redesign"),
        ("APP", "Mobile app 3.0"),
        ("MKT", "Personalised offers engine"),
        ("WEB", "Self-service onboarding"),
        ("APP", "In-app chat support"),
        ("PAY", "Buy-now-pay-later partnership"),
        ("MKT", "Loyalty programme relaunch"),
        ("WEB", "Product catalogue search"),
        ("APP", "Digital wallet"),
        ("MKT", "Marketing automation platform"),
        ("WEB", "B2B ordering portal"),
        ("PAY", "Subscription billing"),
        ("WEB", "Store locator and stock check"),
    ],
    "Customer Experience": [
        ("CX", "Omnichannel contact centre"),
        ("CX", "Complaint handling redesign"),
        ("CX", "Voice of the customer programme"),
        ("CX", "Branch appointment booking"),
        ("CX", "Customer 360 view"),
        ("CX", "Proactive outage notifications"),
        ("CX", "Accessibility remediation"),
        ("CX", "Field service scheduling"),
        ("CX", "Returns process simplification"),
        ("CX", "Chatbot for tier-1 queries"),
        ("CX", "Customer identity consolidation"),
        ("CX", "Multilingual support"),
        ("CX", "Service recovery playbook"),
    ],
    "Operations Excellence": [
        ("OPS", "Invoice automation"),
        ("OPS", "Warehouse robotics pilot"),
        ("OPS", "Procurement consolidation"),
        ("OPS", "Shared services migration"),
        ("OPS", "Route optimisation"),
        ("OPS", "Lean finance close"),
        ("OPS", "Document digitisation"),
        ("OPS", "Supplier portal"),
        ("OPS", "Energy efficiency retrofit"),
        ("OPS", "Workforce scheduling"),
        ("OPS", "Fleet electrification"),
        ("OPS", "Contract lifecycle management"),
        ("OPS", "Spare parts forecasting"),
    ],
    "Data & Platforms": [
        ("DATA", "Cloud data platform"),
        ("DATA", "Mainframe decommissioning"),
        ("DATA", "Master data management"),
        ("DATA", "API gateway"),
        ("DATA", "Data quality programme"),
        ("DATA", "ERP upgrade"),
        ("DATA", "Observability platform"),
        ("DATA", "Legacy CRM retirement"),
        ("DATA", "Machine learning platform"),
        ("DATA", "Network refresh"),
        ("DATA", "Identity and access platform"),
        ("DATA", "Disaster recovery uplift"),
    ],
    "Risk & Compliance": [
        ("RISK", "AML transaction monitoring"),
        ("RISK", "GDPR records programme"),
        ("RISK", "Operational resilience"),
        ("RISK", "Third-party risk platform"),
        ("RISK", "Controls automation"),
        ("RISK", "Cyber security uplift"),
        ("RISK", "Regulatory reporting rebuild"),
        ("RISK", "Fraud detection models"),
        ("RISK", "Policy management system"),
        ("RISK", "Business continuity refresh"),
        ("RISK", "Sanctions screening upgrade"),
        ("RISK", "Model risk inventory"),
    ],
}


@dataclass(frozen=True)
class KpiTemplate:
    category: str
    kpi: str
    unit: str
    baseline: float
    target: float
    value_range: tuple[float, float]  # planned value in $M, (0, 0) for none
    source: str


KPIS = {
    "Grow digital revenue": [
        KpiTemplate(
            "revenue", "Digital sales conversion", "%", 2.1, 2.9, (1.5, 6.0), "Web analytics"
        ),
        KpiTemplate("revenue", "Online revenue share", "%", 31.0, 42.0, (2.0, 9.0), "Finance BI"),
        KpiTemplate(
            "adoption",
            "Monthly active app users",
            "count",
            180_000,
            320_000,
            (0.8, 3.0),
            "App analytics",
        ),
        KpiTemplate("revenue", "Average order value", "USD", 64.0, 72.0, (1.0, 4.0), "Finance BI"),
    ],
    "Delight customers": [
        KpiTemplate(
            "customer", "Net promoter score", "points", 18.0, 32.0, (0.0, 0.0), "Survey panel"
        ),
        KpiTemplate(
            "customer", "Complaints per 1,000 customers", "count", 4.2, 2.6, (0.5, 2.0), "CRM"
        ),
        KpiTemplate(
            "customer", "First-contact resolution", "%", 61.0, 78.0, (0.6, 2.5), "Contact centre"
        ),
        KpiTemplate(
            "adoption", "Digital self-service share", "%", 38.0, 60.0, (0.8, 3.0), "Web analytics"
        ),
    ],
    "Lower cost to serve": [
        KpiTemplate("cost", "Cost per transaction", "USD", 4.20, 3.10, (1.5, 7.0), "Finance BI"),
        KpiTemplate(
            "cost",
            "Manual processing hours per month",
            "hours",
            12_000,
            7_000,
            (1.0, 5.0),
            "Time tracking",
        ),
        KpiTemplate(
            "cost",
            "Infrastructure run cost per month",
            "USD",
            910_000,
            640_000,
            (2.0, 8.0),
            "Cloud billing",
        ),
        KpiTemplate("cost", "Days to close the books", "days", 9.0, 5.0, (0.3, 1.2), "Finance BI"),
    ],
    "Reduce operational risk": [
        KpiTemplate(
            "risk", "High-severity audit findings", "count", 14.0, 4.0, (0.0, 0.0), "Internal audit"
        ),
        KpiTemplate("risk", "Automated key controls", "%", 35.0, 80.0, (0.5, 2.0), "GRC tool"),
        KpiTemplate("risk", "Mean time to detect incidents", "hours", 36.0, 8.0, (0.8, 3.0), "SOC"),
        KpiTemplate(
            "risk", "False-positive alert rate", "%", 92.0, 70.0, (0.5, 2.5), "Case manager"
        ),
    ],
}

# How each project behaves; the counts are chosen so delivery looks healthy while
# outcomes lag (the gap), with every quadrant represented.
ARCHETYPES = (
    ["realizing"] * 15
    + ["watermelon"] * 12
    + ["late_realizing"] * 6
    + ["rescue"] * 6
    + ["early"] * 14
    + ["no_outcome"] * 5
    + ["unknown_delivery"] * 2
    + ["cancelled"] * 3
    + ["proposed"] * 1
)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_ends_between(start: dt.date, end: dt.date) -> list[dt.date]:
    out, cursor = [], month_end(start.year, start.month)
    while cursor <= end:
        out.append(cursor)
        cursor = month_end(*_ym(add_months(cursor.replace(day=1), 1)))
    return out


@dataclass
class DemoBenefit:
    benefit_id: str
    template: KpiTemplate
    planned_value: float | None
    start_date: dt.date | None  # own start, else the project's end
    months_to_target: int
    pace: float  # attainment relative to the straight line
    owner: str | None
    measured: str  # "yes", "never", "stopped"
    stop_after: dt.date | None = None
    plateau: float | None = None  # attainment at which value stalls (adoption that stops)


@dataclass
class DemoProject:
    project_id: str
    name: str
    portfolio: str
    archetype: str
    sponsor: str
    owner: str
    start: dt.date
    baseline_end: dt.date | None
    actual_end: dt.date  # when it is (or would be) delivered
    budget: float | None
    cost_factor: float
    scope: float | None
    scope_ratio: float
    rag: str
    jira_key: str | None
    cancel_on: dt.date | None = None
    slip_days: int = 0
    slip_known_from: dt.date | None = None  # the forecast admits the slip from this date
    jira_stretch: float = 1.0  # its Jira work takes this many times the planned span
    benefits: list[DemoBenefit] = field(default_factory=list)


def _round_money(value: float) -> float:
    return round(value / 10_000) * 10_000


def build_projects(seed: int = SEED) -> list[DemoProject]:
    """The demo's projects and benefits, decided once from the seed."""
    rng = random.Random(seed)
    slots = [(pf, code, name) for pf, names in PROJECT_NAMES.items() for code, name in names]
    rng.shuffle(slots)
    archetypes = list(ARCHETYPES)
    rng.shuffle(archetypes)
    latest = QUARTER_ENDS[-1]
    projects: list[DemoProject] = []
    counters: dict[str, int] = {}
    for (portfolio, code, name), archetype in zip(slots, archetypes, strict=False):
        counters[code] = counters.get(code, 100) + rng.randint(1, 9)
        pid = f"{code}-{counters[code]}"
        duration = rng.randint(9, 20)
        if archetype in ("early", "proposed"):
            start = add_months(latest, -rng.randint(1, 8))
        elif archetype in ("unknown_delivery",):
            start = add_months(latest, -rng.randint(10, 14))
        else:
            start = add_months(latest, -rng.randint(duration + 3, duration + 16))
        start = start.replace(day=1)
        baseline_end = month_end(*_ym(add_months(start, duration)))
        slip = 0
        if archetype in ("late_realizing", "rescue"):
            slip = rng.randint(60, 200)
        elif archetype in ("realizing", "watermelon", "early"):
            slip = rng.choice([0, 0, 0, -7, -14, 0])
        actual_end = baseline_end + dt.timedelta(days=slip)
        budget = _round_money(rng.lognormvariate(0.6, 0.75) * 1_000_000)
        cost_factor = {
            "rescue": rng.uniform(1.18, 1.45),
            "late_realizing": rng.uniform(1.02, 1.25),
            "cancelled": rng.uniform(1.1, 1.3),
        }.get(archetype, rng.uniform(0.9, 1.04))
        scope = float(rng.randint(12, 60))
        scope_ratio = rng.uniform(0.55, 0.8) if archetype == "rescue" else rng.uniform(0.95, 1.05)
        rag = {
            "realizing": "green",
            "watermelon": rng.choice(["green", "green", "amber/green"]),
            "late_realizing": rng.choice(["amber", "amber/red"]),
            "rescue": rng.choice(["amber", "red", "green"]),
            "early": rng.choice(["green", "green", "amber"]),
            "no_outcome": "green",
            "unknown_delivery": "amber",
            "cancelled": "red",
            "proposed": "green",
        }[archetype]
        project = DemoProject(
            project_id=pid,
            name=name,
            portfolio=portfolio,
            archetype=archetype,
            sponsor=rng.choice(SPONSORS[portfolio]),
            owner=rng.choice(MANAGERS),
            start=start,
            baseline_end=None if archetype in ("unknown_delivery", "proposed") else baseline_end,
            actual_end=actual_end,
            budget=None if archetype == "unknown_delivery" else budget,
            cost_factor=cost_factor,
            scope=None if archetype == "unknown_delivery" else scope,
            scope_ratio=scope_ratio,
            rag=rag,
            jira_key=None,
            slip_days=slip,
        )
        if archetype == "cancelled":
            project.cancel_on = add_months(start, rng.randint(5, 9))
        _add_benefits(project, rng)
        projects.append(project)
    _stage_latest_quarter(projects)
    # A dozen projects track their delivery in Jira epics.
    linked = [p for p in projects if p.archetype in ("realizing", "watermelon", "rescue", "early")]
    for p in rng.sample(linked, 12):
        p.jira_key = f"{p.project_id.split('-')[0]}-{rng.randint(1000, 4999)}"
    _stage_delivery_forecast(projects)
    return projects


def _stage_delivery_forecast(projects: list[DemoProject]) -> None:
    """Give the delivery forecast its warning: an active project that reports green and
    keeps its date, while its Jira work runs at 60% of the pace the date needs, so its
    own throughput makes that date improbable (docs/metrics.md, Forecasts)."""
    enough_history = add_months(QUARTER_ENDS[-1], -4)
    for project in projects:
        if (
            project.jira_key
            and project.archetype == "early"
            and project.rag == "green"
            and project.start <= enough_history
        ):
            project.jira_stretch = 1 / 0.6
            break


def _expected_at(project: DemoProject, benefit: DemoBenefit, day: dt.date) -> float:
    start = _benefit_start(project, benefit)
    target = add_months(start, benefit.months_to_target)
    return min(max((day - start).days / (target - start).days, 0.0), 1.0)


def _stage_latest_quarter(projects: list[DemoProject]) -> None:
    """Give the latest quarterly review every kind of movement to discuss: a cancellation,
    a delivered project whose value stalls, and an active one that admits a slip."""
    q2, q3 = QUARTER_ENDS[-2], QUARTER_ENDS[-1]
    cancelled = [p for p in projects if p.archetype == "cancelled"]
    if cancelled:
        cancelled[0].start = min(cancelled[0].start, dt.date(2025, 10, 1))
        cancelled[0].cancel_on = dt.date(2026, 8, 14)
    for project in projects:
        if project.archetype != "realizing" or project.actual_end > add_months(q2, -3):
            continue
        if not project.benefits or any(b.measured != "yes" for b in project.benefits):
            continue
        if all(0.3 <= _expected_at(project, b, q3) <= 0.9 for b in project.benefits):
            for benefit in project.benefits:
                benefit.plateau = max(_expected_at(project, benefit, q3) - 0.2, 0.05)
            project.rag = "green"
            break
    for project in projects:
        if (
            project.archetype == "early"
            and project.start <= dt.date(2026, 2, 1)
            and project.benefits
        ):
            project.slip_days = 75
            project.actual_end += dt.timedelta(days=75)
            project.scope_ratio = 1.25  # scope kept pace with the original plan
            project.slip_known_from = dt.date(2026, 8, 1)
            project.rag = "green"
            for benefit in project.benefits:
                benefit.start_date = add_months(project.start, 2)
                benefit.pace = 1.05
                benefit.measured = "yes"
                benefit.owner = benefit.owner or BENEFIT_OWNERS[0]
            break


def _ym(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def _add_benefits(project: DemoProject, rng: random.Random) -> None:
    archetype = project.archetype
    if archetype == "no_outcome":
        return
    objective = OBJECTIVES[project.portfolio]
    count = rng.choice([1, 2, 2, 3, 3])
    templates = rng.sample(KPIS[objective], count)
    for i, template in enumerate(templates, start=1):
        low, high = template.value_range
        planned = _round_money(rng.uniform(low, high) * 1_000_000) if high else None
        own_start = None
        if archetype == "unknown_delivery":
            own_start = add_months(project.start, 2)
        elif rng.random() < 0.3:
            own_start = project.actual_end + dt.timedelta(days=rng.choice([0, 30, 60]))
        pace = {
            "realizing": rng.uniform(0.95, 1.25),
            "late_realizing": rng.uniform(0.95, 1.2),
            "watermelon": rng.uniform(0.05, 0.45),
            "rescue": rng.uniform(0.0, 0.4),
            "unknown_delivery": rng.uniform(0.3, 0.9),
        }.get(archetype, rng.uniform(0.6, 1.1))
        plateau = None
        if archetype == "watermelon":
            # Value tracks the plan at first, then stalls: the review sees it turn.
            plateau = pace
        measured = "yes"
        stop_after = None
        if archetype == "watermelon" and rng.random() < 0.35:
            measured = rng.choice(["never", "stopped"])
        elif archetype in ("realizing", "early") and rng.random() < 0.08:
            measured = "never"
        if measured == "stopped":
            stop_after = add_months(QUARTER_ENDS[-1], -rng.randint(5, 9))
        owner = rng.choice(BENEFIT_OWNERS)
        if measured == "never" and rng.random() < 0.6:
            owner = None
        project.benefits.append(
            DemoBenefit(
                benefit_id=f"{project.project_id}-B{i}",
                template=template,
                planned_value=planned,
                start_date=own_start,
                months_to_target=rng.randint(9, 18),
                pace=pace,
                plateau=plateau,
                owner=owner,
                measured=measured,
                stop_after=stop_after,
            )
        )


def _status(project: DemoProject, as_of: dt.date) -> str | None:
    """The project's status as of a snapshot date, or None if it is not registered yet."""
    registered = add_months(project.start, -2)
    if as_of < registered:
        return None
    if project.cancel_on and as_of >= project.cancel_on:
        return "cancelled"
    if project.archetype == "proposed" or as_of < project.start:
        return "proposed"
    if project.archetype == "unknown_delivery":
        return "proposed"
    if as_of >= project.actual_end:
        return "delivered"
    return "active"


def _progress(project: DemoProject, as_of: dt.date) -> float:
    span = (project.actual_end - project.start).days
    return min(max((as_of - project.start).days / span, 0.0), 1.0) if span > 0 else 1.0


def _project_row(project: DemoProject, as_of: dt.date, status: str) -> dict[str, object]:
    progress = _progress(project, as_of)
    if status == "cancelled" and project.cancel_on:
        progress = _progress(project, project.cancel_on)
    forecast_end = None
    if status in ("active", "on_hold") and project.baseline_end:
        # Late projects admit their slip gradually: the forecast drifts quarter by quarter.
        admitted = int(project.slip_days * min(1.0, max(0.0, (progress - 0.3) / 0.5)))
        if project.slip_known_from is not None:
            admitted = project.slip_days if as_of >= project.slip_known_from else 0
        forecast_end = project.baseline_end + dt.timedelta(days=admitted)
    budget = project.budget
    actual_cost = forecast_cost = None
    if budget is not None and status != "proposed":
        spend_curve = progress if status != "delivered" else 1.0
        actual_cost = _round_money(budget * project.cost_factor * spend_curve)
        if status == "active":
            drift = 1 + (project.cost_factor - 1) * min(1.0, 0.3 + progress)
            forecast_cost = _round_money(budget * drift)
    scope_planned = project.scope
    scope_delivered = None
    if scope_planned is not None and status != "proposed":
        done = 1.0 if status == "delivered" else progress
        scope_delivered = round(scope_planned * min(done * project.scope_ratio, 1.0))
    leave_scope_to_jira = project.jira_key is not None and project.project_id[-1] in "13579"
    return {
        "project_id": project.project_id,
        "name": project.name,
        "portfolio": project.portfolio,
        "objective": OBJECTIVES[project.portfolio],
        "sponsor": project.sponsor,
        "owner": project.owner,
        "status": status,
        "rag": project.rag if status != "proposed" else "",
        "start_date": project.start,
        "baseline_end": project.baseline_end,
        "forecast_end": forecast_end,
        "actual_end": project.actual_end if status == "delivered" else None,
        "budget": budget,
        "actual_cost": actual_cost,
        "forecast_cost": forecast_cost,
        "scope_planned": None if leave_scope_to_jira else scope_planned,
        "scope_delivered": None if leave_scope_to_jira else scope_delivered,
        "jira_key": project.jira_key,
    }


def _benefit_start(project: DemoProject, benefit: DemoBenefit) -> dt.date:
    return benefit.start_date or project.actual_end


def _benefit_row(project: DemoProject, benefit: DemoBenefit) -> dict[str, object]:
    start = _benefit_start(project, benefit)
    t = benefit.template
    return {
        "benefit_id": benefit.benefit_id,
        "project_id": project.project_id,
        "kpi": t.kpi,
        "unit": t.unit,
        "baseline": t.baseline,
        "target": t.target,
        "start_date": benefit.start_date,
        "target_date": add_months(start, benefit.months_to_target),
        "planned_value": benefit.planned_value,
        "owner": benefit.owner,
        "category": t.category,
    }


def _measurements(
    project: DemoProject, benefit: DemoBenefit, after: dt.date, upto: dt.date, rng: random.Random
) -> list[dict[str, object]]:
    if benefit.measured == "never":
        return []
    start = _benefit_start(project, benefit)
    target_date = add_months(start, benefit.months_to_target)
    t = benefit.template
    rows = []
    first = month_end(*_ym(add_months(start, -1)))
    for day in month_ends_between(first, upto):
        if day <= after:
            continue
        if benefit.stop_after and day > benefit.stop_after:
            break
        expected = min(max((day - start).days / (target_date - start).days, 0.0), 1.0)
        planned = expected * benefit.pace
        if benefit.plateau is not None:
            planned = min(expected, benefit.plateau)
        attainment = max(planned + rng.gauss(0, 0.02), -0.05)
        value = t.baseline + (t.target - t.baseline) * attainment
        digits = 0 if abs(t.baseline) >= 1000 else 2
        rows.append(
            {
                "benefit_id": benefit.benefit_id,
                "measured_at": day,
                "value": round(value, digits),
                "source": t.source,
            }
        )
    return rows


def _csv(rows: list[dict[str, object]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in columns})
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class DemoSnapshot:
    as_of: dt.date
    files: list[SourceFile]


@dataclass(frozen=True)
class DemoPortfolio:
    """The quarterly uploads, and the warehouse rows the measurement runs read."""

    snapshots: list[DemoSnapshot]
    warehouse: list[dict[str, object]]


def _sourcing(projects: list[DemoProject]) -> tuple[set[str], str | None]:
    """(benefits measured by the warehouse, the one benefit whose source is broken): those
    measured throughout whose series began by the time the runs took over."""
    measured = [
        b
        for p in projects
        for b in p.benefits
        if b.measured == "yes"
        and month_end(*_ym(add_months(_benefit_start(p, b), -1))) <= SOURCED_AFTER
    ]
    sourced = {b.benefit_id for b in measured if b.template.source in MACHINE_SOURCES}
    broken = next((b.benefit_id for b in measured if b.template.source == BROKEN_SOURCE), None)
    return sourced, broken


def demo_portfolio(seed: int = SEED) -> DemoPortfolio:
    """The eight quarterly uploads of the demo, as the CSV files a PMO lead would send (the
    latest with the measurement sources of the benefits a BI system measures), and the
    warehouse those sources read (connectors/demo_warehouse.py)."""
    from domain.contract import BENEFITS, MEASUREMENT_SOURCES, MEASUREMENTS, PROJECTS

    projects = build_projects(seed)
    sourced, broken = _sourcing(projects)
    rng = random.Random(seed + 1)
    snapshots = []
    warehouse: list[dict[str, object]] = []
    sources: dict[str, dict[str, object]] = {}
    previous = dt.date(1900, 1, 1)
    for as_of in QUARTER_ENDS:
        project_rows, benefit_rows, measurement_rows = [], [], []
        for project in projects:
            status = _status(project, as_of)
            if status is None:
                continue
            project_rows.append(_project_row(project, as_of, status))
            for benefit in project.benefits:
                benefit_rows.append(_benefit_row(project, benefit))
                rows = _measurements(project, benefit, previous, as_of, rng)
                if benefit.benefit_id in sourced:
                    warehouse.extend(rows)
                    rows = [r for r in rows if r["measured_at"] <= SOURCED_AFTER]  # type: ignore[operator]
                if benefit.benefit_id in sourced | {broken}:
                    sources[benefit.benefit_id] = source_row(
                        benefit.benefit_id, benefit.template.kpi, benefit.benefit_id == broken
                    )
                measurement_rows.extend(rows)
        files = [
            SourceFile("projects.csv", _csv(project_rows, PROJECTS.names)),
            SourceFile("benefits.csv", _csv(benefit_rows, BENEFITS.names)),
            SourceFile("measurements.csv", _csv(measurement_rows, MEASUREMENTS.names)),
        ]
        if as_of == QUARTER_ENDS[-1]:
            chosen = [sources[b] for b in sorted(sources)]
            files.append(
                SourceFile("measurement_sources.csv", _csv(chosen, MEASUREMENT_SOURCES.names))
            )
        snapshots.append(DemoSnapshot(as_of, files))
        previous = as_of
    return DemoPortfolio(snapshots, warehouse)


def demo_snapshots(seed: int = SEED) -> list[DemoSnapshot]:
    """The eight quarterly uploads of the demo (see demo_portfolio)."""
    return demo_portfolio(seed).snapshots
