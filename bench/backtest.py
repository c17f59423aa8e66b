"""Back-test the delivery forecast on real Jira history: how often does the real finish
fall before P50, P85 and P95? Ideally about 50%, 85% and 95% of the time.

    python -m bench.backtest --csv PATH [--windows 4 8 12 26 52] [--sizes 10 25 50]
                             [--step-days 7] [--min-active 4] [--json FILE]

PATH is a CSV with `project`, `created_date` and `finished_date` per task, such as
jira.csv of rueedlinger/agile-project-dataset (4,123 real, anonymised tasks of two
projects, 2012-2019; in this workspace ../shared/realworld/jira/agile-project-dataset/,
which a clone of the project does not have: pass the path). Rows that finish before they
were created are the migration garbage its authors warn about, and are left out.

Each project stands for one Jira epic whose children are its tasks. On every as-of date A
(every `--step-days` from the first date with a full window of history), for each window
length W and each size N, the product's own delivery forecast (metrics.delivery_forecast,
with `forecast_window_weeks` = W) says by which dates N more tasks will be done; the real
answer is the date of the N-th task finished after A:

- `next N finished`: any N tasks (the forecast's own question: throughput, nothing else);
- `N of the open ones`: N of the tasks open on A (what the cockpit asks of an epic's open
  children, while new work keeps arriving and is done too).

A forecast counts as a hit at P85 when that real date is on or before P85's date, and as a
miss when it is later, or when the N-th finish never came although the data go on past
P85's date (the last finish in the file ends what was observed); it is not judged when
the data end first. Dates without a forecast (fewer active weeks than `--min-active`)
are skipped and counted. Figures to read; the test suite never runs this.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import polars as pl

from domain.settings import Settings
from metrics.delivery_forecast import FINISH_COLUMNS, delivery_forecast

ORDERS = ("next N finished", "N of the open ones")


def read_tasks(path: Path) -> tuple[pl.DataFrame, int]:
    """(tasks with project, created, finished; how many garbage rows were left out)."""
    raw = pl.read_csv(path, try_parse_dates=True)
    missing = {"project", "created_date", "finished_date"} - set(raw.columns)
    if missing:
        raise SystemExit(f"error: {path} has no column {', '.join(sorted(missing))}")
    tasks = raw.select(
        pl.col("project").cast(pl.String),
        pl.col("created_date").cast(pl.Date).alias("created"),
        pl.col("finished_date").cast(pl.Date).alias("finished"),
    ).drop_nulls()
    clean = tasks.filter(pl.col("finished") >= pl.col("created"))
    return clean, tasks.height - clean.height


def _forecast_inputs(
    tasks: pl.DataFrame, project: str, as_of: dt.date, sizes: list[int]
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """One stand-in project per N whose epic has the project's tasks done by A and N open
    children: the forecast then says when N more are done."""
    history = tasks.filter(pl.col("finished") <= as_of).select(
        pl.col("finished").cast(pl.Datetime("us")).alias("done_at")
    )
    parts, projects = [], []
    for n in sizes:
        key = f"{project}/{n}"
        open_rows = pl.DataFrame({"done_at": [None] * n}, schema={"done_at": pl.Datetime("us")})
        parts.append(pl.concat([history, open_rows]).with_columns(pl.lit(key).alias("jira_key")))
        projects.append({"project_id": key, "jira_key": key, "status": "active"})
    frame = pl.DataFrame(
        projects,
        schema={"project_id": pl.String, "jira_key": pl.String, "status": pl.String},
    ).with_columns(
        pl.lit(None, pl.Date).alias("baseline_end"), pl.lit(None, pl.Date).alias("forecast_end")
    )
    return frame.lazy(), pl.concat(parts).lazy()


def _nth_finish(
    tasks: pl.DataFrame, project: str, as_of: dt.date, sizes: list[int]
) -> pl.DataFrame:
    """Per N and order: the real date of the N-th task of the project finished after A,
    counting any task or only the tasks open on A (null when it never came)."""
    later = tasks.filter(pl.col("finished") > as_of)
    every = later.get_column("finished").sort().to_list()
    open_ones = later.filter(pl.col("created") <= as_of).get_column("finished").sort().to_list()
    open_on_a = tasks.filter(
        (pl.col("created") <= as_of) & (pl.col("finished") > as_of)
    ).height  # every task of the file finished some day: those not yet finished are open
    rows = [
        {
            "project_id": f"{project}/{n}",
            "order": order,
            "real": dates[n - 1] if len(dates) >= n else None,
        }
        for n in sizes
        for order, dates in zip(ORDERS, (every, open_ones), strict=True)
        if order == ORDERS[0] or open_on_a >= n  # N of the open ones needs N open
    ]
    return pl.DataFrame(rows, schema={"project_id": pl.String, "order": pl.String, "real": pl.Date})


def backtest(
    tasks: pl.DataFrame,
    windows: list[int],
    sizes: list[int],
    step_days: int,
    min_active: int,
) -> pl.DataFrame:
    """One row per (project, window, as-of date, N, order): the forecast's dates and the
    real one (null when it never came). As-of dates run over each project's own span."""
    observed_until = tasks.get_column("finished").max()
    rows = []
    for (project,), own in tasks.group_by("project", maintain_order=True):
        first, last = own.get_column("finished").min(), own.get_column("finished").max()
        assert isinstance(first, dt.date) and isinstance(last, dt.date)
        for weeks in windows:
            settings = Settings(forecast_window_weeks=weeks, forecast_min_active_weeks=min_active)
            as_of = first + dt.timedelta(weeks=weeks)
            while as_of < last:
                projects, children = _forecast_inputs(own, str(project), as_of, sizes)
                forecast = (
                    delivery_forecast(projects, children, as_of, settings)
                    .select("project_id", "remaining", *FINISH_COLUMNS, *_claimed(as_of))
                    .collect()
                )
                real = _nth_finish(own, str(project), as_of, sizes)
                rows.append(
                    forecast.join(real, on="project_id", how="inner").with_columns(
                        pl.lit(as_of).alias("as_of"), pl.lit(weeks).alias("window_weeks")
                    )
                )
                as_of += dt.timedelta(days=step_days)
    return pl.concat(rows).with_columns(
        pl.col("project_id").str.split("/").list.get(0).alias("project"),
        pl.col("remaining").alias("n"),
        pl.lit(observed_until).alias("observed_until"),
    )


def _claimed(as_of: dt.date) -> list[pl.Expr]:
    """F(w_q) for each quantile's week w_q: the chance the forecast itself gives its date.
    Whole weeks make it at least q (often more: F jumps), so that is what hits should
    match."""
    return [
        pl.col("finish_chance")
        .list.get(((pl.col(c) - pl.lit(as_of)).dt.total_days() // 7 - 1).cast(pl.Int64))
        .alias(c.replace("finish_", "claimed_"))
        for c in FINISH_COLUMNS
    ]


def calibration(results: pl.DataFrame) -> pl.DataFrame:
    """Per order, window and N: forecasts compared, how many N-th finishes never came, and
    the share of real finishes on or before each of P50, P85, P95."""

    def hit(column: str) -> pl.Expr:
        """True by the date; false after it, or never although observed past it; null when
        the data end before the date without the N-th finish."""
        return (
            pl.when(pl.col("real").is_not_null())
            .then(pl.col("real") <= pl.col(column))
            .when(pl.col(column) < pl.col("observed_until"))
            .then(False)
            .mean()
            .alias(column.replace("finish_", "by_"))
        )

    return (
        results.filter(pl.col("finish_p50").is_not_null())
        .group_by("order", "window_weeks", "n")
        .agg(
            pl.len().alias("forecasts"),
            pl.col("real").is_null().sum().alias("never"),
            *[hit(c) for c in FINISH_COLUMNS],
            *[pl.col(c.replace("finish_", "claimed_")).mean() for c in FINISH_COLUMNS],
        )
        .sort("order", "window_weeks", "n")
    )


def _table(frame: pl.DataFrame) -> str:
    lines = [
        "| real finish of | window | N | forecasts | N-th never came "
        "| by P50 (claimed) | by P85 (claimed) | by P95 (claimed) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in frame.iter_rows(named=True):
        hits = " | ".join(f"{r[f'by_p{q}']:.0%} ({r[f'claimed_p{q}']:.0%})" for q in (50, 85, 95))
        lines.append(
            f"| {r['order']} | {r['window_weeks']} weeks | {r['n']} | {r['forecasts']} | "
            f"{r['never']} | {hits} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.backtest",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--csv", type=Path, required=True, help="tasks with created and finished")
    parser.add_argument("--windows", type=int, nargs="+", default=[4, 8, 12, 26, 52])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--step-days", type=int, default=7)
    parser.add_argument("--min-active", type=int, default=Settings().forecast_min_active_weeks)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the table here")
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        print(f"error: no file {args.csv}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    tasks, garbage = read_tasks(args.csv)
    results = backtest(tasks, args.windows, args.sizes, args.step_days, args.min_active)
    table = calibration(results)
    no_forecast = results.filter(pl.col("finish_p50").is_null()).height
    print(
        f"{tasks.height:,} tasks of {tasks['project'].n_unique()} projects "
        f"({garbage:,} rows finished before they were created, left out); "
        f"{results.height:,} dates and sizes, {no_forecast:,} without a forecast (too few "
        f"active weeks); {time.perf_counter() - started:.0f} s\n"
    )
    print(_table(table))
    if args.json:
        args.json.write_text(json.dumps(table.to_dicts(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
