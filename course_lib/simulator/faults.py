"""Fault injection on demand: server errors and slow answers for reliability drills.

Two ways to ask for trouble:

* per request, the header ``x-simulator-fault: 500|502|503|timeout|slow``
  (optionally ``x-simulator-fault-delay: <seconds>``) makes that request fail;
* for a share of traffic, :meth:`FaultInjector.configure` (or the admin route
  ``POST /v1/simulator/faults``) sets a rate, the kinds, a delay and, optionally,
  how many faults to inject before going quiet.

Which requests fail is decided by a hash of the seed and the request's number
among the eligible ones, so the same sequence of calls meets the same faults.
``500``/``502``/``503`` answer at once in OpenAI's error shape (the SDK retries
them); ``timeout`` waits ``delay_s`` and answers 504, so a client whose timeout
is shorter gives up first; ``slow`` waits ``delay_s`` and then serves the request.
Delays are real ``asyncio`` sleeps: client timeouts run on real time.

Routes call :meth:`FaultInjector.check` before doing any work (configured
faults); :class:`FaultMiddleware` serves the per-request header on every path.
Failed requests never reach the ledger, like a provider that does not bill its
own errors. It does not simulate dropped connections, partial streams or wrong
answers.

>>> faults = FaultInjector(seed=7)
>>> faults.configure(rate=0.5, kinds=["503"])
>>> [f.status if f else None for f in map(faults.maybe_fail, range(6))]
[503, None, 503, None, None, None]
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from dataclasses import asdict, dataclass, field

from fastapi import APIRouter, Body, Depends, Request

from . import openapi
from .auth import require_admin_key
from .errors import APIError, send_error

KINDS = ("500", "502", "503", "timeout", "slow")
DEFAULT_PATHS = ("/v1/chat/completions", "/v1/embeddings")
_MESSAGES = {
    500: "The server had an error while processing your request. Sorry about that!",
    502: "Bad gateway.",
    503: "The server is overloaded or not ready yet.",
    504: "Gateway timeout: the model took too long to answer.",
}


@dataclass(frozen=True)
class Fault:
    """One injected fault: wait ``delay_s``, then answer ``status`` (or serve if ``None``)."""

    kind: str
    status: int | None
    delay_s: float = 0.0

    @classmethod
    def of(cls, kind: str, delay_s: float = 2.0) -> "Fault":
        if kind not in KINDS:
            raise ValueError(f"Tipo de fallo desconocido {kind!r}; usa uno de {', '.join(KINDS)}.")
        if kind in ("timeout", "slow"):
            return cls(kind, 504 if kind == "timeout" else None, float(delay_s))
        return cls(kind, int(kind), 0.0)

    def error(self) -> APIError:
        return APIError(self.status, _MESSAGES[self.status], type="server_error")


@dataclass
class FaultConfig:
    rate: float = 0.0
    kinds: list[str] = field(default_factory=lambda: ["500"])
    delay_s: float = 2.0
    count: int | None = None            # faults still to inject; None = no cap
    paths: list[str] = field(default_factory=lambda: list(DEFAULT_PATHS))


class FaultInjector:
    """Decides, deterministically, which requests fail. Quiet until configured."""

    def __init__(self, state=None, *, seed: int | None = None):
        self.seed = int(seed if seed is not None else getattr(state, "seed", 0))
        self.config = FaultConfig()
        self._counter = 0
        self._lock = threading.Lock()

    def configure(self, *, rate: float = 1.0, kinds=("500",), delay_s: float = 2.0,
                  count: int | None = None, paths=DEFAULT_PATHS, seed: int | None = None) -> None:
        """Fail a share ``rate`` of eligible requests (all of them by default)."""
        kinds = [str(k) for k in kinds]
        if not 0.0 <= float(rate) <= 1.0:
            raise ValueError(f"rate debe estar entre 0 y 1, no {rate!r}.")
        if not kinds or any(k not in KINDS for k in kinds):
            raise ValueError(f"kinds debe ser una lista no vacía de {', '.join(KINDS)}.")
        if not 0.0 <= float(delay_s) <= 600.0:
            raise ValueError("delay_s debe estar entre 0 y 600 segundos.")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise ValueError("count debe ser un entero ≥ 0 o None (sin tope).")
        if isinstance(paths, str) or not all(isinstance(p, str) and p.startswith("/") for p in paths):
            raise ValueError("paths debe ser una lista de rutas que empiezan por '/'.")
        with self._lock:
            self.config = FaultConfig(float(rate), kinds, float(delay_s), count, list(paths))
            self._counter = 0
            if seed is not None:
                self.seed = int(seed)

    def clear(self) -> None:
        """Stop injecting faults."""
        with self._lock:
            self.config = FaultConfig()
            self._counter = 0

    def applies_to(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.config.paths)

    def maybe_fail(self, counter: int | None = None) -> Fault | None:
        """The fault for request number ``counter`` (next one if ``None``), or ``None``."""
        with self._lock:
            cfg = self.config
            if counter is None:
                counter, self._counter = self._counter, self._counter + 1
            if cfg.rate <= 0.0 or cfg.count == 0:
                return None
            digest = hashlib.blake2b(f"{self.seed}:{counter}".encode(), digest_size=16).digest()
            draw = int.from_bytes(digest[:8], "big") / 2**64
            if draw >= cfg.rate:
                return None
            if cfg.count is not None:
                cfg.count -= 1
            kind = cfg.kinds[int.from_bytes(digest[8:], "big") % len(cfg.kinds)]
            return Fault.of(kind, cfg.delay_s)

    async def check(self, route: str, *, model: str | None = None, api_key: str | None = None) -> float:
        """Hook for routes: raise the injected error, or return the seconds to delay.

        A ``timeout`` fault sleeps here first, then raises 504.
        """
        if not self.applies_to(route):
            return 0.0
        fault = self.maybe_fail()
        if fault is None:
            return 0.0
        if fault.status is None:
            return fault.delay_s
        if fault.delay_s:
            await asyncio.sleep(fault.delay_s)
        raise fault.error()

    def describe(self) -> dict:
        return {"object": "simulator.faults", "seed": self.seed, **asdict(self.config)}


def fault_from_headers(headers: dict[str, str]) -> Fault | None:
    """The fault a request asks for with ``x-simulator-fault``; ``APIError`` if malformed.

    >>> fault_from_headers({"x-simulator-fault": "slow", "x-simulator-fault-delay": "0.5"})
    Fault(kind='slow', status=None, delay_s=0.5)
    """
    kind = headers.get("x-simulator-fault")
    if kind is None:
        return None
    try:
        delay = float(headers.get("x-simulator-fault-delay", "2"))
        if not 0.0 <= delay <= 600.0:
            raise ValueError("x-simulator-fault-delay debe estar entre 0 y 600 segundos.")
        return Fault.of(kind.strip(), delay)
    except ValueError as exc:
        raise APIError(400, f"Cabecera x-simulator-fault no válida: {exc}", param="x-simulator-fault") from None


class FaultMiddleware:
    """ASGI middleware: serve ``x-simulator-fault`` headers before routing."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            fault = fault_from_headers(headers)
        except APIError as exc:
            return await send_error(send, exc)
        if fault is None:
            return await self.app(scope, receive, send)
        if fault.delay_s:
            await asyncio.sleep(fault.delay_s)
        if fault.status is None:
            return await self.app(scope, receive, send)
        await send_error(send, fault.error())


def install(app) -> None:
    """Add :class:`FaultMiddleware` to a FastAPI app."""
    app.add_middleware(FaultMiddleware)


# -- admin route ---------------------------------------------------------------

router = APIRouter(dependencies=[Depends(require_admin_key)])


@router.get("/v1/simulator/faults", tags=["simulator"], response_model=None,
             responses=openapi.responses(openapi.FAULTS))
def get_faults(request: Request) -> dict:
    """The fault-injection settings in force."""
    return request.app.state.sim.faults.describe()


@router.post("/v1/simulator/faults", tags=["simulator"], response_model=None,
             responses=openapi.responses(openapi.FAULTS))
def set_faults(request: Request, body: dict = Body(..., examples=[{"rate": 0.3, "kinds": ["503"]}])) -> dict:
    """Inject faults: ``{"rate", "kinds", "delay_s", "count", "paths", "seed"}``."""
    faults = request.app.state.sim.faults
    allowed = {"rate", "kinds", "delay_s", "count", "paths", "seed"}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise APIError(400, f"Campos desconocidos: {', '.join(unknown)}. Válidos: {', '.join(sorted(allowed))}.",
                       param=unknown[0])
    try:
        faults.configure(**body)
    except (TypeError, ValueError) as exc:
        raise APIError(400, f"Configuración de fallos no válida: {exc}") from None
    return faults.describe()


@router.delete("/v1/simulator/faults", tags=["simulator"], response_model=None,
             responses=openapi.responses(openapi.FAULTS))
def clear_faults(request: Request) -> dict:
    """Stop injecting faults."""
    request.app.state.sim.faults.clear()
    return request.app.state.sim.faults.describe()
