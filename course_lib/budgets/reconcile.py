"""Reconciling the application's ledger with the provider's usage and costs API.

The provider bills line items — ``"<model>, input"``, ``"<model>, cached
input"``, ``"<model>, output"`` (``batch …`` for batch calls) — in OpenAI's
bucketed ``/v1/organization/costs`` shape. :func:`ledger_line_items` prices
each record of the client-side ledger the same way: cached input at its own
price, reasoning tokens inside output (billed as output, never dropped), a
model the price book does not know *flagged*, never priced at 0.
:func:`reconcile` puts both side by side per line item.

>>> from course_lib.pricing import PriceBook
>>> from course_lib.usage import CallRecord
>>> recs = [CallRecord(model="gpt-4o", input_tokens=2048, cached_tokens=1024, output_tokens=100,
...                    cost=0, ts=0.0)]
>>> items, unpriced = ledger_line_items(recs, PriceBook.default())
>>> {k: str(v) for k, v in items.items()}, unpriced
({'gpt-4o, input': '0.00256', 'gpt-4o, cached input': '0.00128', 'gpt-4o, output': '0.001'}, [])
>>> r = reconcile(recs, [{"line_item": "gpt-4o, input", "amount": {"value": 0.00256}}], PriceBook.default())
>>> r.ok, [row["line_item"] for row in r.mismatches]
(False, ['gpt-4o, cached input', 'gpt-4o, output'])

Only HTTP and arithmetic here: fetching needs the base URL and an admin key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import httpx

ONE_MILLION = Decimal(1_000_000)


def _get_pages(url: str, admin_key: str, params: dict, *, timeout: float = 30.0) -> list[dict]:
    """Every bucket of every page (follows ``next_page``)."""
    buckets, page = [], None
    headers = {"Authorization": f"Bearer {admin_key}"}
    while True:
        query = {**params, **({"page": page} if page else {})}
        response = httpx.get(url, params=query, headers=headers, timeout=timeout)
        if response.status_code != 200:
            raise RuntimeError(f"La API de uso respondió {response.status_code}: {response.text[:300]}")
        body = response.json()
        buckets.extend(body.get("data", []))
        page = body.get("next_page")
        if not body.get("has_more") or not page:
            return buckets


def fetch_costs(*, base_url: str, admin_key: str, start: int, end: int, group_by=("line_item",),
                bucket_width: str = "1d") -> list[dict]:
    """The provider's cost results (one dict per bucket and group, with ``start_time``)."""
    url = str(base_url).rstrip("/") + "/organization/costs"
    buckets = _get_pages(url, admin_key, {"start_time": int(start), "end_time": int(end),
                                          "bucket_width": bucket_width, "group_by": list(group_by),
                                          "limit": 180 if bucket_width == "1d" else 31})
    return [{**row, "start_time": b["start_time"]} for b in buckets for row in b.get("results", [])]


def fetch_usage(*, base_url: str, admin_key: str, start: int, end: int, group_by=("model",),
                bucket_width: str = "1d") -> list[dict]:
    """The provider's completion usage results (tokens and requests per bucket and group)."""
    url = str(base_url).rstrip("/") + "/organization/usage/completions"
    buckets = _get_pages(url, admin_key, {"start_time": int(start), "end_time": int(end),
                                          "bucket_width": bucket_width, "group_by": list(group_by)})
    return [{**row, "start_time": b["start_time"]} for b in buckets for row in b.get("results", [])]


def ledger_line_items(records, prices) -> tuple[dict[str, Decimal], list[str]]:
    """USD per provider line item, priced from tokens; and the models with no price."""
    items: dict[str, Decimal] = {}
    unpriced: set[str] = set()
    for r in records:
        if r.response_cache_hit or (r.input_tokens == 0 and r.output_tokens == 0):
            continue
        try:
            p = prices.get(r.model)
        except KeyError:
            unpriced.add(r.model)
            continue
        prefix = "batch " if r.batch else ""
        factor = p.batch_discount if r.batch else Decimal(1)
        parts = ((f"{r.model}, {prefix}input", r.input_tokens - r.cached_tokens, p.input),
                 (f"{r.model}, {prefix}cached input", r.cached_tokens, p.cached_input),
                 (f"{r.model}, {prefix}output", r.output_tokens, p.output))   # output incl. reasoning
        for name, tokens, per_million in parts:
            if tokens:
                items[name] = items.get(name, Decimal(0)) + tokens * per_million * factor / ONE_MILLION
    return items, sorted(unpriced)


@dataclass
class Reconciliation:
    """Per line item: ``ledger`` (priced from our tokens) vs ``provider`` (the bill)."""

    rows: list[dict] = field(default_factory=list)
    unpriced: list[str] = field(default_factory=list)
    tolerance: Decimal = Decimal("0.000001")

    @property
    def mismatches(self) -> list[dict]:
        return [r for r in self.rows if abs(r["difference"]) > self.tolerance]

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.unpriced

    @property
    def ledger_total(self) -> Decimal:
        return sum((r["ledger"] for r in self.rows), Decimal(0))

    @property
    def provider_total(self) -> Decimal:
        return sum((r["provider"] for r in self.rows), Decimal(0))

    def to_frame(self):
        import pandas as pd
        return pd.DataFrame(self.rows, columns=["line_item", "ledger", "provider", "difference"])


def reconcile(records, provider_rows: list[dict], prices, *,
              tolerance: Decimal | str = "0.000001") -> Reconciliation:
    """Compare the ledger's line items with the provider's (rows grouped by ``line_item``)."""
    ours, unpriced = ledger_line_items(records, prices)
    theirs: dict[str, Decimal] = {}
    for row in provider_rows:
        name = row.get("line_item") or "(sin desglose)"
        theirs[name] = theirs.get(name, Decimal(0)) + Decimal(str(row["amount"]["value"]))
    rows = [{"line_item": n, "ledger": ours.get(n, Decimal(0)), "provider": theirs.get(n, Decimal(0)),
             "difference": ours.get(n, Decimal(0)) - theirs.get(n, Decimal(0))}
            for n in sorted(set(ours) | set(theirs))]
    return Reconciliation(rows, unpriced, Decimal(str(tolerance)))
