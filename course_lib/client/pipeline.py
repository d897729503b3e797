"""The client pipeline: an ordered chain of middlewares around each model call.

Every ``chat.completions.create`` and ``embeddings.create`` of a client made
by ``connect()`` becomes a :class:`Call` that passes through the middlewares,
outermost first, and then reaches the provider (the *transport*). A middleware
is any callable ``middleware(call, call_next) -> response``: it may change
``call.params`` on the way in, answer without calling ``call_next`` (a cache
hit), call it several times (a cascade's escalations) or refuse (a budget).

Middlewares sit in named slots whose order is fixed, so the labs plug in
without caring who else is there:

1. ``"cache"``   — response cache (lab 2): a hit costs nothing and skips the rest;
2. ``"router"``  — router or cascade (lab 3): chooses the model; each escalation
   is a new attempt;
3. ``"guard"``   — budget guard (lab 4): sees every provider attempt with its
   model, reserves its worst case, may refuse or degrade;
4. ``"recorder"`` — the recorder (always last): one ledger row per attempt.

Several middlewares in one slot run in the order they were added.

>>> seen = []
>>> def shout(call, call_next):
...     seen.append(call.params["model"])
...     return call_next(call).upper()
>>> pipe = Pipeline(transport=lambda call: "hola")
>>> pipe.use(shout, slot="router")
>>> pipe.handle(Call("chat.completions", {"model": "gpt-4o-mini"}))
'HOLA'
>>> seen, [m.name for m in pipe.middlewares]
(['gpt-4o-mini'], ['shout'])

This module knows nothing of HTTP, prices or ledgers: the recorder
(``course_lib.client.recorder``) and the SDK wiring (``course_lib.client.sdk``)
build on it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

Endpoint = Literal["chat.completions", "embeddings"]
Slot = Literal["cache", "router", "guard", "recorder"]
SLOTS: tuple[str, ...] = ("cache", "router", "guard", "recorder")
CallNext = Callable[["Call"], Any]
Middleware = Callable[["Call", CallNext], Any]


@dataclass
class Call:
    """One call of the application: what it asked for and what happened on the way.

    ``params`` are the keyword arguments of ``create()`` (middlewares may change
    them); ``notes`` is where middlewares leave information for each other and
    for the recorder (for example ``notes["answered_by"] = "response_cache"``);
    ``attempts`` lists the provider attempts the recorder saw.
    """

    endpoint: Endpoint
    params: dict
    call_id: str = field(default_factory=lambda: f"call_{uuid.uuid4().hex[:20]}")
    notes: dict = field(default_factory=dict)
    attempts: list = field(default_factory=list)

    @property
    def model(self) -> str:
        return str(self.params.get("model", ""))


class CallRefused(Exception):
    """A middleware's deliberate refusal (a budget cap, a privacy rule).

    It reaches the caller unchanged, not wrapped in :class:`MiddlewareError`;
    its message is already meant for the learner.
    """


class MiddlewareError(RuntimeError):
    """A middleware crashed; names it, keeps the original exception as ``__cause__``."""

    def __init__(self, name: str, slot: str, original: BaseException, *, reached_provider: bool):
        self.middleware, self.slot, self.original = name, slot, original
        where = ("después de llamar al proveedor" if reached_provider
                 else "antes de llamar al proveedor")
        super().__init__(
            f"El middleware «{name}» (hueco «{slot}») falló {where}: "
            f"{type(original).__name__}: {original}. Corrige ese middleware o quítalo con "
            f"client.pipeline.remove({name!r}); la llamada queda registrada como fallida.")


@dataclass(frozen=True)
class Installed:
    """A middleware in its slot."""

    name: str
    slot: str
    middleware: Middleware


def _name_of(middleware) -> str:
    name = getattr(middleware, "name", None) or getattr(middleware, "__name__", None)
    return str(name or type(middleware).__name__)


class Pipeline:
    """Middlewares in slot order around a transport ``transport(call) -> response``.

    ``recorder`` is an optional object with ``attempt(call, call_next)`` (placed
    last, around the transport), ``finish(call, response)`` and
    ``fail(call, exc, stage)`` (called once per call, after the chain), so a
    call answered without the provider, or one that failed before reaching
    it, still leaves exactly one record.
    """

    def __init__(self, *, transport: Callable[[Call], Any], recorder=None):
        self.transport = transport
        self.recorder = recorder
        self._installed: list[Installed] = []

    # -- composition ------------------------------------------------------------------

    def use(self, middleware: Middleware, *, slot: Slot, name: str | None = None) -> None:
        """Add ``middleware`` at the end of ``slot``.

        >>> Pipeline(transport=print).use(lambda c, n: n(c), slot="caché")
        Traceback (most recent call last):
        ...
        ValueError: Hueco desconocido 'caché': usa uno de cache, router, guard.
        """
        if slot not in SLOTS or slot == "recorder":
            raise ValueError(f"Hueco desconocido {slot!r}: usa uno de cache, router, guard.")
        if not callable(middleware):
            raise TypeError(f"Un middleware es una función (call, call_next) -> respuesta; "
                            f"recibí {type(middleware).__name__}.")
        name = name or _name_of(middleware)
        if any(m.name == name for m in self._installed):
            raise ValueError(f"Ya hay un middleware llamado {name!r}; dale otro nombre con name=.")
        self._installed.append(Installed(name, slot, middleware))
        self._installed.sort(key=lambda m: SLOTS.index(m.slot))  # stable: order kept in a slot

    def remove(self, name: str) -> Middleware:
        """Take out the middleware called ``name`` and return it."""
        for i, installed in enumerate(self._installed):
            if installed.name == name:
                return self._installed.pop(i).middleware
        raise KeyError(f"No hay ningún middleware llamado {name!r}. "
                       f"Instalados: {', '.join(self.names) or 'ninguno'}.")

    @property
    def middlewares(self) -> tuple[Installed, ...]:
        """The installed middlewares, outermost first (the recorder not included)."""
        return tuple(self._installed)

    @property
    def names(self) -> list[str]:
        return [m.name for m in self._installed]

    # -- running ----------------------------------------------------------------------

    def handle(self, call: Call, *, transport: Callable[[Call], Any] | None = None):
        """Run ``call`` through every middleware and the transport; return the response.

        ``transport`` overrides the pipeline's own for this call (clients that share one
        pipeline, such as ``client.with_options(...)`` copies, each send with their own).
        """
        chain = self._chain(transport or self.transport)
        try:
            response = chain(call)
        except BaseException as exc:
            if self.recorder is not None:
                self.recorder.fail(call, exc, stage=call.notes.get("failed_in", "transport"))
            raise
        if self.recorder is not None:
            self.recorder.finish(call, response)
        return response

    def _chain(self, transport) -> CallNext:
        if transport is None:
            raise RuntimeError("La tubería no tiene transporte: créala con connect().")
        step = transport
        if self.recorder is not None:
            step = _bind(self.recorder.attempt, step)
        for installed in reversed(self._installed):
            step = _guarded(installed, step)
        return step


def _bind(middleware: Middleware, call_next: CallNext) -> CallNext:
    return lambda call: middleware(call, call_next)


def _guarded(installed: Installed, call_next: CallNext) -> CallNext:
    """Run one middleware; an exception it raises itself becomes a named MiddlewareError."""

    def downstream(call: Call):
        try:
            return call_next(call)
        except BaseException as exc:
            call.notes.setdefault("_downstream_errors", set()).add(id(exc))
            raise

    def step(call: Call):
        try:
            return installed.middleware(call, downstream)
        except Exception as exc:
            if id(exc) in call.notes.get("_downstream_errors", ()):
                raise                   # a provider error passing through: not this middleware's
            call.notes.setdefault("failed_in", installed.name)
            if isinstance(exc, (CallRefused, MiddlewareError)):
                raise                   # a deliberate refusal, already meant for the caller
            raise MiddlewareError(installed.name, installed.slot, exc,
                                  reached_provider=bool(call.attempts)) from exc

    return step
