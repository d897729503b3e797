"""The client-side rate limiter against the simulator's real limits (on its controllable clock)."""

import pytest

from course_lib import Clock, connect
from course_lib.budgets import Budget, BudgetGuard
from course_lib.budgets.ratelimit import RateLimiter

T0 = 1_773_014_400.0
ASK = [{"role": "user", "content": "¿Cuánto cuesta el envío a Canarias?"}]


@pytest.fixture
def client():
    c = connect(isolated=True, clock=Clock(start=T0, frozen=True), max_retries=0)
    yield c
    c.simulator.stop()


def _install(client, **kw):
    clock = client.simulator.clock
    limiter = RateLimiter(clock=clock, sleep=clock.advance, **kw)
    client.pipeline.use(limiter, slot="guard", name="limiter")
    return limiter


def _run(client, n, **params):
    done = []
    for _ in range(n):
        client.chat.completions.create(model="gpt-4o-mini", messages=ASK, max_tokens=100, **params)
        done.append(client.simulator.clock())
    return done


@pytest.mark.parametrize("told", [True, False], ids=["limites-dados", "aprendidos-de-cabeceras"])
def test_does_the_limiter_reach_90_percent_of_the_allowed_throughput_without_429(client, told):
    client.simulator.state.limiter.set_limits(model="gpt-4o-mini", rpm=30, tpm=100_000)
    limiter = _install(client, **({"rpm": 30, "tpm": 100_000} if told else {}))
    done = _run(client, 90)
    after = [t for t in done if t > done[29]]              # after the first minute's burst (warm-up)
    throughput = (len(after) - 1) / (after[-1] - after[0]) * 60
    assert throughput >= 0.9 * 30 and limiter.throttled == 0
    assert all(r.status == "ok" for r in client.ledger.records())


def test_does_the_tpm_bucket_bind_when_tokens_are_the_limit(client):
    client.simulator.state.limiter.set_limits(model="gpt-4o-mini", rpm=1000, tpm=2_200)
    limiter = _install(client, tpm=2_200, rpm=1000)
    done = _run(client, 60)                                 # ~108 tokens each: ~20 a minute
    after = [t for t in done if t > done[19]]
    rate = (len(after) - 1) / (after[-1] - after[0]) * 60
    assert 0.9 * 2_200 / 108 <= rate <= 1.05 * 2_200 / 100 and limiter.throttled == 0


def test_does_a_429_from_another_client_get_its_retry_after_honoured(client):
    client.simulator.state.limiter.set_limits(model="gpt-4o-mini", rpm=6, tpm=100_000)
    limiter = _install(client, rpm=6, tpm=100_000)
    sim = client.simulator.state.limiter
    for _ in range(6):                                      # someone else spends the key's minute
        assert sim.decide(client.api_key, "gpt-4o-mini", 10, rpm=None, tpm=None).allowed
    t = client.simulator.clock()
    _run(client, 1)
    assert limiter.throttled == 1 and client.simulator.clock() - t >= 10 - 1e-6   # 60/6 s for one request
    assert [r.status for r in client.ledger.records()][-1] == "ok"


def test_does_the_budget_guard_see_a_parsed_answer_with_the_limiter_inside(client):
    guard = BudgetGuard([Budget(name="org", limit="5")], prices=client.prices, clock=client.simulator.clock)
    client.pipeline.use(guard, slot="guard", name="budget")
    _install(client)
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=ASK, max_tokens=50)
    assert answer.choices[0].message.content and guard.spent("org") == client.ledger.total_cost() > 0
