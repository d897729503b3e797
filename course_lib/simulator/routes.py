"""HTTP routes of the simulator core: chat completions, models, health.

Thin glue: authenticate, check the parameters (a bad request is a 400 or 404
before any rate limit), run the hooks (faults, rate limits), call
``chat.run_chat``, then answer as JSON or as a stream, with the simulated
latency in ``x-simulated-latency-ms`` (slept only in realtime mode). The request
id comes from the ``Idempotency-Key`` header when there is one, the project from
``OpenAI-Project`` (see ``idempotency.py`` and ``chat.run_chat``). Embeddings,
files/batches and the admin API are separate routers.
"""

from __future__ import annotations

import asyncio
import json
import os

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from . import idempotency, openapi
from .auth import require_api_key
from .chat import run_chat
from .errors import APIError
from .hooks import apply_faults, apply_limits
from .schemas import ChatRequest, check_params, unknown_model
from .streaming import sse_stream

router = APIRouter()


def _json(body: dict, headers: dict[str, str]) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json",
                    headers=headers)


def _estimated_tokens(req: ChatRequest) -> int:
    """OpenAI's rate-limit estimate: characters / 4 plus the output budget."""
    chars = sum(len(m.text()) for m in req.messages)
    return chars // 4 + (req.max_completion_tokens or req.max_tokens or 0) * (req.n or 1)


@router.post("/v1/chat/completions", tags=["chat"], response_model=None,
             responses=openapi.responses(openapi.CHAT_COMPLETION, stream=True))
async def chat_completions(body: ChatRequest, request: Request,
                           api_key: str = Depends(require_api_key)):
    """Create a chat completion (OpenAI-compatible)."""
    state = request.app.state.sim
    check_params(body, state.catalog.get(body.model), state)   # a bad request is a 400, never a 429
    await apply_faults(state, request.url.path, model=body.model, api_key=api_key)
    headers = apply_limits(state, api_key=api_key, model=body.model,
                           tokens=_estimated_tokens(body))
    # In a worker thread: tiktoken releases the GIL, so tokenizing one request overlaps
    # with the HTTP work of the others (the state's parts are thread-safe).
    result = await run_in_threadpool(
        run_chat, state, body, api_key=api_key,
        project=request.headers.get("openai-project", ""),
        request_id=idempotency.from_headers("chatcmpl-", request.headers, api_key=api_key))
    headers.update({"x-request-id": result.body["id"],
                    "x-simulated-latency-ms": f"{result.latency_ms:.1f}",
                    "openai-processing-ms": str(int(result.latency_ms))})
    if body.stream:
        profile = state.catalog.get(body.model)
        return StreamingResponse(sse_stream(result, realtime=state.realtime, speed=profile.speed),
                                 media_type="text/event-stream", headers=headers)
    if state.realtime:
        await asyncio.sleep(result.latency_ms / 1000.0)
    return _json(result.body, headers)


def _model_card(state, model: str) -> dict:
    created = 1_715_367_049
    card = {"id": model, "object": "model", "created": created, "owned_by": "system"}
    profile = state.catalog.get(model)
    try:
        price = state.prices.get(profile.model if profile is not None else model)
        card["owned_by"] = price.provider
        card["pricing"] = {"input": float(price.input), "cached_input": float(price.cached_input),
                           "output": float(price.output), "unit": "USD per 1M tokens"}
        card["context_window"] = int(price.context_window)
    except Exception:
        pass
    if profile is not None:
        card.update({"mode": "chat", "context_window": profile.context_window,
                     "max_output_tokens": profile.max_output_tokens, "skill": profile.skill,
                     "verbosity": profile.verbosity, "tokens_per_second": profile.speed,
                     "ttft_ms": profile.ttft_ms, "reasoning": profile.reasoning,
                     "rate_limits": {"rpm": profile.rpm, "tpm": profile.tpm}})
        if profile.on_premises:   # an edge model: a fixed hardware cost instead of token prices
            card.update({"owned_by": profile.provider, "on_premises": True,
                         "hardware": {"usd_per_hour": profile.hourly_usd,
                                      "requests_per_hour": profile.requests_per_hour}})
    else:
        card["mode"] = "embedding"
    return card


@router.get("/v1/models", tags=["models"], response_model=None,
             responses=openapi.responses(openapi.listing(openapi.MODEL)))
async def list_models(request: Request, api_key: str = Depends(require_api_key)):
    """List the simulated models with their profiles and prices."""
    state = request.app.state.sim
    names = state.catalog.chat_models() + sorted(state.catalog.embedding_models)
    return {"object": "list", "data": [_model_card(state, m) for m in names]}


@router.get("/v1/models/{model:path}", tags=["models"], response_model=None,
             responses=openapi.responses(openapi.MODEL))
async def retrieve_model(model: str, request: Request, api_key: str = Depends(require_api_key)):
    """One model's card, or 404."""
    state = request.app.state.sim
    if model not in state.catalog:
        raise unknown_model(model, state.catalog.chat_models() + state.catalog.embedding_models)
    return _model_card(state, model)


@router.get("/health", tags=["meta"], include_in_schema=False)
async def health(request: Request):
    """Liveness probe used by ``connect()`` (no key needed, no secrets returned)."""
    state = request.app.state.sim
    return {"status": "ok", "pid": os.getpid(), "instance": state.extra.get("instance_id", "")}
