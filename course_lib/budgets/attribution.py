"""Who spends what: cost tables by team, feature, user or model over days or hours, and the
seed's key metrics in one summary.

Everything reads ``CallRecord`` lists (``ledger.records()``) or a ``Ledger``;
money stays ``Decimal`` in :func:`key_metrics` (exact, for oracles) and becomes
``float`` only in the DataFrames meant for plots. The per-record metrics come
from ``course_lib.usage.metrics``; this module only groups them.

>>> from course_lib.usage import CallRecord
>>> recs = [CallRecord(model="gpt-4o", input_tokens=900, output_tokens=100, cost="0.004", team="a",
...                    user="u1", ts=0.0),
...         CallRecord(model="gpt-4o-mini", input_tokens=0, output_tokens=0, cost=0, team="b",
...                    user="u2", response_cache_hit=True, ts=3_600.0)]
>>> m = key_metrics(recs)
>>> m["cost_per_query"], m["cache_hit_rate"], m["cost_per_team"]
(Decimal('0.002'), 0.5, {'a': Decimal('0.004'), 'b': Decimal('0')})
>>> cost_table(recs, by="team", freq="h").loc[:, "a"].tolist()
[0.004, 0.0]

Left out: budgets (``budget``), the provider's view (``reconcile``), plots (``report``).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from course_lib.usage import metrics
from course_lib.usage.records import CallRecord

GROUPS = ("team", "feature", "user", "model", "project", "session", "api_key_id")


def records_of(source) -> list[CallRecord]:
    """``source`` as a list of records: a ``Ledger`` (anything with ``records()``) or an iterable."""
    if hasattr(source, "records"):
        return list(source.records())
    recs = list(source)
    for r in recs:
        if not isinstance(r, CallRecord):
            raise TypeError(f"Espero registros CallRecord (o un Ledger), no {type(r).__name__}.")
    return recs


def frame(source) -> pd.DataFrame:
    """One row per record with a UTC ``time`` column and ``cost`` as float."""
    recs = records_of(source)
    data = pd.DataFrame([{**r.__dict__, "cost": float(r.cost)} for r in recs],
                        columns=[*CallRecord.__dataclass_fields__])
    data["cost"] = data["cost"].astype(float)
    data.insert(0, "time", pd.to_datetime(data["ts"].astype(float), unit="s", utc=True))
    return data


def cost_table(source, *, by: str = "team", freq: str = "D", tz: str = "UTC") -> pd.DataFrame:
    """USD per period (rows, ``freq`` as pandas: ``"D"``, ``"h"``, ``"W-MON"``) and ``by`` value
    (columns, most expensive first), in time zone ``tz``; empty periods are 0."""
    if by not in GROUPS:
        raise ValueError(f"No se puede agrupar por {by!r}: usa uno de {', '.join(GROUPS)}.")
    data = frame(source)
    if data.empty:
        return pd.DataFrame(dtype=float)
    data["time"] = data["time"].dt.tz_convert(tz)
    table = (data.groupby([pd.Grouper(key="time", freq=freq), by])["cost"].sum()
             .unstack(fill_value=0.0).asfreq(freq, fill_value=0.0))
    return table[table.sum().sort_values(ascending=False).index]


def key_metrics(source) -> dict:
    """The seed's metrics: total, cost per query / token / user / session / team / feature,
    cache hit rate and model utilization (exact ``Decimal`` money)."""
    recs = records_of(source)
    return {
        "total_cost": metrics.total_cost(recs),
        "queries": len({r.call_id for r in recs}),
        "cost_per_query": metrics.cost_per_query(recs),
        "cost_per_token": metrics.cost_per_token(recs),
        "cache_hit_rate": metrics.cache_hit_rate(recs),
        "cached_token_share": metrics.cached_token_share(recs),
        "model_utilization": metrics.model_utilization(recs),
        "cost_per_user": metrics.cost_by(recs, "user"),
        "cost_per_session": metrics.cost_by(recs, "session"),
        "cost_per_team": metrics.cost_by(recs, "team"),
        "cost_per_feature": metrics.cost_by(recs, "feature"),
        "unpriced": sorted({r.model for r in recs if not r.priced}),
    }


def top(source, by: str = "user", n: int = 10) -> list[tuple[str, Decimal]]:
    """The ``n`` largest spenders by ``by``, as ``(value, USD)`` pairs."""
    if by not in GROUPS:
        raise ValueError(f"No se puede agrupar por {by!r}: usa uno de {', '.join(GROUPS)}.")
    return list(metrics.cost_by(records_of(source), by).items())[:n]
