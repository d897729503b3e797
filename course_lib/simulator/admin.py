"""The admin API: usage and costs in OpenAI's bucketed shape, and simulator controls.

``GET /v1/organization/usage/completions`` (and ``/usage/embeddings``) and
``GET /v1/organization/costs`` read the ledger and answer as OpenAI's
organization API does: a ``page`` of time ``bucket`` objects, each with its
``results`` (one per group; none for an empty bucket), ``has_more`` and a
``next_page`` cursor. Buckets start exactly at ``start_time`` and are
``bucket_width`` long (``1m``, ``1h``, ``1d``; costs accept the same widths,
OpenAI only ``1d``); ``end_time`` (exclusive) defaults to the clock's now.
Ledger fields map to OpenAI's as ``user`` → ``user_id``, ``project`` →
``project_id`` and ``api_key_id`` → ``api_key_id``; empty ones are ``null``.
Cost line items are ``"<model>, input"``, ``"<model>, cached input"`` and
``"<model>, output"`` (``batch input`` … for batch calls): each call's ledger
cost is split in the proportions of its price, so line items always add up to
the ledger. Every route here needs the admin key.

The simulator's own controls live under ``/v1/simulator/``: the clock (here),
fault injection (``faults.router``) and rate-limit overrides
(``ratelimit.router``), each router included by the app on its own.
Left out: the other usage families (images, audio…), ``api_source`` and
``service_tier`` grouping, projects and users as objects.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from datetime import datetime, timezone
from decimal import Decimal

from fastapi import APIRouter, Body, Depends, Query, Request

from . import openapi
from .auth import require_admin_key
from .errors import APIError

MAX_TIME = 10**11                                                 # year 5138: keeps SQLite happy
WIDTHS = {"1m": 60, "1h": 3_600, "1d": 86_400}
LIMITS = {"1m": (60, 1_440), "1h": (24, 168), "1d": (7, 31)}      # (default, max) buckets
USAGE_GROUPS = ("model", "user_id", "project_id", "api_key_id", "batch")
COST_GROUPS = ("line_item", "project_id", "user_id", "api_key_id")
_FIELD = {"model": "model", "user_id": "user", "project_id": "project", "api_key_id": "api_key_id",
          "batch": "batch"}

router = APIRouter(dependencies=[Depends(require_admin_key)])


def _list_param(request: Request, name: str) -> list[str]:
    """A list query parameter as ``a=x&a=y``, ``a[]=x`` or ``a=x,y``."""
    values = request.query_params.getlist(name) + request.query_params.getlist(name + "[]")
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _window(state, start_time: int, end_time: int | None, width: str, limit: int | None,
            page: str | None, max_limit: int | None = None) -> tuple[list[tuple[int, int]], str | None]:
    """The (start, end) of the buckets of this page, plus the cursor of the next one."""
    if width not in WIDTHS:
        raise APIError(400, f"Invalid value for 'bucket_width': use one of {', '.join(WIDTHS)}.",
                       param="bucket_width")
    default, biggest = LIMITS[width]
    biggest = max_limit or biggest
    limit = default if limit is None else limit
    if not 1 <= limit <= biggest:
        raise APIError(400, f"Invalid value for 'limit': between 1 and {biggest} for bucket_width={width}.",
                       param="limit")
    end = math.floor(state.clock()) + 1 if end_time is None else end_time
    if not 0 <= start_time < end <= MAX_TIME:
        raise APIError(400, f"Need 0 <= start_time < end_time <= {MAX_TIME} (unix seconds).", param="end_time")
    try:
        offset = int(page.removeprefix("page_")) if page else 0
        assert offset >= 0
    except (ValueError, AssertionError):
        raise APIError(400, f"Invalid value for 'page': {page!r} is not a cursor from 'next_page'.",
                       param="page") from None
    step = WIDTHS[width]
    total = -(-(end - start_time) // step)
    spans = [(start_time + i * step, min(start_time + (i + 1) * step, end))
             for i in range(offset, min(total, offset + limit))]
    next_page = f"page_{offset + limit}" if offset + limit < total else None
    return spans, next_page


def _groups(requested: list[str], allowed: tuple[str, ...]) -> list[str]:
    for name in requested:
        if name not in allowed:
            raise APIError(400, f"Invalid value for 'group_by': {name!r}. Use {', '.join(allowed)}.",
                           param="group_by")
    return list(dict.fromkeys(requested))


def _group_value(rec, name: str):
    value = getattr(rec, _FIELD[name])
    return value if isinstance(value, bool) or value else None


def _page(spans, next_page, results_for) -> dict:
    data = [{"object": "bucket", "start_time": s, "end_time": e, "results": results_for(s, e)}
            for s, e in spans]
    return {"object": "page", "data": data, "has_more": next_page is not None, "next_page": next_page}


def _records(state, spans):
    """Ledger records of the page's time range, sorted by time."""
    records = state.ledger.records(start=spans[0][0], end=spans[-1][1]) if spans else []
    return sorted(records, key=lambda r: r.ts)


def _between(records, start, end):
    """The records (sorted by time) with ``start <= ts < end``."""
    return records[bisect_left(records, start, key=_ts):bisect_left(records, end, key=_ts)]


def _ts(rec):
    return rec.ts


def _usage(request: Request, kind: str, start_time: int, end_time: int | None, bucket_width: str,
           limit: int | None, page: str | None, batch: bool | None) -> dict:
    state = request.app.state.sim
    spans, next_page = _window(state, start_time, end_time, bucket_width, limit, page)
    groups = _groups(_list_param(request, "group_by"), USAGE_GROUPS if kind == "completions"
                     else USAGE_GROUPS[:-1])
    filters = {name: set(_list_param(request, param)) for name, param in
               (("model", "models"), ("user_id", "user_ids"), ("project_id", "project_ids"),
                ("api_key_id", "api_key_ids"))}
    embedding_models = set(state.prices.models(mode="embedding"))
    records = [r for r in _records(state, spans) if (r.model in embedding_models) == (kind == "embeddings")
               and (batch is None or r.batch == batch)
               and all(not wanted or _group_value(r, name) in wanted for name, wanted in filters.items())]

    def results_for(start, end):
        totals: dict[tuple, dict] = {}
        for rec in _between(records, start, end):
            key = tuple(_group_value(rec, g) for g in groups)
            row = totals.setdefault(key, {"input_tokens": 0, "output_tokens": 0,
                                          "input_cached_tokens": 0, "num_model_requests": 0})
            row["input_tokens"] += rec.input_tokens
            row["output_tokens"] += rec.output_tokens
            row["input_cached_tokens"] += rec.cached_tokens
            row["num_model_requests"] += 1
        out = []
        for key in sorted(totals, key=lambda k: tuple("" if v is None else str(v) for v in k)):
            row = {"object": f"organization.usage.{kind}.result", **totals[key]}
            if kind == "completions":
                row.update(input_audio_tokens=0, output_audio_tokens=0, batch=None)
            else:
                row = {k: v for k, v in row.items() if k in ("object", "input_tokens", "num_model_requests")}
            row.update(project_id=None, user_id=None, api_key_id=None, model=None)
            row.update(zip(groups, key))
            out.append(row)
        return out

    return _page(spans, next_page, results_for)


@router.get("/v1/organization/usage/completions", tags=["admin"], response_model=None,
             responses=openapi.responses(openapi.PAGE))
def usage_completions(request: Request, start_time: int = Query(...), end_time: int | None = None,
                      bucket_width: str = "1d", limit: int | None = None, page: str | None = None,
                      batch: bool | None = None, group_by: list[str] = Query(None),
                      models: list[str] = Query(None), user_ids: list[str] = Query(None),
                      project_ids: list[str] = Query(None), api_key_ids: list[str] = Query(None)) -> dict:
    """Token usage of chat completions per time bucket (OpenAI's Usage API)."""
    return _usage(request, "completions", start_time, end_time, bucket_width, limit, page, batch)


@router.get("/v1/organization/usage/embeddings", tags=["admin"], response_model=None,
             responses=openapi.responses(openapi.PAGE))
def usage_embeddings(request: Request, start_time: int = Query(...), end_time: int | None = None,
                     bucket_width: str = "1d", limit: int | None = None, page: str | None = None,
                     group_by: list[str] = Query(None), models: list[str] = Query(None),
                     user_ids: list[str] = Query(None), project_ids: list[str] = Query(None),
                     api_key_ids: list[str] = Query(None)) -> dict:
    """Token usage of embeddings per time bucket."""
    return _usage(request, "embeddings", start_time, end_time, bucket_width, limit, page, None)


def split_cost(state, rec) -> list[tuple[str, int, Decimal]]:
    """(line item, tokens, amount) of one ledger record; amounts add up to ``rec.cost``."""
    prefix = "batch " if rec.batch else ""
    parts = [(f"{rec.model}, {prefix}input", rec.input_tokens - rec.cached_tokens, "input"),
             (f"{rec.model}, {prefix}cached input", rec.cached_tokens, "cached_input"),
             (f"{rec.model}, {prefix}output", rec.output_tokens, "output")]
    try:
        price = state.prices.get(rec.model, at=datetime.fromtimestamp(rec.ts, timezone.utc))
    except (KeyError, OverflowError, OSError, ValueError):
        try:
            price = state.prices.get(rec.model)
        except KeyError:
            price = None
    weights = [Decimal(n) * getattr(price, attr) if price else Decimal(0) for _, n, attr in parts]
    if sum(weights) == 0:
        weights = [Decimal(1), Decimal(0), Decimal(0)]
    cost = Decimal(rec.cost)
    amounts = [cost * w / sum(weights) for w in weights[:-1]]
    amounts.append(cost - sum(amounts))
    return [(name, n, amount) for (name, n, _), amount in zip(parts, amounts) if n or amount]


@router.get("/v1/organization/costs", tags=["admin"], response_model=None,
             responses=openapi.responses(openapi.PAGE))
def costs(request: Request, start_time: int = Query(...), end_time: int | None = None,
          bucket_width: str = "1d", limit: int | None = None, page: str | None = None,
          group_by: list[str] = Query(None), project_ids: list[str] = Query(None),
          api_key_ids: list[str] = Query(None), line_items: list[str] = Query(None)) -> dict:
    """Spend in USD per time bucket (OpenAI's Costs API), from the ledger's costs."""
    state = request.app.state.sim
    spans, next_page = _window(state, start_time, end_time, bucket_width, limit, page, max_limit=180)
    groups = _groups(_list_param(request, "group_by"), COST_GROUPS)
    projects, items = set(_list_param(request, "project_ids")), set(_list_param(request, "line_items"))
    keys = set(_list_param(request, "api_key_ids"))
    records = [r for r in _records(state, spans) if (not projects or r.project in projects)
               and (not keys or r.api_key_id in keys)]

    def results_for(start, end):
        totals: dict[tuple, list] = {}
        for rec in _between(records, start, end):
            for item, tokens, amount in split_cost(state, rec):
                if items and item not in items:
                    continue
                key = tuple(item if g == "line_item" else _group_value(rec, g) for g in groups)
                row = totals.setdefault(key, [Decimal(0), 0])
                row[0] += amount
                row[1] += tokens
        out = []
        for key in sorted(totals, key=lambda k: tuple("" if v is None else str(v) for v in k)):
            amount, tokens = totals[key]
            row = {"object": "organization.costs.result",
                   "amount": {"value": float(amount), "currency": "usd"},
                   "line_item": None, "project_id": None, "user_id": None, "api_key_id": None}
            row.update(zip(groups, key))
            if "line_item" in groups:
                row.update(quantity=tokens, quantity_unit="tokens")
            out.append(row)
        return out

    return _page(spans, next_page, results_for)


# -- the simulator's clock ----------------------------------------------------------

@router.get("/v1/simulator/clock", tags=["simulator"], response_model=None,
             responses=openapi.responses(openapi.CLOCK))
def get_clock(request: Request) -> dict:
    """The simulated time (unix seconds)."""
    clock = request.app.state.sim.clock
    return {"object": "simulator.clock", "now": clock(), "frozen": bool(getattr(clock, "frozen", False))}


@router.post("/v1/simulator/clock", tags=["simulator"], response_model=None,
             responses=openapi.responses(openapi.CLOCK))
def move_clock(request: Request, body: dict = Body(..., examples=[{"advance": 60}])) -> dict:
    """Move the clock: ``{"advance": seconds}`` or ``{"set": unix_seconds}``."""
    clock = request.app.state.sim.clock
    advance, target = body.get("advance"), body.get("set")
    number = (int, float)
    if (advance is None) == (target is None) or not isinstance(advance if target is None else target, number) \
            or isinstance(advance if target is None else target, bool):
        raise APIError(400, "Envía exactamente uno de {'advance': segundos ≥ 0} o {'set': segundos unix}.")
    value = float(advance if target is None else target)
    after = value if target is not None else clock() + value
    if not math.isfinite(value) or value < 0 or after > MAX_TIME:
        raise APIError(400, f"El valor debe ser un número ≥ 0 y el reloj no puede pasar de {MAX_TIME} "
                       "(segundos unix).")
    clock.advance(value) if target is None else clock.set(value)
    return get_clock(request)
