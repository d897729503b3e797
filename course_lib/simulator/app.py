"""The FastAPI application of the simulated provider.

:func:`create_app` wires one :class:`SimulatorState` (kept in
``app.state.sim``) to the routes: chat completions and models from
``routes.py``, and the routers of ``embeddings``, ``batch``, ``admin``,
``ratelimit`` and ``faults`` (plus the fault-injection middleware). It installs
the OpenAI-shaped error handlers and a request-body size limit (413). Where the
rate limiter and fault injector are called is described in ``hooks.py``.
Serving the app (uvicorn, threads, ports) is ``server.py``'s job.
"""

from __future__ import annotations

from fastapi import FastAPI

from . import admin, batch, embeddings, faults, ratelimit
from .errors import APIError, install_error_handlers, send_error
from .state import SimulatorState


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``state.max_body_bytes`` with 413."""

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
                    return await send_error(send, _too_large(limit))
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _BodyTooLarge:
            await send_error(send, _too_large(limit))


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> APIError:
    return APIError(413, f"Request body too large: the limit is {limit} bytes.", code="request_too_large")


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
    install_error_handlers(app)
    app.include_router(core_router)
    for module in (embeddings, batch, admin, ratelimit, faults):
        app.include_router(module.router)
    faults.install(app)
    app.add_middleware(BodyLimit, state=state)
    return app
