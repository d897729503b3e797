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


__all__ = ["traffic_records", "daily_cost", "hourly_cost", "scale_note", "Decimal"]
