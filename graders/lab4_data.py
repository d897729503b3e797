"""Lab 4's data: the traffic log priced as the bill Mercadela pays (public or hidden slice).

Each traffic row stands for ``requests_per_row`` real requests
(``world.traffic_scale()``); it is priced at its feature's deployment (model,
tokens of instructions and context, typical answer length, varied per row by a
hash of its id) and becomes one ``CallRecord`` carrying the tokens and cost of
all the requests it stands for. Deterministic: the same rows give the same
ledger. Budget replays, forecasts and anomaly checks of lab 4 read this ledger.
"""

from __future__ import annotations

import functools
import hashlib
from decimal import Decimal

import pandas as pd

from course_lib.pricing import PriceBook, Usage
from course_lib.tokens import count_tokens
from course_lib.usage import CallRecord

CHAT_OVERHEAD = 7          # tokens of the chat format around one system and one user message


def _share(request_id: str) -> float:
    """A number in [0, 1) fixed by the request id."""
    return int(hashlib.sha256(request_id.encode()).hexdigest()[:8], 16) / 2**32


@functools.lru_cache(maxsize=4)
def _traffic(include_hidden: bool) -> pd.DataFrame:
    from course_lib.course import world
    return world.load_traffic(include_hidden=include_hidden)


def traffic_records(traffic: pd.DataFrame | None = None, *, split: str = "public",
                    prices: PriceBook | None = None) -> list[CallRecord]:
    """The priced ledger of ``traffic`` (default: the ``split`` slice, ``"public"``, ``"hidden"``
    or ``"all"``), sorted by time."""
    from course_lib.course import world

    if traffic is None:
        frame = _traffic(split != "public")
        traffic = frame if split == "all" else frame[frame["split"] == split]
    meta = world.traffic_scale()
    scale, deployment = int(meta["requests_per_row"]), meta["deployment"]
    prices = prices or PriceBook.default()
    out = []
    for row in traffic.itertuples(index=False):
        d = deployment[row.feature]
        model = d["model"]
        tokens_in = d["context_tokens"] + CHAT_OVERHEAD + count_tokens(row.text, model)
        tokens_out = max(8, round(d["output_tokens"] * (0.5 + _share(row.request_id))))
        usage = Usage(tokens_in * scale, tokens_out * scale)
        out.append(CallRecord(model=model, input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
                              cost=prices.cost(model, usage), user=row.user_id, team=row.team,
                              feature=row.feature, request_id=row.request_id, call_id=row.request_id,
                              ts=row.ts.timestamp()))
    out.sort(key=lambda r: r.ts)
    return out


def daily_cost(records, *, tz: str = "Europe/Madrid") -> pd.Series:
    """USD per local day (float), every day present."""
    from course_lib.budgets.attribution import cost_table
    return cost_table(records, by="team", freq="D", tz=tz).sum(axis=1)


def hourly_cost(records, *, tz: str = "UTC") -> pd.DataFrame:
    """USD per hour (rows) and feature (columns)."""
    from course_lib.budgets.attribution import cost_table
    return cost_table(records, by="feature", freq="h", tz=tz)


def scale_note() -> str:
    from course_lib.course import world
    return world.traffic_scale()["reasoning"]


__all__ = ["traffic_records", "metrics_records", "daily_cost", "hourly_cost", "scale_note", "Decimal"]


# -- the metrics ledger: a sample with response-cache hits and cascades ----------------------

def metrics_records(*, split: str = "public", rows: int = 2500, cascade_share: float = 0.15,
                    seed: str = "lab4-metricas", prices: PriceBook | None = None) -> list[CallRecord]:
    """A ledger sample of ``split`` as an application with a cache and a cascade would write it.

    A ``repeat`` row is a response-cache hit (zero cost, no attempt); a share of the
    others is a cascade (a cheap ``gpt-4o-mini`` try, then the feature's model, same
    ``call_id``); every call carries a session id. Tokens are of one request, not scaled.
    """
    prices = prices or PriceBook.default()
    frame = _traffic(split != "public")
    frame = frame[frame["split"] == split] if split != "all" else frame
    picked = sorted(frame.itertuples(index=False), key=lambda r: _share(seed + r.request_id))[:rows]
    picked.sort(key=lambda r: r.ts)
    from course_lib.course import world
    deployment = world.traffic_scale()["deployment"]
    out = []
    for row in picked:
        base = dict(user=row.user_id, team=row.team, feature=row.feature, call_id=row.request_id,
                    session=f"s-{row.user_id}-{row.ts:%m%d}", ts=row.ts.timestamp())
        if row.relation == "repeat":
            out.append(CallRecord(model=deployment[row.feature]["model"], input_tokens=0, output_tokens=0, cost=0,
                                  response_cache_hit=True, request_id=f"{row.request_id}-call", attempt=0, **base))
            continue
        d = deployment[row.feature]
        tokens_in = d["context_tokens"] + CHAT_OVERHEAD + count_tokens(row.text, d["model"])
        tokens_out = max(8, round(d["output_tokens"] * (0.5 + _share(row.request_id))))
        models = (["gpt-4o-mini"] if _share(seed + "c" + row.request_id) < cascade_share
                  and d["model"] != "gpt-4o-mini" else []) + [d["model"]]
        for attempt, model in enumerate(models, start=1):
            usage = Usage(tokens_in, tokens_out)
            out.append(CallRecord(model=model, input_tokens=tokens_in, output_tokens=tokens_out,
                                  cost=prices.cost(model, usage), request_id=f"{row.request_id}-a{attempt}",
                                  attempt=attempt, **{**base, "ts": base["ts"] + attempt - 1}))
    return out
