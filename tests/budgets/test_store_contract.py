"""One contract, two budget stores: every test runs on SQLite and on a real Redis server."""

import multiprocessing as mp
import threading
from decimal import Decimal

import pytest

from course_lib.budgets import Budget, BudgetGuard, BudgetStore, RedisBudgetStore, StoreUnavailable
from course_lib.budgets.alerts import Alert
from course_lib.budgets.periods import period_bounds
from course_lib.client.pipeline import Call, Pipeline
from course_lib.pricing import PriceBook

T0 = 1_773_014_400.0            # Monday 9 March 2026 00:00 UTC = 01:00 in Madrid
DAY = Budget(name="ecom-dia", scope="team", value="ecommerce", limit="10", period="day", tz="Europe/Madrid")
ORG = Budget(name="org", limit="100", period="month")


def _spend(store, budget, amount, now, rid=""):
    adm = store.reserve([budget], Decimal(amount), now=now)
    assert adm.admitted
    return store.settle(adm.id, Decimal(amount), [budget], now=now, request_id=rid)


def test_is_a_reservation_all_or_nothing_across_budgets(store):
    assert store.reserve([DAY, ORG], Decimal("9"), now=T0).admitted
    refused = store.reserve([ORG, DAY], Decimal("2"), now=T0)
    assert not refused.admitted and refused.blocked == DAY and refused.reserved == Decimal("9")
    assert store.reserved(ORG, now=T0) == Decimal("9")          # ORG was not touched by the refusal


def test_does_settle_replace_the_reservation_by_the_real_cost(store):
    adm = store.reserve([DAY, ORG], Decimal("0.00102"), now=T0)
    store.settle(adm.id, Decimal("0.0004375"), [DAY, ORG], now=T0 + 1)
    assert store.spent(DAY, now=T0) == store.spent(ORG, now=T0) == Decimal("0.0004375")
    assert store.reserved(DAY, now=T0) == 0 == store.reserved(ORG, now=T0)


def test_does_release_give_the_reservation_back(store):
    adm = store.reserve([DAY], Decimal("6"), now=T0)
    store.release(adm.id)
    assert store.reserved(DAY, now=T0) == 0 == store.spent(DAY, now=T0)
    assert store.reserve([DAY], Decimal("10"), now=T0).admitted


def test_does_a_reservation_left_by_a_crashed_process_expire(store):
    store.reservation_ttl = 60.0
    assert store.reserve([DAY], Decimal("9"), now=T0).admitted    # never settled
    assert not store.reserve([DAY], Decimal("9"), now=T0 + 30).admitted
    assert store.reserve([DAY], Decimal("9"), now=T0 + 61).admitted


def test_does_a_soft_budget_record_over_its_limit(store):
    soft = Budget(name="aviso", limit="2", period="day", hard=False)
    fired = [a.threshold for i in range(4) for a in _spend(store, soft, "1", T0 + i)]
    assert fired == [Decimal("0.5"), Decimal("0.8"), Decimal("1")]
    assert store.spent(soft, now=T0 + 5) == Decimal("4")


def test_does_each_threshold_fire_exactly_once_at_the_request_that_crosses_it(store):
    fired = {}
    for i in range(10):
        for alert in _spend(store, DAY, "1", T0 + i, rid=f"r{i}"):
            assert alert.threshold not in fired
            fired[alert.threshold] = alert.request_id
    assert fired == {Decimal("0.5"): "r4", Decimal("0.8"): "r7", Decimal("1"): "r9"}
    assert not store.reserve([DAY], Decimal("0.01"), now=T0 + 11).admitted


def test_does_charge_record_and_alert_like_settle(store):
    out = [a.threshold for i in range(6) for a in store.charge([DAY, ORG], Decimal("1"), now=T0 + i)]
    assert out == [Decimal("0.5")]
    assert store.spent(DAY, now=T0) == 6 and store.spent(ORG, now=T0) == 6


def test_do_alerts_re_arm_at_local_midnight_not_at_utc_midnight(store):
    _, end = period_bounds(T0, "day", "Europe/Madrid")
    assert end == T0 + 23 * 3600
    assert _spend(store, DAY, "6", end - 60)
    assert _spend(store, DAY, "1", end - 30) == []
    again = _spend(store, DAY, "6", end + 1)
    assert [a.threshold for a in again] == [Decimal("0.5")] and again[0].period == "2026-03-10"
    assert store.spent(DAY, now=end + 2) == 6


def test_does_a_restarted_store_not_fire_the_same_alert_again(store_factory):
    assert _spend(store_factory(), DAY, "5", T0)
    restarted = store_factory()
    assert _spend(restarted, DAY, "1", T0 + 1) == []
    assert restarted.spent(DAY, now=T0 + 2) == Decimal("6")
    assert [a.threshold for a in restarted.fired()] == [Decimal("0.5")]


def test_does_the_outbox_keep_an_alert_until_it_is_delivered(store):
    _spend(store, DAY, "9", T0)                                  # 50 % and 80 %
    pending = store.pending()
    assert [a.threshold for _, a, n in pending] == [Decimal("0.5"), Decimal("0.8")] and {n for *_, n in pending} == {0}
    store.mark(pending[0][0], delivered=False, error="503")
    store.mark(pending[1][0], delivered=True)
    assert [(a.threshold, n) for _, a, n in store.pending()] == [(Decimal("0.5"), 1)]
    assert len(store.fired()) == 2


def test_does_fire_once_refuse_a_second_alert_with_the_same_key(store):
    a = Alert(budget="org", kind="forecast", threshold=Decimal(1), period="2026-03", period_start=1.0,
              spent=Decimal(5), limit=Decimal(10), ts=2.0, day="25/03/2026", forecast=Decimal(12))
    assert store.fire_once(a) and not store.fire_once(a)
    assert store.fired() == [a]


# -- concurrency -------------------------------------------------------------------------

def _grab(store, n, results):
    got = 0
    for _ in range(n):
        adm = store.reserve([DAY], Decimal("0.3"), now=T0)
        if adm.admitted:
            store.settle(adm.id, Decimal("0.25"), [DAY], now=T0)
            got += 1
    results.append(got)
    return got


def test_does_the_cap_hold_under_8_threads(store):
    results = []
    pool = [threading.Thread(target=_grab, args=(store, 12, results)) for _ in range(8)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    spent = store.spent(DAY, now=T0)
    assert spent == Decimal("0.25") * sum(results) and spent <= DAY.limit
    assert spent + Decimal("0.3") > DAY.limit                     # it also let the budget be used


def _grab_in_process(store, n):
    return _grab(store, n, [])


def test_does_the_cap_hold_under_3_processes(store):
    if isinstance(store, BudgetStore):
        store.close()
    with mp.get_context("fork").Pool(3) as pool:
        admitted = sum(pool.starmap(_grab_in_process, [(store, 20)] * 3))
    assert store.spent(DAY, now=T0) == Decimal("0.25") * admitted <= DAY.limit
    assert 33 <= admitted <= 39          # 39 × 0,25 + 0,30 > 10; in-flight reservations may refuse a few


# -- an unreachable store ------------------------------------------------------------------

def test_does_the_guard_fail_closed_when_redis_is_down_and_open_when_told():
    from types import SimpleNamespace
    dead = RedisBudgetStore(url="redis://127.0.0.1:1/0", timeout=0.2)
    with pytest.raises(StoreUnavailable, match="Redis no responde"):
        dead.spent(ORG, now=T0)
    ask = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hola"}]}
    for fail_open in (False, True):
        pipe = Pipeline(transport=lambda call: SimpleNamespace(
            model=call.model, usage={"prompt_tokens": 8, "completion_tokens": 4}))
        pipe.use(BudgetGuard([ORG], prices=PriceBook.default(), store=dead, clock=lambda: T0,
                             fail_open=fail_open), slot="guard")
        if fail_open:
            assert pipe.handle(Call("chat.completions", dict(ask))).model == "gpt-4o-mini"
        else:
            with pytest.raises(Exception, match="por seguridad la llamada se rechaza"):
                pipe.handle(Call("chat.completions", dict(ask)))
