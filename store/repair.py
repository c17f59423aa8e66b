"""A store check, and its repair, for what concurrent writers could leave before ids came
from the `write_turn` row (store/core.py): two snapshots under one id (ids were max + 1)
and dates with two active snapshots (each load checked for an active one before the other
had committed).

Two snapshots under one id also share their projects, benefits and measurements rows (all
keyed by that id). Which rows are whose is told by the order of commits: a lake numbers
rows (`rowid`) at commit, in commit order, a commit's rows one after the other. So the
n-th snapshot row of an id, in rowid order, owns the n-th run of rows of each table, as
long as its recorded counts (n_projects, ...) add up to the rows there; otherwise the id
is reported and left alone.

The repair is one write: it takes the write turn, gives every snapshot but the first of an
id a fresh id from the write turn, keeps the newest snapshot of a date active (the others
become superseded, restorable), audits each change (`repair`), and commits whole or not at
all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from store.audit import record
from store.core import Database, Unchanged, next_id
from store.cursor import Cursor

# table -> the snapshots column that counts its rows
OWNED_ROWS = {"projects": "n_projects", "benefits": "n_benefits", "measurements": "n_measurements"}


@dataclass(frozen=True)
class DuplicateId:
    snapshot_id: int
    as_of: tuple[dt.date, ...]  # of each snapshot under the id, in commit order
    splittable: bool  # the recorded counts account for every row of the id

    def line(self) -> str:
        dates = ", ".join(d.isoformat() for d in self.as_of)
        text = f"snapshot id #{self.snapshot_id} is held by {len(self.as_of)} snapshots ({dates})"
        if not self.splittable:
            text += "; their rows cannot be told apart (the counts do not add up): left alone"
        return text


@dataclass(frozen=True)
class DoubleActive:
    as_of: dt.date
    snapshot_ids: tuple[int, ...]  # oldest first: the last one stays active

    def line(self) -> str:
        ids = ", ".join(f"#{i}" for i in self.snapshot_ids)
        return f"{self.as_of.isoformat()} has {len(self.snapshot_ids)} active snapshots ({ids})"


@dataclass(frozen=True)
class StoreCheck:
    duplicate_ids: tuple[DuplicateId, ...] = ()
    double_active: tuple[DoubleActive, ...] = ()
    counter_behind: tuple[int, int] | None = None  # (write_turn's last id, the largest id)

    @property
    def ok(self) -> bool:
        return not (self.duplicate_ids or self.double_active or self.counter_behind)

    def lines(self) -> list[str]:
        found = [d.line() for d in self.duplicate_ids] + [d.line() for d in self.double_active]
        if self.counter_behind:
            last, largest = self.counter_behind
            found.append(
                f"the next snapshot id would be #{last + 1}, below the largest id #{largest}"
            )
        return found


@dataclass
class Repaired:
    renumbered: list[tuple[int, int, dt.date]] = field(default_factory=list)  # (was, now, as_of)
    superseded: list[tuple[int, dt.date, int]] = field(default_factory=list)  # (id, as_of, by)
    counter: tuple[int, int] | None = None  # (was, now)

    def lines(self) -> list[str]:
        out = [
            f"snapshot #{was} of {as_of.isoformat()} is now #{now}"
            for was, now, as_of in self.renumbered
        ]
        out += [
            f"snapshot #{sid} of {as_of.isoformat()} is now superseded by #{by} (restorable)"
            for sid, as_of, by in self.superseded
        ]
        if self.counter:
            out.append(f"the next snapshot id now follows #{self.counter[1]}")
        return out


def check(cur: Cursor) -> StoreCheck:
    """What is wrong with the store (reads only)."""
    duplicates = []
    for snapshot_id, dates in cur.execute(
        "SELECT snapshot_id, list(as_of ORDER BY rowid) FROM snapshots "
        "GROUP BY snapshot_id HAVING count(*) > 1 ORDER BY snapshot_id"
    ).fetchall():
        duplicates.append(
            DuplicateId(int(snapshot_id), tuple(dates), _splittable(cur, int(snapshot_id)))
        )
    double = [
        DoubleActive(as_of, tuple(int(i) for i in ids))
        for as_of, ids in cur.execute(
            "SELECT as_of, list(snapshot_id ORDER BY created_at, snapshot_id, rowid) "
            "FROM snapshots WHERE state = 'active' AND kind = 'portfolio' "
            "GROUP BY as_of HAVING count(*) > 1 ORDER BY as_of"
        ).fetchall()
    ]
    row = cur.execute(
        "SELECT (SELECT max(last_snapshot_id) FROM write_turn), "
        "(SELECT coalesce(max(snapshot_id), 0) FROM snapshots)"
    ).fetchone()
    behind = (int(row[0]), int(row[1])) if row and row[0] is not None and row[0] < row[1] else None
    return StoreCheck(tuple(duplicates), tuple(double), behind)


def _splittable(cur: Cursor, snapshot_id: int) -> bool:
    for table, column in OWNED_ROWS.items():
        row = cur.execute(
            f"SELECT (SELECT count(*) FROM {table} WHERE snapshot_id = ?), "
            f"(SELECT sum({column}) FROM snapshots WHERE snapshot_id = ?)",
            [snapshot_id, snapshot_id],
        ).fetchone()
        if not row or row[0] != row[1]:
            return False
    return True


def check_store(db: Database) -> StoreCheck:
    """The check, on the store itself (not this process's copy of it)."""
    return db.write(lambda cur: Unchanged(check(cur)), claim=False)


def repair_store(db: Database, actor: str | None = None) -> tuple[StoreCheck, Repaired]:
    """Check, and repair what can be, in one write; (what was found, what was done)."""

    def repair(cur: Cursor) -> tuple[StoreCheck, Repaired] | Unchanged[tuple[StoreCheck, Repaired]]:
        found = check(cur)
        done = Repaired()
        if found.counter_behind:
            cur.execute("UPDATE write_turn SET last_snapshot_id = ?", [found.counter_behind[1]])
            done.counter = found.counter_behind
            record(cur, actor, "repair", "store", {"last_snapshot_id": list(done.counter)})
        for duplicate in found.duplicate_ids:
            if duplicate.splittable:
                done.renumbered += _renumber(cur, duplicate.snapshot_id, actor)
        for double in check(cur).double_active:  # ids are unique by now
            newest = double.snapshot_ids[-1]
            for older in double.snapshot_ids[:-1]:
                cur.execute(
                    "UPDATE snapshots SET state = 'superseded' WHERE snapshot_id = ?", [older]
                )
                record(
                    cur,
                    actor,
                    "repair",
                    f"snapshot #{older}",
                    {"as_of": double.as_of.isoformat(), "state": "superseded",
                     "superseded_by": newest, "why": "two active snapshots for one date"},
                )  # fmt: skip
                done.superseded.append((older, double.as_of, newest))
        if not (done.renumbered or done.superseded or done.counter):
            return Unchanged((found, done))
        return found, done

    return db.write(repair)


def _renumber(cur: Cursor, snapshot_id: int, actor: str | None) -> list[tuple[int, int, dt.date]]:
    """Every snapshot under `snapshot_id` but the first committed gets a fresh id, with its
    run of rows in each table (see the module docstring)."""
    rows = cur.execute(
        f"SELECT rowid, as_of, {', '.join(OWNED_ROWS.values())} FROM snapshots "
        "WHERE snapshot_id = ? ORDER BY rowid",
        [snapshot_id],
    ).fetchall()
    # Where each snapshot's run starts in each table, before anything moves.
    starts: list[dict[str, int | None]] = []
    offsets = dict.fromkeys(OWNED_ROWS, 0)
    for row in rows:
        starts.append({t: _rowid_at(cur, t, snapshot_id, offsets[t]) for t in OWNED_ROWS})
        for i, table in enumerate(OWNED_ROWS):
            offsets[table] += int(row[2 + i])
    renumbered = []
    for index in range(1, len(rows)):
        fresh = next_id(cur, "last_snapshot_id")
        rowid, as_of = rows[index][0], rows[index][1]
        for table in OWNED_ROWS:
            start = starts[index][table]
            if start is None:
                continue  # no rows of its own there
            end = starts[index + 1][table] if index + 1 < len(rows) else None
            bound = "" if end is None else " AND rowid < ?"
            cur.execute(
                f"UPDATE {table} SET snapshot_id = ? WHERE snapshot_id = ? AND rowid >= ?{bound}",
                [fresh, snapshot_id, start, *([end] if end is not None else [])],
            )
        cur.execute("UPDATE snapshots SET snapshot_id = ? WHERE rowid = ?", [fresh, rowid])
        # A snapshot that superseded this one (same date) now names its new id.
        cur.execute(
            "UPDATE snapshots SET replaces = ? WHERE replaces = ? AND as_of = ? "
            "AND snapshot_id <> ?",
            [fresh, snapshot_id, as_of, fresh],
        )
        record(
            cur,
            actor,
            "repair",
            f"snapshot #{fresh}",
            {"was": snapshot_id, "as_of": as_of.isoformat(), "why": "two snapshots under one id"},
        )
        renumbered.append((snapshot_id, fresh, as_of))
    return renumbered


def _rowid_at(cur: Cursor, table: str, snapshot_id: int, offset: int) -> int | None:
    """The rowid of the row at `offset` among the id's rows of `table`, in rowid order."""
    row = cur.execute(
        f"SELECT rowid FROM {table} WHERE snapshot_id = ? ORDER BY rowid LIMIT 1 OFFSET ?",
        [snapshot_id, offset],
    ).fetchone()
    return int(row[0]) if row else None
