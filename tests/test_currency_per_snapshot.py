"""Each snapshot records the currency its amounts are in: from the mapping, or what the
upload's cells and headers say, or as declared; amounts in two currencies are refused. The
app shows each snapshot in its own currency, editors set the display currency for
snapshots that record none, and a view that compares snapshots in two currencies says so."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from connectors.ingest import ingest, validate
from connectors.sheets import load_files
from connectors.sheets.mapping import Mapping, Rule
from store import close_all, open_store
from store.migrations import migrate
from tests.sheets import AS_OF, BENEFIT, MEASUREMENT, PROJECT, csv_file, rows, snapshot_files
from tests.support.data_page import open_tab, upload
from tests.support.markdown import shown
from ui.shell.currency_note import currency_note

JUNE = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("budget", "header", "currency"),
    [
        ("£1,200,000", "budget", "GBP"),
        ("1 200 000 EUR", "budget", "EUR"),
        ("US$5,000", "budget", "USD"),
        ("1200000", "Budget (GBP)", "GBP"),
        ("1200000", "budget", None),
    ],
)
def test_a_template_upload_s_currency_is_what_its_amounts_say(budget, header, currency):
    project = {k: v for k, v in PROJECT.items() if k != "budget"} | {header: budget}
    result = load_files(snapshot_files(projects=[project]), AS_OF)
    assert result.ok
    assert result.currency == currency


def test_a_mapping_s_currency_is_the_snapshot_s():
    source = csv_file("p.csv", [{"n": "A", "end": "2026-12-31", "cost": "1.5"}])
    mapping = Mapping(
        "projects",
        {
            "project_id": Rule(column="n", derive="slug"),
            "name": Rule(column="n"),
            "baseline_end": Rule(column="end"),
            "budget": Rule(column="cost", unit="millions", currency="GBP"),
        },
    )
    result = load_files([source], AS_OF, mapping=mapping)
    assert result.ok and result.currency == "GBP"
    assert result.currency_evidence == {"GBP": ["budget of p.csv (the mapping)"]}


def test_amounts_in_two_currencies_are_refused():
    files = snapshot_files(
        projects=rows(PROJECT, {"budget": "£1,000,000"}),
        benefits=rows(BENEFIT, {"planned_value": "$500,000"}),
    )
    result = load_files(files, AS_OF)
    assert not result.ok
    [error] = [p for p in result.errors if "more than one currency" in p.problem]
    assert "GBP: budget of projects.csv (its cells)" in error.problem
    assert "USD: planned_value of benefits.csv (its cells)" in error.problem
    assert "does not convert" in error.fix


def test_a_declared_currency_must_match_the_amounts():
    files = snapshot_files(projects=rows(PROJECT, {"budget": "£1,000,000"}))
    refused = load_files(files, AS_OF, currency="USD")
    assert not refused.ok
    assert any("the amounts are in GBP" in p.problem for p in refused.errors)
    assert load_files(snapshot_files(), AS_OF, currency="chf").currency == "CHF"


def test_the_store_records_the_currency_and_the_same_amounts_in_another_are_new_content(store):
    first = ingest(store, snapshot_files(), AS_OF, currency="GBP").commit
    assert first is not None and not first.noop
    assert store.snapshot_currency(AS_OF) == "GBP" and store.shown_currency(AS_OF) == "GBP"
    again = ingest(store, snapshot_files(), AS_OF, currency="EUR").commit
    assert again is not None and not again.noop and again.superseded == first.snapshot_id
    assert store.snapshots().filter(state="active")["currency"].to_list() == ["EUR"]
    # nothing said: not recorded, shown in the display currency
    ingest(store, snapshot_files(), JUNE)
    assert store.snapshot_currency(JUNE) is None
    assert store.shown_currency(JUNE) == "USD"
    assert store.save_display_currency("CHF", actor="ana")
    assert not store.save_display_currency("CHF", actor="ana")
    assert store.shown_currency(JUNE) == "CHF" and store.shown_currency(AS_OF) == "EUR"
    log = store.audit_log().row(0, named=True)
    assert (log["action"], log["target"], log["actor"]) == ("preference", "display_currency", "ana")


def test_a_store_made_before_currencies_keeps_its_snapshots(db_path):
    con = duckdb.connect(str(db_path))
    migrate(con, target=3)
    con.close()
    old = open_store(str(db_path))
    assert old.snapshots()["currency"].to_list() == []
    close_all()
    con = duckdb.connect(str(db_path))
    migrate(con, target=3)
    con.execute(
        "INSERT INTO snapshots VALUES (1, DATE '2026-06-30', 'portfolio', 'active', 'x', 'h', "
        "TIMESTAMP '2026-07-01 09:00:00', 'ana', 0, 0, 0, NULL, NULL)"
    )
    con.close()
    assert open_store(str(db_path)).snapshot_currency(JUNE) is None


def test_a_note_says_when_compared_snapshots_are_in_two_currencies():
    currencies = {JUNE: "USD", AS_OF: "GBP"}
    assert currency_note(currencies, JUNE, "USD") == (
        "Amounts in $ (USD). Other snapshots are in £ (GBP): trends across them mix "
        "currencies, which the cockpit does not convert."
    )
    assert "The snapshot before, 30 Jun 2026, is in $ (USD): changes since then compare" in (
        currency_note(currencies, AS_OF, "GBP")
    )
    assert currency_note({AS_OF: "GBP"}, AS_OF, "GBP") == "Amounts in £ (GBP)."


def test_the_pages_show_each_snapshot_in_its_own_currency(app_on, db_path, monkeypatch):
    monkeypatch.delenv("COCKPIT_CURRENCY", raising=False)
    store = open_store(str(db_path))
    may = rows(MEASUREMENT, {"measured_at": "2026-05-31"})
    assert ingest(store, snapshot_files(measurements=may), JUNE, currency="USD").commit
    pounds = rows(PROJECT, {"budget": "£2,000,000"})
    assert ingest(store, snapshot_files(projects=pounds, measurements=may), AS_OF).commit
    close_all()
    at = app_on(db_path, "outcomes")
    sidebar = " ".join(shown(c.value) for c in at.sidebar.caption)
    assert "Amounts in £ (GBP)" in sidebar
    assert "The snapshot before, 30 Jun 2026, is in $ (USD)" in sidebar
    risk = next(m for m in at.metric if m.label == "Value at risk")
    assert risk.value.startswith("£")
    at = app_on(db_path, "outcomes", as_of="30 Jun 2026 · 2026-Q2")
    assert next(m for m in at.metric if m.label == "Value at risk").value.startswith("$")


def test_editors_set_the_display_currency_in_settings(data_page, db_path):
    store = open_store(str(db_path))
    ingest(store, snapshot_files(), AS_OF)  # nothing says: not recorded
    close_all()
    at = open_tab(data_page(db_path, user="ana@example.com"), "Settings")
    assert any("Now $ (USD)" in c.value for c in at.caption)
    at.selectbox(key="display_currency").set_value("GBP").run()
    next(b for b in at.button if b.label == "Save currency").click().run()
    assert not at.exception
    assert any("now in £ (GBP)" in s.value for s in at.success)
    assert any("Amounts in £ \\(GBP\\)" in c.value for c in at.sidebar.caption)
    close_all()
    assert open_store(str(db_path)).shown_currency(AS_OF) == "GBP"


def test_the_upload_says_and_records_the_currency(data_page, db_path):
    files = snapshot_files(projects=rows(PROJECT, {"budget": "£1,200,000"}))
    at = upload(data_page(db_path), files)
    assert any(
        "Amounts in £ (GBP), as the upload says (budget of projects.csv (its cells))" in c.value
        for c in at.caption
    )
    at.selectbox(key="upload_currency").set_value("USD").run()
    assert any("the amounts are in GBP" in e.value or "must be fixed" in e.value for e in at.error)
    at.selectbox(key="upload_currency").set_value("As the file says").run()
    next(b for b in at.button if b.label == "Commit snapshot").click().run()
    close_all()
    assert open_store(str(db_path)).snapshot_currency(AS_OF) == "GBP"
    validate_store = open_store(str(db_path))
    assert validate(validate_store, files, AS_OF).currency == "GBP"
