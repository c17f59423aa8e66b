"""How fast does a big measurements upload load? `python -m bench.ingest [--rows N]`

Builds a store whose snapshot holds the benefits the measurements refer to, writes a
measurements CSV of N rows (default 1,000,000), then loads it exactly as a user would:
`cockpit load FILE --as-of DATE --db PATH` (run as `python -m cockpit`) in a child
process. Prints the wall time and the child's peak resident memory, then the same load
in-process split into its steps (check, commit). Timings are figures to read, never
assertions in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 9, 30)


def _benefits(n_benefits: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Projects (ten benefits each) and their benefits, as the template's columns."""
    n_projects = max(n_benefits // 10, 1)
    projects = pl.DataFrame({"i": range(n_projects)}).select(
        project_id=pl.format("PRJ-{}", pl.col("i")),
        name=pl.format("Project {}", pl.col("i")),
        status=pl.lit("active"),
        baseline_end=pl.lit("2027-12-31"),
        budget=(pl.col("i") * 1000 + 50_000).cast(pl.String),
    )
    benefits = pl.DataFrame({"i": range(n_benefits)}).select(
        benefit_id=pl.format("BEN-{}", pl.col("i").cast(pl.String).str.zfill(6)),
        project_id=pl.format("PRJ-{}", pl.col("i") // 10),
        kpi=pl.lit("Conversion"),
        baseline=pl.lit("2.0"),
        target=pl.lit("3.0"),
        target_date=pl.lit("2027-12-31"),
    )
    return projects, benefits


def _measurements(n_rows: int, n_benefits: int) -> pl.DataFrame:
    """n_rows distinct (benefit, month-end) pairs with values, vectorised."""
    per_benefit = -(-n_rows // n_benefits)
    return pl.DataFrame({"i": pl.int_range(0, n_rows, eager=True)}).select(
        benefit_id=pl.format("BEN-{}", (pl.col("i") // per_benefit).cast(pl.String).str.zfill(6)),
        measured_at=pl.date(2000, 1, 1)
        .dt.offset_by(pl.format("{}mo", pl.col("i") % per_benefit))
        .dt.month_end(),
        value=((pl.col("i") * 7919) % 10_000).cast(pl.Float64) / 100,
        source=pl.lit("BI export"),
    )


def prepare(folder: Path, rows: int, benefits: int) -> tuple[Path, Path]:
    """A store with the benefits committed (through the loader), and the measurements CSV."""
    from connectors.ingest import ingest
    from connectors.sheets.read import SourceFile
    from store import close_all, open_store

    db = folder / "bench.duckdb"
    projects, benefit_rows = _benefits(benefits)
    store = open_store(str(db))
    outcome = ingest(
        store,
        [
            SourceFile("projects.csv", projects.write_csv().encode()),
            SourceFile("benefits.csv", benefit_rows.write_csv().encode()),
        ],
        dt.date(1999, 12, 31),
        source="bench",
        actor="bench",
    )
    assert outcome.commit is not None, [p.line() for p in outcome.result.errors[:5]]
    close_all()
    csv_path = folder / "measurements.csv"
    _measurements(rows, benefits).write_csv(csv_path)
    return db, csv_path


def run_cli(db: Path, csv_path: Path) -> tuple[float, float, str]:
    """The real command in a child process: (seconds, peak RSS in MB, its output)."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cockpit",
            "load",
            str(csv_path),
            "--as-of",
            AS_OF.isoformat(),
            "--db",
            str(db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode != 0:
        raise SystemExit(f"the load failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, peak_mb, done.stdout


def steps_in_process(db: Path, csv_path: Path) -> dict[str, float]:
    """The same load in this process, timed step by step (after the imports)."""
    from connectors.ingest import validate
    from connectors.sheets.read import SourceFile
    from store import close_all, open_store

    timings: dict[str, float] = {}
    started = time.perf_counter()
    files = [SourceFile(csv_path.name, csv_path.read_bytes())]
    timings["read file"] = time.perf_counter() - started
    store = open_store(str(db))
    started = time.perf_counter()
    result = validate(store, files, AS_OF)
    timings["check (read, parse, validate)"] = time.perf_counter() - started
    assert result.frames is not None
    started = time.perf_counter()
    store.commit_snapshot(
        result.frames, as_of=AS_OF, content_hash=result.content_hash + "-again", source="bench"
    )
    timings["commit (one transaction)"] = time.perf_counter() - started
    close_all()
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--benefits", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        db, csv_path = prepare(folder, args.rows, args.benefits)
        size_mb = csv_path.stat().st_size / 1024 / 1024
        print(
            f"prepared {args.rows:,} measurements of {args.benefits:,} benefits "
            f"({size_mb:.1f} MB CSV) in {time.perf_counter() - started:.1f} s"
        )
        seconds, peak_mb, output = run_cli(db, csv_path)
        print(output.strip().splitlines()[0])
        print(f"cockpit load: {seconds:.2f} s wall, peak RSS {peak_mb:,.0f} MB")
        steps = steps_in_process(db, csv_path)
        for step, took in steps.items():
            print(f"  {step}: {took:.2f} s")
        figures = {
            "rows": args.rows,
            "csv_mb": round(size_mb, 1),
            "cli_seconds": round(seconds, 2),
            "cli_peak_rss_mb": round(peak_mb),
            "steps": {k: round(v, 3) for k, v in steps.items()},
        }
        (ROOT / "bench" / "results.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
