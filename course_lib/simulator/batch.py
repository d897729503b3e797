"""The Files and Batch APIs: upload a JSONL of requests, run it at half price.

``POST /v1/files`` (multipart, as the SDK sends it, parsed by Starlette's
``python-multipart``) stores a file in memory;
with ``purpose="batch"`` every line must be a JSON object. ``POST /v1/batches``
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
import threading
import uuid

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from . import embeddings, openapi
from .auth import require_api_key
from .errors import APIError

log = logging.getLogger("course_lib.simulator")
ENDPOINTS = ("/v1/chat/completions", "/v1/embeddings")
PURPOSES = ("batch", "assistants", "fine-tune", "vision", "user_data", "evals")
MAX_LINES = 50_000
router = APIRouter(dependencies=[Depends(require_api_key)])


def _store(state) -> dict:
    return state.extra.setdefault("batch_store", {"files": {}, "batches": {}, "lock": threading.Lock()})


# -- JSONL ----------------------------------------------------------------------------

def read_jsonl(data: bytes) -> list[tuple[int, dict]]:
    """(line number, object) for each non-blank line; 400 naming the first bad line.

    >>> read_jsonl(b'{"a": 1}\\n\\n{"b": 2}\\n')
    [(1, {'a': 1}), (3, {'b': 2})]
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise APIError(400, "Invalid file format for Batch API: the file must be UTF-8 text (JSONL).") from None
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines(): U+2028 is valid JSON
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            row = None
        if not isinstance(row, dict):
            raise APIError(400, f"Invalid file format for Batch API: line {number} is not a JSON object.",
                           code="invalid_json_line")
        rows.append((number, row))
    if not rows:
        raise APIError(400, "Invalid file format for Batch API: the file is empty.", code="empty_file")
    return rows


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


# -- files --------------------------------------------------------------------------

def add_file(state, filename: str, data: bytes, purpose: str) -> dict:
    """Store a file and return its public File object."""
    meta = {"id": f"file-{uuid.uuid4().hex[:24]}", "object": "file", "bytes": len(data),
            "created_at": int(state.clock()), "filename": filename, "purpose": purpose,
            "status": "processed", "expires_at": None, "status_details": None}
    _store(state)["files"][meta["id"]] = {"meta": meta, "data": data}
    return meta


def _file(state, file_id: str) -> dict:
    found = _store(state)["files"].get(file_id)
    if found is None:
        raise APIError(404, f"No such File object: {file_id}", param="id")
    return found


@router.post("/v1/files", tags=["files"], response_model=None,
             responses=openapi.responses(openapi.FILE))
async def upload_file(request: Request) -> dict:
    """Upload a file (multipart fields ``file`` and ``purpose``), parsed by python-multipart."""
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != "multipart/form-data":
        raise APIError(400, "Upload files as multipart/form-data with fields 'file' and 'purpose'.")
    async with request.form(max_files=1, max_fields=16) as form:
        upload, purpose = form.get("file"), form.get("purpose")
        if not isinstance(upload, UploadFile):
            raise APIError(400, "Missing required parameter: 'file'.", param="file",
                           code="missing_required_parameter")
        purpose = purpose.strip() if isinstance(purpose, str) else ""
        if purpose not in PURPOSES:
            raise APIError(400, f"Invalid value for 'purpose': use one of {', '.join(PURPOSES)}.",
                           param="purpose")
        data = await upload.read()
        filename = upload.filename
    if purpose == "batch":
        read_jsonl(data)
    return add_file(request.app.state.sim, filename or "upload.jsonl", data, purpose)


@router.get("/v1/files", tags=["files"], response_model=None,
             responses=openapi.responses(openapi.listing(openapi.FILE)))
def list_files(request: Request, purpose: str | None = None) -> dict:
    files = [f["meta"] for f in _store(request.app.state.sim)["files"].values()]
    return {"object": "list", "data": [f for f in files if purpose in (None, f["purpose"])], "has_more": False}


@router.get("/v1/files/{file_id}", tags=["files"], response_model=None,
             responses=openapi.responses(openapi.FILE))
def retrieve_file(request: Request, file_id: str) -> dict:
    return _file(request.app.state.sim, file_id)["meta"]


@router.get("/v1/files/{file_id}/content", tags=["files"], response_model=None,
             responses=openapi.responses(openapi.FILE, binary=True))
def file_content(request: Request, file_id: str) -> Response:
    return Response(_file(request.app.state.sim, file_id)["data"], media_type="application/octet-stream")


@router.delete("/v1/files/{file_id}", tags=["files"], response_model=None,
             responses=openapi.responses(openapi.DELETED))
def delete_file(request: Request, file_id: str) -> dict:
    _file(request.app.state.sim, file_id)
    del _store(request.app.state.sim)["files"][file_id]
    return {"id": file_id, "object": "file", "deleted": True}


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
    found = _file(state, file_id)
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
