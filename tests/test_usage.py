"""Tests of the usage ledger: nothing lost under concurrent writers, metrics by hand."""

import multiprocessing as mp
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from course_lib.usage import SCHEMA_VERSION, CallRecord, Ledger, LedgerSchemaError


def _write_rows(path, writer, n):
    ledger = Ledger(path)
    for i in range(n):
        ledger.record(CallRecord(model="gpt-4o-mini", input_tokens=100 + i, output_tokens=10,
                                 cost=Decimal("0.000021"), user=f"u{writer}",
                                 request_id=f"w{writer}-{i}", ts=1_700_000_000 + i))


def test_does_the_ledger_keep_every_row_of_4_concurrent_writers(tmp_path):
    path = tmp_path / "ledger.sqlite"
    Ledger(path)  # create the schema before the race, as connect() does
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_write_rows, args=(path, w, 1000)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    ledger = Ledger(path)
    ids = [r.request_id for r in ledger.records()]
    assert len(ids) == 4000 and len(set(ids)) == 4000
    assert ledger.total_cost() == Decimal("0.000021") * 4000
    assert ledger.cost_per_user() == {f"u{w}": Decimal("0.021000") for w in range(4)}


def test_is_recording_the_same_call_twice_kept_once():
    ledger = Ledger()
    rec = CallRecord(model="gpt-4o", input_tokens=10, output_tokens=5, cost="0.0001", request_id="req_1")
    ledger.record(rec)
    ledger.record(rec)
    assert len(ledger) == 1


def test_does_a_failed_batch_write_nothing():
    ledger = Ledger()
    good = CallRecord(model="gpt-4o", input_tokens=10, output_tokens=5, cost="0.0001")
    with pytest.raises(TypeError):
        ledger.record_many([good, {"model": "not a record"}])
    assert len(ledger) == 0


def test_do_records_round_trip_exactly():
    ledger = Ledger()
    rec = CallRecord(model="o3", input_tokens=2048, cached_tokens=1024, output_tokens=900, reasoning_tokens=700,
                     cost=Decimal("0.0100640"), user="ana", team="soporte", feature="chat", project="tienda",
                     api_key_id="key_abc", response_cache_hit=False, latency_ms=812.5, batch=True, task_id="T0001",
                     session="s1", call_id="call_1", attempt=2, endpoint="chat.completions", status="ok")
    ledger.record(rec)
    assert ledger.records() == [rec]


@pytest.fixture
def small_ledger():
    """Four calls: two provider attempts of one cascaded call, one plain call, one cache hit."""
    ledger = Ledger()
    rows = [("gpt-4o-mini", "ana", 1000, 0, 200, "0.00027", False, 0, "c1", 1),
            ("gpt-4o", "ana", 1000, 0, 200, "0.0045", False, 1, "c1", 2),
            ("gpt-4o-mini", "luis", 2000, 1024, 100, "0.0002748", False, 120, "c2", 1),
            ("gpt-4o-mini", "marta", 0, 0, 0, "0", True, 3600, "c3", 0)]
    for model, user, inp, cached, out, cost, hit, ts, call, attempt in rows:
        ledger.record(CallRecord(model=model, user=user, input_tokens=inp, cached_tokens=cached,
                                 output_tokens=out, cost=Decimal(cost), response_cache_hit=hit, ts=ts,
                                 call_id=call, attempt=attempt))
    return ledger


def test_are_the_seed_metrics_the_hand_computed_ones(small_ledger):
    total = Decimal("0.0045") + Decimal("0.00027") + Decimal("0.0002748")
    assert small_ledger.total_cost() == total
    assert small_ledger.cost_per_query() == total / 3          # three application calls
    assert small_ledger.cost_per_token() == total / (1200 + 1200 + 2100)
    assert small_ledger.cache_hit_rate() == pytest.approx(1 / 3)
    assert small_ledger.cached_token_share() == 1024 / 4000
    assert small_ledger.model_utilization() == {"gpt-4o-mini": 2 / 3, "gpt-4o": 1 / 3}
    assert list(small_ledger.cost_per_user()) == ["ana", "luis", "marta"]
    assert small_ledger.cost_per_user()["ana"] == Decimal("0.00477")


def test_can_metrics_be_restricted_to_a_time_window_and_a_user(small_ledger):
    assert len(small_ledger.records(start=60, end=3601)) == 2
    assert small_ledger.total_cost(user="ana") == Decimal("0.00477")
    with pytest.raises(ValueError, match="No se puede filtrar"):
        small_ledger.records(colour="red")


def test_does_the_dataframe_hold_every_call(small_ledger):
    frame = small_ledger.to_dataframe()
    assert len(frame) == 4 and frame["response_cache_hit"].sum() == 1
    assert str(frame["time"].dt.tz) == "UTC"
    assert frame.groupby("user")["cost"].sum()["ana"] == pytest.approx(0.00477)
    assert isinstance(frame, pd.DataFrame)


def test_is_an_empty_ledger_safe_to_summarise():
    ledger = Ledger()
    assert (ledger.total_cost(), ledger.cost_per_query(), ledger.cache_hit_rate()) == (0, 0, 0.0)
    assert ledger.to_dataframe().empty


# -- schema versions -------------------------------------------------------------------------

LEGACY = Path(__file__).parent / "files" / "ledger_v0.sqlite"


def test_does_a_ledger_written_by_the_first_schema_upgrade_without_losing_a_row(tmp_path):
    """tests/files/ledger_v0.sqlite was written by the first ledger (no version, ``cache_hit``)."""
    path = tmp_path / "old.sqlite"
    shutil.copy(LEGACY, path)
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT request_id, model, input_tokens, cached_tokens, output_tokens, "
                              "cost, user, team, ts FROM calls ORDER BY request_id").fetchall()
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    ledger = Ledger(path)
    assert ledger.schema_version == SCHEMA_VERSION
    recs = sorted(ledger.records(), key=lambda r: r.request_id)
    assert [(r.request_id, r.model, r.input_tokens, r.cached_tokens, r.output_tokens, str(r.cost),
             r.user, r.team, r.ts) for r in recs] == before
    # the old cache_hit meant the provider's prompt cache: no row was a response-cache hit
    assert not any(r.response_cache_hit for r in recs)
    assert sum(r.cached_tokens > 0 for r in recs) == 3
    assert all(r.call_id == r.request_id and r.status == "ok" for r in recs)
    ledger.record(CallRecord(model="gpt-4o", input_tokens=1, output_tokens=1, cost="0.1"))
    ledger.close()
    assert len(Ledger(path)) == len(before) + 1          # reopening does not migrate again


def test_does_a_ledger_from_a_newer_course_lib_refuse_to_open(tmp_path):
    path = tmp_path / "future.sqlite"
    Ledger(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(LedgerSchemaError, match="más nueva"):
        Ledger(path)


def test_does_a_corrupted_ledger_file_get_a_clear_error(tmp_path):
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"esto no es una base de datos SQLite" * 100)
    with pytest.raises(ValueError, match="no es un registro de uso válido"):
        Ledger(path)
