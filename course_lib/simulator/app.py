"""The FastAPI application of the simulated provider.

:func:`create_app` wires one :class:`SimulatorState` (kept in
``app.state.sim``) to the routes: chat completions and models from
``routes.py``, and the routers of ``embeddings``, ``files``, ``batch``, ``admin``,
``ratelimit`` and ``faults`` (plus the fault-injection middleware). It installs
the OpenAI-shaped error handlers, a request-body size limit (413) and a
last-resort 500 that keeps the connection usable. Where the
rate limiter and fault injector are called is described in ``hooks.py``.
Serving the app (uvicorn, threads, ports) is ``server.py``'s job.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI

from . import admin, batch, embeddings, faults, files, openapi, ratelimit
from .errors import APIError, install_error_handlers, send_error
from .state import SimulatorState

log = logging.getLogger("course_lib.simulator")


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``state.max_body_bytes`` with 413.

    A declared ``content-length`` over the limit is refused at once; otherwise the
    body (chunked or not) is read up to the limit before the app sees it, so a
    chunked body that grows too big is a 413 too, not a parse error.
    """

    def __init__(self, app, state: SimulatorState):
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.state.max_body_bytes
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    return await send_error(send, _too_large(limit), close=True)
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":   # the client went away
                return None
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                return await send_error(send, _too_large(limit), close=True)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()       # after the body: wait for a disconnect

        await self.app(scope, replay, send)


def _too_large(limit: int) -> APIError:
    return APIError(413, f"Request body too large: the limit is {limit} bytes.", code="request_too_large")


class CatchAll:
    """ASGI middleware: a bug of ours becomes a 500 in OpenAI's shape on a usable connection.

    Starlette's own last-resort handler re-raises after answering, and uvicorn
    then drops the keep-alive connection without saying so; here the error is
    logged and answered, and the connection stays open for the next request.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:      # half a response is out (a stream): nothing else to do
                raise
            await send_error(send, APIError(500, "The server had an error while processing your "
                                            "request.", type="server_error"))


def create_app(state: SimulatorState | None = None) -> FastAPI:
    """Build the app around ``state`` (a fresh default state if omitted).

    >>> app = create_app(SimulatorState(admin_key="sk-admin-doc"))
    >>> app.state.sim.admin_key, "/v1/chat/completions" in app.openapi()["paths"]
    ('sk-admin-doc', True)
    """
    from .routes import router as core_router

    state = state if state is not None else SimulatorState()
    app = FastAPI(title="costlab simulated provider",
                  description="Proveedor simulado compatible con la API de OpenAI (curso Módulo C).",
                  version="1.0")
    app.state.sim = state

    def document():            # built once, with typed answers, errors and the bearer scheme
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi
            app.openapi_schema = openapi.finish(get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = document
    install_error_handlers(app)
    app.include_router(core_router)
    for module in (embeddings, files, batch, admin, ratelimit, faults):
        app.include_router(module.router)
    faults.install(app)
    app.add_middleware(BodyLimit, state=state)
    app.add_middleware(CatchAll)        # outermost of ours: sees every other middleware's bugs
    return app
