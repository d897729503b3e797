"""The FastAPI application of the simulated provider.

:func:`create_app` wires one :class:`SimulatorState` (kept in
``app.state.sim``) to the routes: chat completions and models from
``routes.py``, and the optional routers ``embeddings.router``,
``batch.router``, ``admin.router``, ``ratelimit.router`` and ``faults.router``
when those modules exist (a module's ``install(app)`` is called too). It installs
the OpenAI-shaped error handlers and a request-body size limit (413). Where the
rate limiter and fault injector are called is described in ``hooks.py``.
Serving the app (uvicorn, threads, ports) is ``server.py``'s job.
"""

from __future__ import annotations

import importlib
import json

from fastapi import FastAPI

from .errors import error_body, install_error_handlers
from .state import SimulatorState

OPTIONAL_ROUTERS = ("embeddings", "batch", "admin", "ratelimit", "faults")


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
                    return await _send_413(send, limit)
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
            await _send_413(send, limit)


class _BodyTooLarge(Exception):
    pass


async def _send_413(send, limit: int) -> None:
    body = json.dumps(error_body(f"Request body too large: the limit is {limit} bytes.",
                                 code="request_too_large")).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _optional_module(name: str):
    try:
        module = importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith(name):
            return None
        raise
    return module


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
    for name in OPTIONAL_ROUTERS:
        module = _optional_module(name)
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
        if callable(getattr(module, "install", None)):
            module.install(app)  # e.g. the fault-injection middleware
    app.add_middleware(BodyLimit, state=state)
    return app
