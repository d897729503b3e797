"""The simulator's OpenAPI document: typed answers, real errors, the bearer scheme.

Routes declare their 200 answer with :func:`responses` and one of the schemas
below (JSON Schema, as OpenAPI 3.1 takes it), so a schema-checking client or
fuzzer (schemathesis) can check every answer. Every route also documents the
errors it really sends, all in OpenAI's error shape (:data:`ERROR`): 400, 401,
404, 405, 413, 429 and the 5xx of fault injection. :func:`finish` post-processes
FastAPI's generated document: it drops the 422 FastAPI documents for validation
failures (the simulator answers 400, as OpenAI does) and declares the bearer
scheme that every route except ``/health`` needs.

It describes the fields clients read; it is not OpenAI's full specification.
"""

from __future__ import annotations

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["message", "type", "param", "code"],
    "properties": {"message": {"type": "string"}, "type": {"type": "string"},
                   "param": {"type": ["string", "null"]}, "code": {"type": ["string", "null"]}}}}}

_INT = {"type": "integer", "minimum": 0}
_USAGE = {"type": "object", "required": ["prompt_tokens", "completion_tokens", "total_tokens"],
          "properties": {"prompt_tokens": _INT, "completion_tokens": _INT, "total_tokens": _INT,
                         "prompt_tokens_details": {"type": "object", "properties": {"cached_tokens": _INT}},
                         "completion_tokens_details": {"type": "object",
                                                       "properties": {"reasoning_tokens": _INT}}}}
CHAT_COMPLETION = {"type": "object", "required": ["id", "object", "created", "model", "choices", "usage"],
                   "properties": {
    "id": {"type": "string"}, "object": {"const": "chat.completion"}, "created": {"type": "integer"},
    "model": {"type": "string"}, "usage": _USAGE,
    "choices": {"type": "array", "items": {"type": "object",
                                           "required": ["index", "message", "finish_reason"],
                                           "properties": {
        "index": _INT, "finish_reason": {"enum": ["stop", "length"]},
        "logprobs": {"type": ["object", "null"]},
        "message": {"type": "object", "required": ["role", "content"],
                    "properties": {"role": {"const": "assistant"}, "content": {"type": ["string", "null"]}}}}}}}}
EMBEDDINGS = {"type": "object", "required": ["object", "data", "model", "usage"], "properties": {
    "object": {"const": "list"}, "model": {"type": "string"},
    "data": {"type": "array", "items": {"type": "object", "required": ["object", "index", "embedding"],
                                        "properties": {"object": {"const": "embedding"}, "index": _INT,
                                                       "embedding": {"type": ["array", "string"],
                                                                     "items": {"type": "number"}}}}},
    "usage": {"type": "object", "required": ["prompt_tokens", "total_tokens"],
              "properties": {"prompt_tokens": _INT, "total_tokens": _INT}}}}
MODEL = {"type": "object", "required": ["id", "object", "created", "owned_by"], "properties": {
    "id": {"type": "string"}, "object": {"const": "model"}, "created": {"type": "integer"},
    "owned_by": {"type": "string"}}}
FILE = {"type": "object", "required": ["id", "object", "bytes", "created_at", "filename", "purpose"],
        "properties": {"id": {"type": "string"}, "object": {"const": "file"}, "bytes": _INT,
                       "created_at": {"type": "integer"}, "filename": {"type": "string"},
                       "purpose": {"type": "string"}}}
DELETED = {"type": "object", "required": ["id", "object", "deleted"],
           "properties": {"id": {"type": "string"}, "object": {"type": "string"},
                          "deleted": {"type": "boolean"}}}
BATCH = {"type": "object", "required": ["id", "object", "endpoint", "status", "input_file_id",
                                        "created_at", "request_counts"], "properties": {
    "id": {"type": "string"}, "object": {"const": "batch"}, "endpoint": {"type": "string"},
    "status": {"enum": ["validating", "failed", "in_progress", "finalizing", "completed",
                        "expired", "cancelling", "cancelled"]},
    "input_file_id": {"type": "string"}, "created_at": {"type": "integer"},
    "output_file_id": {"type": ["string", "null"]}, "error_file_id": {"type": ["string", "null"]},
    "request_counts": {"type": "object", "required": ["total", "completed", "failed"],
                       "properties": {"total": _INT, "completed": _INT, "failed": _INT}}}}


def listing(item: dict) -> dict:
    """``{"object": "list", "data": [item, ...]}``."""
    return {"type": "object", "required": ["object", "data"],
            "properties": {"object": {"const": "list"}, "data": {"type": "array", "items": item}}}


PAGE = {"type": "object", "required": ["object", "data", "has_more", "next_page"], "properties": {
    "object": {"const": "page"}, "has_more": {"type": "boolean"}, "next_page": {"type": ["string", "null"]},
    "data": {"type": "array", "items": {"type": "object", "required": ["object", "start_time", "end_time",
                                                                        "results"],
                                        "properties": {"object": {"const": "bucket"},
                                                       "start_time": {"type": "integer"},
                                                       "end_time": {"type": "integer"},
                                                       "results": {"type": "array",
                                                                   "items": {"type": "object"}}}}}}}
CLOCK = {"type": "object", "required": ["object", "now", "frozen"],
         "properties": {"object": {"const": "simulator.clock"}, "now": {"type": "number"},
                        "frozen": {"type": "boolean"}}}
FAULTS = {"type": "object", "required": ["object", "rate", "kinds"],
          "properties": {"object": {"const": "simulator.faults"}, "rate": {"type": "number"},
                         "kinds": {"type": "array", "items": {"type": "string"}}}}
RATE_LIMITS = listing({"type": "object", "required": ["api_key_id", "model", "rpm", "tpm"],
                       "properties": {"api_key_id": {"type": "string"}, "model": {"type": "string"},
                                      "rpm": {"type": ["integer", "null"]},
                                      "tpm": {"type": ["integer", "null"]}}})

_ERRORS = {400: "Petición no válida", 401: "Falta la clave o no es válida", 404: "No existe",
           405: "Método no permitido", 413: "Cuerpo demasiado grande", 429: "Límite de uso superado",
           500: "Error del servidor", 502: "Fallo inyectado", 503: "Fallo inyectado",
           504: "Fallo inyectado (timeout)"}


def responses(ok: dict, *, stream: bool = False, binary: bool = False) -> dict:
    """The ``responses=`` of a route: its typed 200 and every error, in OpenAI's shape.

    >>> sorted(responses(MODEL))[:3], responses(MODEL)[404]["content"]["application/json"]["schema"] is ERROR
    ([200, 400, 401], True)
    """
    content = {"application/json": {"schema": ok}}
    if stream:
        content["text/event-stream"] = {"schema": {"type": "string"}}
    if binary:
        content = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    out = {200: {"description": "OK", "content": content}}
    out.update({code: {"description": text, "content": {"application/json": {"schema": ERROR}}}
                for code, text in _ERRORS.items()})
    return out


def finish(doc: dict) -> dict:
    """Drop FastAPI's 422s, declare the bearer scheme, require it on every keyed route."""
    doc.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "Authorization: Bearer sk-... (las rutas /organization y "
                                  "/simulator piden la clave de administración)"}}
    for schemas in ("HTTPValidationError", "ValidationError"):
        doc["components"].get("schemas", {}).pop(schemas, None)
    for path, item in doc.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation["responses"].pop("422", None)
            if path != "/health":
                operation["security"] = [{"bearer": []}]
    return doc
