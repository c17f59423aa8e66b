"""The briefing as a PDF: headline, narrative, the gap over time, the quadrant, movers and
decisions. Charts are rendered offline by vl-convert at print resolution."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import altair as alt
import polars as pl
import vl_convert as vlc
from fpdf import FPDF
from fpdf.errors import FPDFException
from fpdf.fonts import FontFace

from briefing.narrative import Narrative
from charts import theme  # noqa: F401  (registers the Altair theme used by the images)
from charts.gap_trend import gap_trend_chart
from charts.quadrant import quadrant_chart
from charts.theme import QUADRANT_LABELS
from domain.figures import FIGURES, label, shown_values
from domain.formats import date_text
from metrics.decisions import ACTIONS, agenda
from metrics.review import QuarterReview

INK = (31, 42, 55)
MUTED = (107, 114, 128)
ACCENT = (0, 114, 178)
ALERT = (213, 94, 0)
RULE = (229, 231, 235)
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
PLAIN = str.maketrans(
    {"—": "-", "–": "-", "’": "'", "“": '"', "”": '"', "→": "->", "≥": ">="}
    | {"€": "EUR ", "₹": "INR ", "₩": "KRW "}  # currency signs outside Latin-1
)


class BriefingError(Exception):
    """The briefing cannot be drawn; the message says why in words a PMO lead can act on."""


class BriefingPDF(FPDF):
    def __init__(self, review: QuarterReview) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.review = review
        self.section = "the briefing"  # the heading being drawn, for messages
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(auto=True, margin=16)
        self.unicode = self._use_unicode_font()
        self.set_title(f"Quarterly strategy review {review.quarter}")
        self.set_author("Outcomes cockpit")

    def _use_unicode_font(self) -> bool:
        for folder in FONT_DIRS:
            regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
            if regular.exists() and bold.exists():
                self.add_font("Body", "", str(regular))
                self.add_font("Body", "B", str(bold))
                return True
        return False

    def text_of(self, text: str) -> str:
        """Core PDF fonts only know Latin-1: without a Unicode font, plain equivalents."""
        if self.unicode:
            return text
        return text.translate(PLAIN).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font("Body" if self.unicode else "Helvetica", "B" if bold else "", size)

    def footer(self) -> None:
        self.set_y(-11)
        self.font(8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.text_of(f"Quarterly strategy review {self.review.quarter}"), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.page_no()}", align="R")

    def heading(self, text: str, size: float = 14) -> None:
        self.section = text
        self.ln(2)
        self.font(size, bold=True)
        self.set_text_color(*INK)
        self.multi_cell(0, size * 0.5, self.text_of(text), align="L")
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 10.5, color: tuple[int, int, int] = INK) -> None:
        self.font(size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, self.text_of(text), align="L")
        self.ln(1)

    def chart(
        self, chart: alt.TopLevelMixin | dict, width_px: int, height_mm: float | None = None
    ) -> None:
        png = vlc.vegalite_to_png(_offline_spec(chart, width_px), scale=3)
        width_mm = self.w - self.l_margin - self.r_margin
        self.image(png, x=self.l_margin, w=width_mm, h=height_mm or 0, keep_aspect_ratio=True)
        self.ln(2)

    def table(self, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
        if not rows:
            self.paragraph("None this quarter.", color=MUTED)
            return
        self.font(9)
        self.set_text_color(*INK)
        try:
            self._table(header, rows, widths)
        except (ValueError, FPDFException) as exc:  # a row taller than a page, a long word
            raise BriefingError(_table_problem(self.section, header, rows, exc)) from exc
        self.ln(3)

    def _table(self, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
        style = FontFace(emphasis="BOLD", color=INK, fill_color=(243, 244, 246))
        with super().table(
            col_widths=widths,
            headings_style=style,
            line_height=4.6,
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
            padding=1.2,
        ) as table:
            head = table.row()
            for title in header:
                head.cell(self.text_of(title))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(self.text_of(value))


def _table_problem(section: str, header: list[str], rows: list[list[str]], exc: Exception) -> str:
    """Which text made a table undrawable: its longest cell, by column and row."""
    length, column, row = max(
        (len(value), title, values[0])
        for values in rows
        for title, value in zip(header, values, strict=True)
    )
    shown = " ".join(row[:40].split()) + ("…" if len(row) > 40 else "")
    return (
        f"The table “{section}” cannot be drawn ({exc}). Its longest text, {length:,} "
        f"characters, is the {column.lower()} in the row of “{shown}”: shorten it in your "
        "data and load it again."
    )


def _offline_spec(chart: alt.TopLevelMixin | dict, width_px: int) -> dict:
    """A fixed-width spec for print. vl-convert does not resolve font stacks: name one
    generic family it always has."""
    spec = copy.deepcopy(chart) if isinstance(chart, dict) else chart.to_dict()
    spec["width"] = width_px
    config = spec.setdefault("config", {})
    config["font"] = "sans-serif"
    config["background"] = "white"  # print on paper: no alpha channel to mishandle
    for part in ("text", "title", "axis", "legend", "header"):
        config.setdefault(part, {})
        for key in ("font", "labelFont", "titleFont"):
            config[part][key] = "sans-serif"
    return spec


def _date(day: dt.date | None) -> str:
    return date_text(day) if day else ""


HEADLINE = ("output_rate", "outcome_rate", "gap_pts", "value_at_risk", "unmeasured_share")


def _headline_boxes(pdf: BriefingPDF, review: QuarterReview) -> None:
    """The five headline figures, labelled, formatted and reconciled as on the page."""
    rows = shown_values({row["figure"]: row for row in review.headline.iter_rows(named=True)})
    width = (pdf.w - pdf.l_margin - pdf.r_margin - 4 * 3) / 5
    top = pdf.get_y()
    for i, name in enumerate(HEADLINE):
        figure, row = FIGURES[name], rows.get(name, {})
        current, previous = row.get("current"), row.get("previous")
        x = pdf.l_margin + i * (width + 3)
        pdf.set_draw_color(*RULE)
        pdf.rect(x, top, width, 24, style="D")
        pdf.set_xy(x + 2.5, top + 2.5)
        pdf.font(8)
        pdf.set_text_color(*MUTED)
        pdf.cell(width - 5, 4, pdf.text_of(figure.label))
        pdf.set_xy(x + 2.5, top + 8)
        pdf.font(17, bold=True)
        pdf.set_text_color(*(ALERT if name == "gap_pts" else INK))
        pdf.cell(width - 5, 8, pdf.text_of(figure.shown(current)))
        if current is not None and previous is not None and review.previous_quarter:
            change = figure.change(current, previous)
            if change == figure.change(current, current):
                change = "no change"
            pdf.set_xy(x + 2.5, top + 17)
            pdf.font(8)
            pdf.set_text_color(*MUTED)
            pdf.cell(width - 5, 4, pdf.text_of(f"{change} vs {review.previous_quarter}"))
    pdf.set_xy(pdf.l_margin, top + 28)


def briefing_pdf(review: QuarterReview, story: Narrative) -> bytes:
    """The whole briefing as PDF bytes; BriefingError when it cannot be drawn (whatever
    fails in drawing: the PDF or chart libraries are told apart from our own bugs only by
    the message, and the caller shows or prints that, never a traceback)."""
    try:
        return _draw(review, story)
    except BriefingError:
        raise
    except Exception as exc:  # the drawing libraries' own errors (fpdf2, vl-convert)
        raise BriefingError(
            f"The briefing for {review.quarter} cannot be drawn ({type(exc).__name__}: {exc})."
        ) from exc


def _draw(review: QuarterReview, story: Narrative) -> bytes:
    pdf = BriefingPDF(review)
    pdf.add_page()
    pdf.font(9, bold=True)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 5, pdf.text_of("QUARTERLY STRATEGY REVIEW"), new_x="LMARGIN", new_y="NEXT")
    pdf.font(24, bold=True)
    pdf.set_text_color(*INK)
    pdf.cell(
        0,
        12,
        pdf.text_of(f"{review.quarter}: delivery against value"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    compared = (
        f", compared with {review.previous_quarter} (as of {_date(review.previous_as_of)})"
        if review.previous_quarter
        else ""
    )
    pdf.paragraph(f"As of {_date(review.as_of)}{compared}.", size=10, color=MUTED)
    pdf.ln(2)
    _headline_boxes(pdf, review)
    pdf.heading("In brief", 13)
    for sentence in story.sentences:
        if sentence.split(",")[0] in ("First", "Second", "Third"):
            pdf.set_x(pdf.l_margin + 5)
            pdf.font(10.5)
            pdf.set_text_color(*INK)
            pdf.multi_cell(0, 5.25, pdf.text_of(sentence), align="L")
            pdf.ln(1)
        else:
            pdf.paragraph(sentence)
    if review.series.height > 1:
        pdf.heading("The gap, quarter by quarter", 13)
        pdf.chart(gap_trend_chart(review.series, height=220), width_px=640)

    pdf.add_page()
    pdf.heading("Delivery against value, project by project")
    pdf.paragraph(
        "Each circle is a project, sized by budget. Right of the dashed line: on time, on budget "
        "and on scope. Above it: value keeping up with the expected trajectory.",
        size=9.5,
        color=MUTED,
    )
    pdf.chart(quadrant_chart(review.projects, 0.10, height=430), width_px=640)
    committed, kept, realizing = (review.figure(k) for k in ("committed", "kept", "realizing"))
    if committed is not None:
        pdf.paragraph(
            f"Commitments: {committed:.0f} projects were due by now; {kept:.0f} of them delivered "
            f"on time and on budget ({label('kept').lower()}); {realizing:.0f} of those are "
            f"{label('realizing').lower()}."
        )

    pdf.add_page()
    pdf.heading("What moved since " + (review.previous_quarter or "the start"))
    moves = review.quadrant_moves.with_columns(
        pl.col("from_quadrant").replace_strict(QUADRANT_LABELS, default="(new)")
    )
    pdf.table(
        ["Project", "Sponsor", "From", "To", "Why"],
        [
            [r["name"], r["sponsor"] or "", r["from_quadrant"], r["to_label"], r["why"]]
            for r in moves.to_dicts()
        ],
        [34, 24, 26, 26, 68],
    )
    for title, frame in (
        ("Started", review.started),
        ("Delivered", review.delivered),
        ("Cancelled", review.cancelled),
    ):
        names = ", ".join(frame["name"].to_list()) if frame.height else "none"
        pdf.paragraph(f"{title} ({frame.height}): {names}.", size=10)
    changes = review.status_changes
    pdf.heading(f"Benefits that changed status ({changes.height})", 12)
    pdf.table(
        ["Project", "KPI", "From", "To"],
        [
            [
                r["project_name"] or r["project_id"],
                r["kpi"],
                r["from_status"].replace("_", " "),
                r["to_status"].replace("_", " "),
            ]
            for r in changes.head(25).to_dicts()
        ],
        [50, 62, 33, 33],
    )

    pdf.add_page()
    first = agenda(review.decisions.lazy()).collect()
    more = review.decisions.height - first.height
    pdf.heading(
        f"Decisions to take: the {first.height} with most at stake"
        + (f" (of {review.decisions.height})" if more else "")
    )
    pdf.paragraph(
        "Derived by fixed rules: rescue or stop projects off plan and short of value; "
        "re-examine the benefit case of watermelons; re-baseline repeated slips; review green "
        "statuses that hide bad news; get every due benefit measured; intervene early where a "
        "benefit on track today is heading for a miss.",
        size=9.5,
        color=MUTED,
    )
    pdf.table(
        ["Decision", "Project", "Sponsor", "Why"],
        [[r["action"], r["name"], r["sponsor"] or "", r["trigger"]] for r in first.to_dicts()],
        [42, 38, 26, 72],
    )
    if more:
        rest = review.decisions.join(
            first.select("decision", "project_id"), on=["decision", "project_id"], how="anti"
        )
        by_rule = dict(rest.group_by("decision").len().iter_rows())
        counts = "; ".join(f"{ACTIONS[k]}: {by_rule[k]}" for k in ACTIONS if by_rule.get(k))
        pdf.paragraph(
            f"The other {more} decisions ({counts}) are listed on the Quarterly review page "
            "of the cockpit, by rule, with a CSV and Excel download.",
            size=9.5,
            color=MUTED,
        )
    return bytes(pdf.output())
