"""The Batch API: run an uploaded JSONL of requests at half price.

The input is a ``purpose="batch"`` file of the Files API (``files.py``).
``POST /v1/batches``
checks the file the way OpenAI's *validating* step does (``custom_id``,
``method``, ``url``, ``body``, unique ids, one model, at most 50,000 lines) and
fails the batch with ``errors`` if it is malformed. Otherwise the batch is run
on the first ``GET /v1/batches/{id}`` once ``state.extra["batch_delay_s"]``
simulated seconds (default 0) have passed since its creation: each line goes
through ``state.complete_chat(..., batch=True)`` (or the embeddings code), so it
is billed at the batch price and written to the ledger. Successful answers go
to the output file and failed requests (a 4xx answer) to the error file, each
line ``{"id", "custom_id", "response": {"status_code", "request_id", "body"},
"error": null}`` as OpenAI writes them.

Files and batches live in ``state.extra`` and vanish with the process. Left
out: expiry after 24 h, partial progress, ``/v1/responses`` and
``/v1/completions`` lines, file deletion of batch outputs by the provider.
"""

from __future__ import annotations

import json
import logging
import uuid

from fastapi import APIRouter, Body, Depends, Query, Request

from . import embeddings, openapi
from .auth import require_api_key
from .errors import APIError
from .files import add_file, get_file, read_jsonl  # noqa: F401  (read_jsonl: public here too)
from .files import store as _store

log = logging.getLogger("course_lib.simulator")
ENDPOINTS = ("/v1/chat/completions", "/v1/embeddings")
MAX_LINES = 50_000
router = APIRouter(dependencies=[Depends(require_api_key)])


def validate_requests(rows: list[tuple[int, dict]], endpoint: str) -> list[dict]:
    """OpenAI's validating step: the problems that fail a whole batch.

    >>> validate_requests([(1, {"custom_id": "a", "method": "POST", "url": "/v1/embeddings",
    ...     "body": {"model": "text-embedding-3-small", "input": "hola"}})], "/v1/chat/completions")[0]["code"]
    'invalid_url'
    """
    errors, seen, models = [], set(), set()
    for number, row in rows:
        problem = None
        if not isinstance(row.get("custom_id"), str) or not row["custom_id"]:
            problem = ("missing_required_parameter", "custom_id", "Each line needs a string 'custom_id'.")
        elif row["custom_id"] in seen:
            problem = ("duplicate_custom_id", "custom_id", f"The custom_id '{row['custom_id']}' is repeated.")
        elif row.get("method") != "POST":
            problem = ("invalid_method", "method", "'method' must be 'POST'.")
        elif row.get("url") != endpoint:
            problem = ("invalid_url", "url", f"'url' must be the batch endpoint '{endpoint}'.")
        elif not isinstance(row.get("body"), dict):
            problem = ("missing_required_parameter", "body", "Each line needs a JSON object 'body'.")
        if problem:
            errors.append({"code": problem[0], "line": number, "param": problem[1], "message": problem[2]})
            continue
        seen.add(row["custom_id"])
        if isinstance(row["body"].get("model"), str):
            models.add(row["body"]["model"])
    if len(models) > 1:
        errors.append({"code": "mismatched_model", "line": None, "param": "body.model",
                       "message": f"A batch must use a single model; found {', '.join(sorted(models))}."})
    if len(rows) > MAX_LINES:
        errors.append({"code": "too_many_tasks", "line": None, "param": None,
                       "message": f"A batch holds at most {MAX_LINES} requests."})
    return errors


# -- batches ------------------------------------------------------------------------

def _run_line(state, endpoint: str, row: dict, api_key: str) -> tuple[int, dict]:
    try:
        if endpoint == "/v1/embeddings":
            return 200, embeddings.create_embeddings(state, row["body"], api_key=api_key, batch=True)
        return 200, state.complete_chat(row["body"], api_key=api_key, batch=True)
    except APIError as exc:
        return exc.status, exc.to_dict()
    except Exception:  # a bug of ours: report it on this line, keep the batch going
        log.exception("batch line %s failed", row.get("custom_id"))
        return 500, APIError(500, "The server had an error processing this request.", type="server_error").to_dict()


def run_batch(state, batch: dict, rows: list[tuple[int, dict]], api_key: str) -> None:
    """Run every line, write the output and error files, complete ``batch``."""
    batch["status"], batch["in_progress_at"] = "in_progress", int(state.clock())
    out, err = [], []
    usage = {"input_tokens": 0, "output_tokens": 0, "cached": 0, "reasoning": 0}
    for _, row in rows:
        status, body = _run_line(state, batch["endpoint"], row, api_key)
        line = {"id": f"batch_req_{uuid.uuid4().hex}", "custom_id": row["custom_id"],
                "response": {"status_code": status, "request_id": f"req_{uuid.uuid4().hex}", "body": body},
                "error": None}
        (out if status == 200 else err).append(json.dumps(line, ensure_ascii=False) + "\n")
        got = (body.get("usage") or {}) if status == 200 else {}
        usage["input_tokens"] += got.get("prompt_tokens", 0)
        usage["output_tokens"] += got.get("completion_tokens", 0)
        usage["cached"] += (got.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
        usage["reasoning"] += (got.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)
    batch["status"], batch["finalizing_at"] = "finalizing", int(state.clock())
    for lines, key, suffix in ((out, "output_file_id", "output"), (err, "error_file_id", "error")):
        if lines:
            batch[key] = add_file(state, f"{batch['id']}_{suffix}.jsonl", "".join(lines).encode(), "batch_output")["id"]
    batch["request_counts"] = {"total": len(rows), "completed": len(out), "failed": len(err)}
    batch["usage"] = {"input_tokens": usage["input_tokens"], "output_tokens": usage["output_tokens"],
                      "total_tokens": usage["input_tokens"] + usage["output_tokens"],
                      "input_tokens_details": {"cached_tokens": usage["cached"]},
                      "output_tokens_details": {"reasoning_tokens": usage["reasoning"]}}
    batch["status"], batch["completed_at"] = "completed", int(state.clock())


def _advance(state, batch_id: str) -> dict:
    """The public batch object, running the batch first if it is due."""
    store = _store(state)
    entry = store["batches"].get(batch_id)
    if entry is None:
        raise APIError(404, f"No such Batch object: {batch_id}", param="batch_id")
    with store["lock"]:
        batch = entry["batch"]
        due = batch["created_at"] + float(state.extra.get("batch_delay_s", 0))
        if batch["status"] == "validating" and state.clock() >= due:
            run_batch(state, batch, entry.pop("rows"), entry.pop("api_key"))
    return dict(batch)


@router.post("/v1/batches", tags=["batches"], response_model=None,
             responses=openapi.responses(openapi.BATCH))
def create_batch(request: Request, body: dict = Body(..., examples=[{
        "input_file_id": "file-abc", "endpoint": "/v1/chat/completions", "completion_window": "24h"}]),
        api_key: str = Depends(require_api_key)) -> dict:
    """Create a batch from an uploaded ``purpose="batch"`` file."""
    state = request.app.state.sim
    file_id, endpoint = body.get("input_file_id"), body.get("endpoint")
    if not isinstance(file_id, str):
        raise APIError(400, "Missing required parameter: 'input_file_id'.", param="input_file_id",
                       code="missing_required_parameter")
    if endpoint not in ENDPOINTS:
        raise APIError(400, f"Invalid value for 'endpoint': use one of {', '.join(ENDPOINTS)}.", param="endpoint")
    if body.get("completion_window") != "24h":
        raise APIError(400, "Invalid value for 'completion_window': only '24h' is supported.",
                       param="completion_window")
    metadata = body.get("metadata")
    if metadata is not None and not (isinstance(metadata, dict) and len(metadata) <= 16 and all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise APIError(400, "Invalid value for 'metadata': up to 16 string keys with string values.",
                       param="metadata")
    found = get_file(state, file_id)
    if found["meta"]["purpose"] != "batch":
        raise APIError(400, f"File {file_id} was not uploaded with purpose 'batch'.", param="input_file_id")
    rows = read_jsonl(found["data"])
    now = int(state.clock())
    models = {r["body"].get("model") for _, r in rows if isinstance(r.get("body"), dict)}
    batch = {"id": f"batch_{uuid.uuid4().hex[:24]}", "object": "batch", "endpoint": endpoint, "errors": None,
             "input_file_id": file_id, "completion_window": "24h", "status": "validating",
             "output_file_id": None, "error_file_id": None, "created_at": now, "in_progress_at": None,
             "expires_at": now + 86_400, "finalizing_at": None, "completed_at": None, "failed_at": None,
             "expired_at": None, "cancelling_at": None, "cancelled_at": None,
             "request_counts": {"total": len(rows), "completed": 0, "failed": 0},
             "metadata": metadata, "model": next(iter(models)) if len(models) == 1 else None, "usage": None}
    problems = validate_requests(rows, endpoint)
    if problems:
        batch.update(status="failed", failed_at=now, errors={"object": "list", "data": problems},
                     request_counts={"total": 0, "completed": 0, "failed": 0})
    entry = {"batch": batch, "rows": rows, "api_key": api_key}  # the key stays in memory only
    _store(state)["batches"][batch["id"]] = entry
    return dict(batch)


@router.get("/v1/batches/{batch_id}", tags=["batches"], response_model=None,
             responses=openapi.responses(openapi.BATCH))
def retrieve_batch(request: Request, batch_id: str) -> dict:
    """A batch; the first retrieval after it is due runs it to completion."""
    return _advance(request.app.state.sim, batch_id)


@router.post("/v1/batches/{batch_id}/cancel", tags=["batches"], response_model=None,
             responses=openapi.responses(openapi.BATCH))
def cancel_batch(request: Request, batch_id: str) -> dict:
    state = request.app.state.sim
    batch = _advance(state, batch_id)
    if batch["status"] != "validating":
        raise APIError(400, f"Cannot cancel a batch with status '{batch['status']}'.")
    entry = _store(state)["batches"][batch_id]
    now = int(state.clock())
    entry["batch"].update(status="cancelled", cancelling_at=now, cancelled_at=now)
    entry.pop("rows", None), entry.pop("api_key", None)
    return dict(entry["batch"])


@router.get("/v1/batches", tags=["batches"], response_model=None,
             responses=openapi.responses(openapi.listing(openapi.BATCH)))
def list_batches(request: Request, limit: int = Query(20, ge=1, le=100), after: str | None = None) -> dict:
    """Batches, newest first, paginated with ``after``."""
    state = request.app.state.sim
    ids = list(reversed(_store(state)["batches"]))
    if after is not None:
        ids = ids[ids.index(after) + 1:] if after in ids else []
    page = [_advance(state, i) for i in ids[:limit]]
    return {"object": "list", "data": page, "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None, "has_more": len(ids) > limit}
