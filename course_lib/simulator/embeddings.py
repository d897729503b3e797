"""``POST /v1/embeddings``: OpenAI's embeddings endpoint on a real local encoder.

The vectors come from the library's local sentence encoder
(:func:`course_lib.encoder.default_encoder`: Google's multilingual Universal
Sentence Encoder v3, no network). It gives 512-dim unit vectors in which
Spanish paraphrases score about 0.8 and unrelated questions about 0.2. They
are *not* OpenAI's vectors: the numbers differ, only the geometry is alike.

They are sized like OpenAI's (1536 or 3072 dims, or ``dimensions``) by a fixed
projection that keeps the encoder's cosines (``projection.py``).

``usage.prompt_tokens`` is counted with ``cl100k_base`` (the encoding of
OpenAI's embedding models) and each call goes to the ledger at the model's
input price. Token-array inputs are decoded with that encoding and embedded as
text. Left out: older models' semantics (ada-002), caching of vectors.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from course_lib.pricing import UnknownModelError, Usage
from course_lib.tokens import get_encoding
from course_lib.usage import CallRecord

from . import openapi
from .auth import key_id, require_api_key
from .errors import APIError
from .hooks import apply_faults, apply_limits
from .idempotency import from_headers as request_id_from
from .projection import NATIVE_DIMS, embed_texts, project, projection  # noqa: F401  (public here too)
from .schemas import reject_surrogates

MAX_INPUTS, MAX_REQUEST_TOKENS = 2048, 300_000
_FIELDS = {"model", "input", "dimensions", "encoding_format", "user"}


# -- request validation ------------------------------------------------------------

def _inputs(value, encoding) -> tuple[list[str], list[int]]:
    """Texts to embed and their token counts, or a 400 saying what is wrong."""
    def is_int(x):
        return isinstance(x, int) and not isinstance(x, bool)

    def decode(tokens):
        if not tokens:
            raise APIError(400, "'$.input' is invalid: token arrays must not be empty.", param="input")
        try:
            return encoding.decode(tokens), len(tokens)
        except (KeyError, OverflowError, ValueError):
            raise APIError(400, "'$.input' is invalid: it holds a token id that cl100k_base does "
                           "not have.", param="input") from None

    if isinstance(value, str):
        value = [value]
    elif isinstance(value, list) and value and all(is_int(t) for t in value):
        value = [value]
    if not isinstance(value, list) or not value:
        raise APIError(400, "'$.input' is invalid: give a string, a list of strings, or token "
                       "arrays (lists of integers).", param="input")
    if len(value) > MAX_INPUTS:
        raise APIError(400, f"'$.input' is invalid: at most {MAX_INPUTS} inputs per request.", param="input")
    texts, counts = [], []
    for item in value:
        if isinstance(item, str):
            if not item:
                raise APIError(400, "'$.input' is invalid: strings must not be empty.", param="input")
            texts.append(item), counts.append(len(encoding.encode_ordinary(item)))
        elif isinstance(item, list) and all(is_int(t) for t in item):
            text, n = decode(item)
            texts.append(text), counts.append(n)
        else:
            raise APIError(400, "'$.input' is invalid: mix of strings and token arrays, or a value "
                           "that is neither.", param="input")
    return texts, counts


def parse_request(state, body) -> dict:
    """Validate an embeddings request body; return what the computation needs."""
    if not isinstance(body, dict):
        raise APIError(400, "The request body must be a JSON object.")
    reject_surrogates(body)
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise APIError(400, f"Unrecognized request argument supplied: {unknown[0]}", param=unknown[0])
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise APIError(400, "Missing required parameter: 'model'.", param="model",
                       code="missing_required_parameter")
    if model not in state.prices.models(mode="embedding"):
        status, code = (400, "invalid_model") if model in state.prices else (404, "model_not_found")
        raise APIError(status, f"The model `{model}` does not exist or is not an embeddings model "
                       "you have access to.", param="model", code=code)
    if "input" not in body:
        raise APIError(400, "Missing required parameter: 'input'.", param="input",
                       code="missing_required_parameter")
    dims = body.get("dimensions")
    native = NATIVE_DIMS.get(model, 1536)
    if dims is not None and (isinstance(dims, bool) or not isinstance(dims, int) or not 1 <= dims <= native):
        raise APIError(400, f"Invalid value for 'dimensions': {model} supports 1 to {native}.",
                       param="dimensions", code="invalid_value")
    fmt = body.get("encoding_format") or "float"
    if fmt not in ("float", "base64"):
        raise APIError(400, "Invalid value for 'encoding_format': use 'float' or 'base64'.",
                       param="encoding_format", code="invalid_value")
    user = body.get("user")
    if user is not None and not isinstance(user, str):
        raise APIError(400, "Invalid value for 'user': expected a string.", param="user",
                       code="invalid_type")
    user = user or ""
    texts, counts = _inputs(body["input"], get_encoding("cl100k_base"))
    limit = state.prices.get(model).context_window or 8191
    if max(counts) > limit:
        raise APIError(400, f"This model's maximum context length is {limit} tokens, however you "
                       f"requested {max(counts)} tokens. Please reduce your input.",
                       param="input", code="context_length_exceeded")
    if sum(counts) > MAX_REQUEST_TOKENS:
        raise APIError(400, f"Requested {sum(counts)} tokens, max {MAX_REQUEST_TOKENS} tokens per "
                       "request.", param="input", code="max_tokens_per_request")
    return {"model": model, "texts": texts, "tokens": sum(counts), "dimensions": dims,
            "format": fmt, "user": user}


# -- computing and billing -----------------------------------------------------------

def latency_ms(tokens: int) -> float:
    """Simulated service time: 80 ms plus 0.02 ms per token."""
    return round(80.0 + 0.02 * tokens, 1)


def price_at(state, model: str, usage: Usage, *, batch: bool, ts: float):
    """Cost at the clock's date (the snapshot's price for dates before it)."""
    try:
        return state.prices.cost(model, usage, batch=batch, at=datetime.fromtimestamp(ts, timezone.utc))
    except (UnknownModelError, OverflowError, OSError, ValueError):  # before the snapshot, or year > 9999
        return state.prices.cost(model, usage, batch=batch)


def create_embeddings(state, body, *, api_key: str, batch: bool = False, project: str = "",
                      request_id: str | None = None) -> dict:
    """Validate, embed, record in the ledger; return the response body (sync)."""
    return run_embeddings(state, parse_request(state, body), api_key=api_key, batch=batch,
                          project=project, request_id=request_id)


def run_embeddings(state, req: dict, *, api_key: str, batch: bool = False, project: str = "",
                   request_id: str | None = None) -> dict:
    """Embed a request parsed by :func:`parse_request` and record it in the ledger."""
    vectors = embed_texts(req["texts"], req["model"], req["dimensions"])
    ts = state.clock()
    state.ledger.record(CallRecord(
        model=req["model"], input_tokens=req["tokens"], output_tokens=0,
        cost=price_at(state, req["model"], Usage(req["tokens"]), batch=batch, ts=ts),
        user=req["user"], project=project, api_key_id=key_id(api_key), ts=ts, batch=batch,
        latency_ms=latency_ms(req["tokens"]), endpoint="embeddings",
        request_id=request_id or f"req_{uuid.uuid4().hex}"))
    if req["format"] == "base64":
        items = [base64.b64encode(v.astype("<f4").tobytes()).decode("ascii") for v in vectors]
    else:
        items = [v.tolist() for v in vectors]
    return {"object": "list", "model": req["model"],
            "data": [{"object": "embedding", "index": i, "embedding": e} for i, e in enumerate(items)],
            "usage": {"prompt_tokens": req["tokens"], "total_tokens": req["tokens"]}}


# -- route ----------------------------------------------------------------------------

router = APIRouter()
_SCHEMA = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["model", "input"], "additionalProperties": False,
    "properties": {
        "model": {"type": "string", "enum": sorted(NATIVE_DIMS)},
        "input": {"oneOf": [{"type": "string", "minLength": 1},
                            {"type": "array", "minItems": 1, "maxItems": MAX_INPUTS,
                             "items": {"type": "string", "minLength": 1}},
                            {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}},
                            {"type": "array", "minItems": 1, "items": {
                                "type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}}}]},
        "dimensions": {"type": ["integer", "null"], "minimum": 1},
        "encoding_format": {"enum": ["float", "base64", None]},
        "user": {"type": ["string", "null"]}}}}}}}


@router.post("/v1/embeddings", tags=["embeddings"], openapi_extra=_SCHEMA, response_model=None,
             responses=openapi.responses(openapi.EMBEDDINGS))
async def embeddings(request: Request, api_key: str = Depends(require_api_key)):
    """Create embeddings (see the module docstring for how vectors are made)."""
    state = request.app.state.sim
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):
        raise APIError(400, "We could not parse the JSON body of your request.") from None
    req = await run_in_threadpool(parse_request, state, body)  # tokenizing: off the event loop
    await apply_faults(state, "/v1/embeddings", model=req["model"], api_key=api_key)
    headers = apply_limits(state, api_key=api_key, model=req["model"], tokens=req["tokens"])
    request_id = request_id_from("req_", request.headers, api_key=api_key)
    started = time.perf_counter()
    result = await run_in_threadpool(run_embeddings, state, req, api_key=api_key,
                                     project=request.headers.get("openai-project", ""),
                                     request_id=request_id)
    if getattr(state, "realtime", False):
        await asyncio.sleep(max(0.0, latency_ms(result["usage"]["prompt_tokens"]) / 1000
                                - (time.perf_counter() - started)))
    latency = latency_ms(result["usage"]["prompt_tokens"])
    headers.update({"x-request-id": request_id, "openai-model": req["model"],
                    "x-simulated-latency-ms": f"{latency:.1f}", "openai-processing-ms": str(int(latency))})
    return JSONResponse(result, headers=headers)
