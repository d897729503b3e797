"""Tests of the usage ledger: nothing lost under concurrent writers, metrics by hand."""

import multiprocessing as mp
from decimal import Decimal

import pandas as pd
import pytest

from course_lib.usage import CallRecord, Ledger


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
                     api_key_id="key_abc", cache_hit=False, latency_ms=812.5, batch=True, task_id="T0001")
    ledger.record(rec)
    assert ledger.records() == [rec]


@pytest.fixture
def small_ledger():
    ledger = Ledger()
    rows = [("gpt-4o", "ana", 1000, 0, 200, "0.0045", False, 0),
            ("gpt-4o-mini", "ana", 1000, 0, 200, "0.00027", True, 60),
            ("gpt-4o-mini", "luis", 2000, 1024, 100, "0.0002748", False, 120),
            ("gpt-4o-mini", "marta", 500, 0, 50, "0.000105", True, 3600)]
    for model, user, inp, cached, out, cost, hit, ts in rows:
        ledger.record(CallRecord(model=model, user=user, input_tokens=inp, cached_tokens=cached,
                                 output_tokens=out, cost=Decimal(cost), cache_hit=hit, ts=ts))
    return ledger


def test_are_the_seed_metrics_the_hand_computed_ones(small_ledger):
    total = Decimal("0.0045") + Decimal("0.00027") + Decimal("0.0002748") + Decimal("0.000105")
    assert small_ledger.total_cost() == total
    assert small_ledger.cost_per_query() == total / 4
    assert small_ledger.cost_per_token() == total / (1200 + 1200 + 2100 + 550)
    assert small_ledger.cache_hit_rate() == 0.5
    assert small_ledger.cached_token_share() == 1024 / 4500
    assert small_ledger.model_utilization() == {"gpt-4o-mini": 0.75, "gpt-4o": 0.25}
    assert list(small_ledger.cost_per_user()) == ["ana", "luis", "marta"]
    assert small_ledger.cost_per_user()["ana"] == Decimal("0.00477")


def test_can_metrics_be_restricted_to_a_time_window_and_a_user(small_ledger):
    assert len(small_ledger.records(start=60, end=3600)) == 2
    assert small_ledger.total_cost(user="ana") == Decimal("0.00477")
    with pytest.raises(ValueError, match="No se puede filtrar"):
        small_ledger.records(colour="red")


def test_does_the_dataframe_hold_every_call(small_ledger):
    frame = small_ledger.to_dataframe()
    assert len(frame) == 4
    assert str(frame["time"].dt.tz) == "UTC"
    assert frame.groupby("user")["cost"].sum()["ana"] == pytest.approx(0.00477)
    assert isinstance(frame, pd.DataFrame)


def test_is_an_empty_ledger_safe_to_summarise():
    ledger = Ledger()
    assert (ledger.total_cost(), ledger.cost_per_query(), ledger.cache_hit_rate()) == (0, 0, 0.0)
    assert ledger.to_dataframe().empty
