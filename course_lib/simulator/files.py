"""The Files API: upload, list, read and delete files kept in memory.

``POST /v1/files`` takes the multipart form the SDK sends (fields ``file`` and
``purpose``), parsed by Starlette with ``python-multipart``; with
``purpose="batch"`` every line must be a JSON object (:func:`read_jsonl`), as
OpenAI checks on upload. Files live in ``state.extra`` (shared with the Batch
API in ``batch.py``, which writes its output and error files here) and vanish
with the process. Left out: expiry, size quotas, ``/v1/uploads``.
"""

from __future__ import annotations

import json
import threading
import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from . import openapi
from .auth import require_api_key
from .errors import APIError

PURPOSES = ("batch", "assistants", "fine-tune", "vision", "user_data", "evals")
router = APIRouter(dependencies=[Depends(require_api_key)])


def store(state) -> dict:
    """The files and batches of one simulator (in ``state.extra``)."""
    return state.extra.setdefault("batch_store", {"files": {}, "batches": {}, "lock": threading.Lock()})


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


def add_file(state, filename: str, data: bytes, purpose: str) -> dict:
    """Store a file and return its public File object."""
    meta = {"id": f"file-{uuid.uuid4().hex[:24]}", "object": "file", "bytes": len(data),
            "created_at": int(state.clock()), "filename": filename, "purpose": purpose,
            "status": "processed", "expires_at": None, "status_details": None}
    store(state)["files"][meta["id"]] = {"meta": meta, "data": data}
    return meta


def get_file(state, file_id: str) -> dict:
    """A stored file (``meta`` and ``data``), or a 404."""
    found = store(state)["files"].get(file_id)
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
    files = [f["meta"] for f in store(request.app.state.sim)["files"].values()]
    return {"object": "list", "data": [f for f in files if purpose in (None, f["purpose"])], "has_more": False}


@router.get("/v1/files/{file_id}", tags=["files"], response_model=None,
             responses=openapi.responses(openapi.FILE))
def retrieve_file(request: Request, file_id: str) -> dict:
    return get_file(request.app.state.sim, file_id)["meta"]


@router.get("/v1/files/{file_id}/content", tags=["files"], response_model=None,
             responses=openapi.responses(openapi.FILE, binary=True))
def file_content(request: Request, file_id: str) -> Response:
    return Response(get_file(request.app.state.sim, file_id)["data"], media_type="application/octet-stream")


@router.delete("/v1/files/{file_id}", tags=["files"], response_model=None,
             responses=openapi.responses(openapi.DELETED))
def delete_file(request: Request, file_id: str) -> dict:
    get_file(request.app.state.sim, file_id)
    del store(request.app.state.sim)["files"][file_id]
    return {"id": file_id, "object": "file", "deleted": True}
