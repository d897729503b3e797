"""Attribution against a hand-computed oracle, and the ledger reconciled with the simulator's
usage and costs API (cached and reasoning tokens priced separately, unknown models flagged)."""

from decimal import Decimal

import pytest

from course_lib import CallRecord, Clock, connect
from course_lib.budgets.attribution import cost_table, key_metrics, top
from course_lib.budgets.reconcile import fetch_costs, fetch_usage, ledger_line_items, reconcile
from course_lib.pricing import PriceBook

T0 = 1_773_014_400.0
LONG = "Política de envíos de Mercadela. " * 200          # > 1024 tokens: the prompt cache kicks in


def test_do_the_key_metrics_match_a_hand_computed_bill():
    recs = [CallRecord(model="gpt-4o", input_tokens=1, output_tokens=1, cost="0.30", user="ana", team="t1",
                       session="s1", call_id="c1", ts=T0),
            CallRecord(model="gpt-4o-mini", input_tokens=1, output_tokens=1, cost="0.10", user="ana", team="t1",
                       session="s1", call_id="c1", attempt=2, ts=T0 + 1),
            CallRecord(model="gpt-4o-mini", input_tokens=1, output_tokens=1, cost="0.20", user="luis", team="t2",
                       session="s2", call_id="c2", ts=T0 + 86_400),
            CallRecord(model="gpt-4o-mini", input_tokens=0, output_tokens=0, cost="0", user="luis", team="t2",
                       session="s2", call_id="c3", response_cache_hit=True, ts=T0 + 86_401)]
    m = key_metrics(recs)
    assert m["total_cost"] == Decimal("0.60") and m["queries"] == 3
    assert m["cost_per_query"] == Decimal("0.20")
    assert m["cost_per_user"] == {"ana": Decimal("0.40"), "luis": Decimal("0.20")}
    assert m["cost_per_session"] == {"s1": Decimal("0.40"), "s2": Decimal("0.20")}
    assert m["cache_hit_rate"] == pytest.approx(1 / 3)
    assert m["model_utilization"] == {"gpt-4o-mini": pytest.approx(2 / 3), "gpt-4o": pytest.approx(1 / 3)}
    daily = cost_table(recs, by="team", freq="D")
    assert daily.columns.tolist() == ["t1", "t2"] and daily.to_numpy().round(2).tolist() == [[0.4, 0], [0, 0.2]]
    assert top(recs, "user", 1) == [("ana", Decimal("0.40"))]


def test_are_days_cut_in_the_time_zone_asked_for():
    rec = CallRecord(model="m", input_tokens=1, output_tokens=1, cost="1", team="t", ts=T0 - 1800)  # 23:30 UTC
    assert str(cost_table([rec], freq="D", tz="UTC").index[0].date()) == "2026-03-08"
    assert str(cost_table([rec], freq="D", tz="Europe/Madrid").index[0].date()) == "2026-03-09"


def test_is_an_unknown_model_flagged_and_not_priced_at_zero():
    rec = CallRecord(model="modelo-raro", input_tokens=100, output_tokens=10, cost=0, priced=False)
    items, unpriced = ledger_line_items([rec], PriceBook.default())
    assert items == {} and unpriced == ["modelo-raro"]
    assert not reconcile([rec], [], PriceBook.default()).ok
    assert key_metrics([rec])["unpriced"] == ["modelo-raro"]


@pytest.fixture(scope="module")
def billed():
    client = connect(isolated=True, clock=Clock(start=T0, frozen=True), max_retries=0)
    sys_msg = {"role": "system", "content": LONG}
    for i, model in enumerate(["gpt-4o", "gpt-4o", "o4-mini", "gpt-4o-mini"]):
        client.chat.completions.create(model=model, messages=[sys_msg, {"role": "user", "content": f"¿Pedido {i}?"}],
                                       max_completion_tokens=300, user=f"cli-{i % 2}", metadata={"team": "logistica"})
        client.simulator.clock.advance(60)
    yield client
    client.simulator.stop()


def test_does_the_ledger_reconcile_exactly_with_the_costs_api(billed):
    recs = billed.ledger.records()
    assert any(r.cached_tokens for r in recs) and any(r.reasoning_tokens for r in recs)
    rows = fetch_costs(base_url=str(billed.base_url), admin_key=billed.simulator.admin_key,
                       start=int(T0), end=int(T0) + 86_400)
    result = reconcile(recs, rows, billed.prices)
    assert result.ok, result.to_frame()
    assert abs(result.ledger_total - billed.ledger.total_cost()) < Decimal("0.000001")
    assert any("cached input" in r["line_item"] for r in result.rows)


def test_does_the_usage_api_count_the_same_tokens_and_requests(billed):
    rows = fetch_usage(base_url=str(billed.base_url), admin_key=billed.simulator.admin_key,
                       start=int(T0), end=int(T0) + 86_400, group_by=("model",), bucket_width="1h")
    recs = billed.ledger.records()
    assert sum(r["num_model_requests"] for r in rows) == len(recs)
    assert sum(r["input_cached_tokens"] for r in rows) == sum(r.cached_tokens for r in recs)
    assert sum(r["output_tokens"] for r in rows) == sum(r.output_tokens for r in recs)


def test_does_a_ledger_that_drops_reasoning_tokens_fail_to_reconcile(billed):
    recs = billed.ledger.records()
    dropped = [CallRecord(**{**r.__dict__, "output_tokens": r.output_tokens - r.reasoning_tokens,
                             "reasoning_tokens": 0}) for r in recs]
    rows = fetch_costs(base_url=str(billed.base_url), admin_key=billed.simulator.admin_key,
                       start=int(T0), end=int(T0) + 86_400)
    bad = reconcile(dropped, rows, billed.prices)
    assert not bad.ok and all("o4-mini, output" == r["line_item"] for r in bad.mismatches)
