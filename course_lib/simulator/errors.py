"""Errors of the simulated provider, in OpenAI's error shape.

Every failure a client can cause becomes a 4xx response whose body is
``{"error": {"message", "type", "param", "code"}}``, the shape the ``openai``
SDK turns into ``openai.BadRequestError``, ``openai.AuthenticationError`` and
friends. This module defines the exception routes raise (:class:`APIError`),
renders it, and installs the handlers on an app. It does not decide *when* a
request is wrong; the routes do.
"""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

_TYPE_BY_STATUS = {
    400: "invalid_request_error", 401: "invalid_request_error", 403: "permission_error",
    404: "invalid_request_error", 405: "invalid_request_error", 409: "invalid_request_error",
    413: "invalid_request_error", 415: "invalid_request_error", 422: "invalid_request_error",
    429: "rate_limit_error",
}


class APIError(Exception):
    """A client-visible error with an HTTP status and OpenAI's error fields.

    >>> err = APIError(404, "The model `gpt-9` does not exist", code="model_not_found", param="model")
    >>> err.status, err.to_dict()["error"]["code"]
    (404, 'model_not_found')
    """

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = int(status)
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def to_dict(self) -> dict:
        return error_body(self.message, type=self.type, param=self.param, code=self.code)


def error_body(message: str, *, type: str = "invalid_request_error",
               param: str | None = None, code: str | None = None) -> dict:
    """Render OpenAI's error shape.

    >>> error_body("bad", param="n")
    {'error': {'message': 'bad', 'type': 'invalid_request_error', 'param': 'n', 'code': None}}
    """
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def error_response(exc: APIError) -> JSONResponse:
    """The HTTP response for an :class:`APIError` (status, body and extra headers)."""
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=exc.headers)


def _param_from_loc(loc) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    if not parts:
        return None
    out = parts[0]
    for p in parts[1:]:
        out += f"[{p}]" if p.isdigit() else f".{p}"
    return out


def validation_error(exc: RequestValidationError) -> APIError:
    """Turn FastAPI's validation report into a 400 like OpenAI's."""
    errors = exc.errors()
    if not errors:
        return APIError(400, "Invalid request.")
    first = errors[0]
    if first.get("type") == "json_invalid":
        return APIError(400, "We could not parse the JSON body of your request. (HINT: This likely "
                        "means you aren't using your HTTP library correctly. The OpenAI API expects "
                        "a JSON payload.)")
    param = _param_from_loc(first.get("loc", ()))
    if first.get("type") == "missing":
        return APIError(400, f"Missing required parameter: '{param}'.", param=param,
                        code="missing_required_parameter")
    detail = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if param is None:
        return APIError(400, f"Invalid request: {detail}.", code="invalid_value")
    return APIError(400, f"Invalid value for '{param}': {detail}.", param=param,
                    code="invalid_value")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path (Starlette names only the first route's)."""
    from starlette.routing import Match

    return [method for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
            if any(route.matches({**request.scope, "method": method})[0] == Match.FULL
                   for route in request.app.routes)]


def install_error_handlers(app: FastAPI) -> None:
    """Make APIError, validation errors and unknown routes answer in OpenAI's shape.

    Unexpected exceptions (our bugs) are the app's ``CatchAll`` middleware's job.
    """

    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError):
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error_response(validation_error(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        status = exc.status_code
        if status == 404:
            message = f"Invalid URL ({request.method} {request.url.path})"
        elif status == 405:
            message = f"Method {request.method} not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        headers = dict(getattr(exc, "headers", None) or {})
        if status == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        err = APIError(status, message, type=_TYPE_BY_STATUS.get(status, "invalid_request_error"),
                       headers=headers)
        return error_response(err)

    @app.exception_handler(json.JSONDecodeError)
    async def _bad_json(request: Request, exc: json.JSONDecodeError):
        return error_response(APIError(400, "We could not parse the JSON body of your request."))


async def send_error(send, exc: APIError, *, close: bool = False) -> None:
    """Send ``exc`` as a raw ASGI response, for middleware that answers before routing.

    ``close`` adds ``Connection: close``: after refusing a body that was not read
    to its end, the server must say it will not read the rest.
    """
    body = json.dumps(exc.to_dict()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in exc.headers.items()]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": exc.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
