"""The budget guard end to end: through connect(isolated=True), threads and processes."""

import multiprocessing as mp
import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest

from course_lib import Call, Clock, Pipeline, connect
from course_lib.budgets import Budget, BudgetExceeded, BudgetGuard, BudgetStore
from course_lib.pricing import ModelPrice, PriceBook

T0 = 1_773_014_400.0            # Monday 9 March 2026 00:00 UTC
ASK = [{"role": "user", "content": "¿Cuánto cuesta el envío a Canarias?"}]


@pytest.fixture(scope="module")
def client():
    c = connect(isolated=True, clock=Clock(start=T0, frozen=True), max_retries=0)
    yield c
    c.simulator.stop()


def _guarded(client, budgets, **kw):
    guard = BudgetGuard(budgets, prices=client.prices, clock=client.simulator.clock, **kw)
    name = f"guard{id(guard)}"
    client.pipeline.use(guard, slot="guard", name=name)
    return guard, name


def test_does_the_guard_settle_on_the_same_cost_the_ledger_records(client):
    before = client.ledger.total_cost()
    guard, name = _guarded(client, [Budget(name="org", limit="5")])
    try:
        for _ in range(3):
            client.chat.completions.create(model="gpt-4o", messages=ASK, max_tokens=60,
                                           metadata={"team": "logistica"})
    finally:
        client.pipeline.remove(name)
    assert guard.spent("org") == client.ledger.total_cost() - before > 0
    assert guard.store.reserved(guard.budgets[0], now=T0) == 0


def test_does_a_call_over_the_cap_get_a_spanish_refusal_without_reaching_the_provider(client):
    guard, name = _guarded(client, [Budget(name="mini", limit="0.0001")])
    rows = len(client.simulator.ledger.records())
    try:
        with pytest.raises(BudgetExceeded, match="Presupuesto «mini».*agotado"):
            client.chat.completions.create(model="gpt-4o", messages=ASK, max_tokens=500)
    finally:
        client.pipeline.remove(name)
    assert len(client.simulator.ledger.records()) == rows


def test_does_a_degrading_budget_switch_to_the_cheap_model_at_the_cap(client):
    b = Budget(name="deg", limit="0.002", on_cap="degrade", degrade_to="gpt-4o-mini")
    guard, name = _guarded(client, [b])
    try:
        models = [client.chat.completions.create(model="gpt-4o", messages=ASK, max_tokens=100).model
                  for _ in range(4)]
    finally:
        client.pipeline.remove(name)
    assert models[0].startswith("gpt-4o") and "mini" not in models[0]
    assert any("mini" in m for m in models)
    assert guard.spent(b) <= b.limit


def test_is_a_free_model_never_blocked_by_a_money_cap():
    prices = PriceBook.default().with_price(ModelPrice("edge-local", input=0, output=0))
    pipe = Pipeline(transport=lambda call: _fake(call, 50, 20))
    guard = BudgetGuard([Budget(name="zero", limit="0")], prices=prices, clock=lambda: T0)
    pipe.use(guard, slot="guard")
    assert pipe.handle(Call("chat.completions", {"model": "edge-local", "messages": ASK})).model == "edge-local"
    with pytest.raises(BudgetExceeded):
        pipe.handle(Call("chat.completions", {"model": "gpt-4o-mini", "messages": ASK}))


def test_does_the_guard_fail_closed_when_the_store_is_unreachable(tmp_path):
    store = BudgetStore(tmp_path / "b.sqlite")
    store.close()
    (tmp_path / "b.sqlite").unlink()
    (tmp_path / "b.sqlite").mkdir()                        # the path is now a folder: unusable
    guard = BudgetGuard([Budget(name="org", limit="10")], prices=PriceBook.default(), store=store,
                        clock=lambda: T0)
    pipe = Pipeline(transport=lambda call: _fake(call, 10, 10))
    pipe.use(guard, slot="guard")
    with pytest.raises(BudgetExceeded, match="fail_open"):
        pipe.handle(Call("chat.completions", {"model": "gpt-4o-mini", "messages": ASK}))


def test_is_a_failed_attempt_released():
    def boom(call):
        raise ConnectionError("se cayó")
    guard = BudgetGuard([Budget(name="org", limit="10")], prices=PriceBook.default(), clock=lambda: T0)
    pipe = Pipeline(transport=boom)
    pipe.use(guard, slot="guard")
    with pytest.raises(ConnectionError):
        pipe.handle(Call("chat.completions", {"model": "gpt-4o", "messages": ASK}))
    assert guard.store.reserved(guard.budgets[0], now=T0) == 0 == guard.spent("org")


def test_does_the_guard_cap_the_output_when_the_caller_set_no_max_tokens():
    seen = {}
    pipe = Pipeline(transport=lambda call: seen.update(call.params) or _fake(call, 10, 10))
    pipe.use(BudgetGuard([Budget(name="org", limit="10")], prices=PriceBook.default(), clock=lambda: T0,
                         default_max_output=256), slot="guard")
    pipe.handle(Call("chat.completions", {"model": "gpt-4o", "messages": ASK}))
    assert seen["max_completion_tokens"] == 256


# -- concurrency --------------------------------------------------------------------------

def _fake(call, tokens_in, tokens_out):
    return SimpleNamespace(model=call.model, usage={"prompt_tokens": tokens_in, "completion_tokens": tokens_out})


def _hammer(path, n, results=None):
    """n calls of up to 300 output tokens (really 200) against the shared store."""
    guard = BudgetGuard([Budget(name="org", limit="0.02")], prices=PriceBook.default(),
                        store=BudgetStore(path), clock=lambda: T0)
    pipe = Pipeline(transport=lambda call: _fake(call, _ask_tokens(), 200))
    pipe.use(guard, slot="guard")
    admitted = 0
    for _ in range(n):
        try:
            pipe.handle(Call("chat.completions", {"model": "gpt-4o", "messages": ASK, "max_tokens": 300}))
            admitted += 1
        except BudgetExceeded:
            pass
    if results is not None:
        results.append(admitted)
    return admitted


def _ask_tokens():
    from course_lib.tokens import count_chat_tokens
    return count_chat_tokens(ASK, "gpt-4o")


def _cost_of_one():
    from course_lib.pricing import Usage
    return PriceBook.default().cost("gpt-4o", Usage(_ask_tokens(), 200))


def test_does_the_cap_hold_under_8_threads(tmp_path):
    results = []
    threads = [threading.Thread(target=_hammer, args=(tmp_path / "s.sqlite", 10, results)) for _ in range(8)]
    BudgetStore(tmp_path / "s.sqlite")
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    spent = BudgetStore(tmp_path / "s.sqlite").spent(Budget(name="org", limit="0.02"), now=T0)
    assert spent == _cost_of_one() * sum(results)
    assert spent <= Decimal("0.02") and sum(results) >= 1


def test_does_the_cap_hold_under_4_processes(tmp_path):
    path = tmp_path / "p.sqlite"
    BudgetStore(path).close()          # no connection of the parent may cross the fork (SQLite's locks)
    ctx = mp.get_context("fork")
    with ctx.Pool(4) as pool:
        admitted = sum(pool.starmap(_hammer, [(path, 10)] * 4))
    spent = BudgetStore(path).spent(Budget(name="org", limit="0.02"), now=T0)
    assert spent == _cost_of_one() * admitted <= Decimal("0.02")


# -- streams --------------------------------------------------------------------------------

def _stream_spend(client, budget, *, read=None, **kw):
    """Stream one answer through a fresh guard; read ``read`` chunks (all when None)."""
    import gc
    guard, name = _guarded(client, [budget], **kw)
    before = client.ledger.total_cost()
    try:
        stream = client.chat.completions.create(model="gpt-4o", messages=ASK, max_tokens=400, stream=True)
        assert guard.store.reserved(budget, now=T0) == guard.worst_case(
            {"model": "gpt-4o", "messages": ASK, "max_tokens": 400}) > 0
        chunks = []
        for chunk in stream:
            chunks.append(chunk)
            if read is not None and len(chunks) >= read:
                break
        del stream, chunk
        gc.collect()
    finally:
        client.pipeline.remove(name)
    return guard, client.ledger.total_cost() - before, chunks


def test_is_a_finished_stream_settled_on_its_real_usage(client):
    b = Budget(name="stream-ok", limit="5")
    guard, ledger_cost, chunks = _stream_spend(client, b)
    worst = guard.worst_case({"model": "gpt-4o", "messages": ASK, "max_tokens": 400})
    assert guard.spent(b) == ledger_cost and 0 < ledger_cost < worst
    assert guard.store.reserved(b, now=T0) == 0
    assert all(c.usage is None for c in chunks)              # the caller did not ask for the usage chunk


def test_is_an_abandoned_stream_settled_at_what_was_delivered(client):
    b = Budget(name="stream-drop", limit="5")
    guard, ledger_cost, chunks = _stream_spend(client, b, read=2)
    worst = guard.worst_case({"model": "gpt-4o", "messages": ASK, "max_tokens": 400})
    assert len(chunks) == 2 and guard.store.reserved(b, now=T0) == 0
    assert guard.spent(b) == ledger_cost and 0 < guard.spent(b) < worst


def test_can_an_abandoned_stream_be_settled_at_its_reservation(client):
    b = Budget(name="stream-safe", limit="5")
    guard, _, _ = _stream_spend(client, b, read=2, abandoned="reservation")
    assert guard.spent(b) == guard.worst_case({"model": "gpt-4o", "messages": ASK, "max_tokens": 400})
