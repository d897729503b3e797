"""Cost metrics over ledger records: plain functions of a list of ``CallRecord``.

* ``total_cost``, ``cost_per_token``, ``cost_per_query`` (per application call:
  a cascade's two attempts are one query), ``cost_by`` (user, team, feature…);
* ``cache_hit_rate`` — calls answered by the application's response cache;
* ``cached_token_share`` — input tokens served by the provider's prompt cache;
* ``model_utilization`` — share of provider attempts per model.

They read records only; budgets, alerts and forecasts build on them elsewhere.

>>> recs = [CallRecord(model="m", input_tokens=100, output_tokens=10, cost="0.3", call_id="a"),
...         CallRecord(model="n", input_tokens=100, output_tokens=10, cost="0.7", call_id="a",
...                    attempt=2),
...         CallRecord(model="m", input_tokens=0, output_tokens=0, cost=0, call_id="b",
...                    response_cache_hit=True)]
>>> cost_per_query(recs), cache_hit_rate(recs), model_utilization(recs)
(Decimal('0.5'), 0.5, {'m': 0.5, 'n': 0.5})
"""

from __future__ import annotations

from decimal import Decimal

from .records import CallRecord


def _calls(recs: list[CallRecord]) -> set[str]:
    return {r.call_id or r.request_id for r in recs}


def total_cost(recs: list[CallRecord]) -> Decimal:
    """Exact total cost in USD."""
    return sum((r.cost for r in recs), Decimal(0))


def cost_per_token(recs: list[CallRecord]) -> Decimal:
    """USD per token (input + output)."""
    tokens = sum(r.input_tokens + r.output_tokens for r in recs)
    return total_cost(recs) / tokens if tokens else Decimal(0)


def cost_per_query(recs: list[CallRecord]) -> Decimal:
    """Average USD per application call."""
    calls = _calls(recs)
    return total_cost(recs) / len(calls) if calls else Decimal(0)


def cache_hit_rate(recs: list[CallRecord]) -> float:
    """Share of application calls answered by a response cache (no provider attempt)."""
    calls = _calls(recs)
    hits = {r.call_id or r.request_id for r in recs if r.response_cache_hit}
    return len(hits) / len(calls) if calls else 0.0


def cached_token_share(recs: list[CallRecord]) -> float:
    """Share of input tokens the provider served from its prompt cache."""
    total = sum(r.input_tokens for r in recs)
    return sum(r.cached_tokens for r in recs) / total if total else 0.0


def model_utilization(recs: list[CallRecord]) -> dict[str, float]:
    """Share of provider attempts per model, largest first (cache hits are not attempts)."""
    attempts = [r for r in recs if not r.response_cache_hit]
    counts: dict[str, int] = {}
    for r in attempts:
        counts[r.model] = counts.get(r.model, 0) + 1
    return {m: n / len(attempts) for m, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def cost_by(recs: list[CallRecord], column: str) -> dict[str, Decimal]:
    """Total USD per value of ``column`` (``user``, ``team``, ``feature``, ``model``…), largest first."""
    totals: dict[str, Decimal] = {}
    for r in recs:
        key = getattr(r, column)
        totals[key] = totals.get(key, Decimal(0)) + r.cost
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
