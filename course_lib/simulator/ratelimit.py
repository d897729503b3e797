"""Rate limits per API key and model (requests and tokens per minute).

Each (key, model) pair has two token buckets on the simulator's clock: one of
requests (capacity RPM) and one of tokens (capacity TPM). A bucket starts
full and refills continuously at ``limit / 60`` per second, so a limit of 60
RPM lets one request through per second once the burst is spent — the way
OpenAI enforces its per-minute limits over shorter periods. A request passes
when both buckets hold enough (1 request, its tokens); it then takes them.
Buckets live in a ``cachetools.TTLCache`` on the same clock: a bucket unused
for 60 s has refilled completely, so forgetting it changes nothing.

Routes call :meth:`RateLimiter.check`, which returns OpenAI's headers
(``x-ratelimit-limit-*``, ``x-ratelimit-remaining-*``, ``x-ratelimit-reset-*``)
or raises HTTP 429 with ``retry-after``, after which the ``openai`` SDK
retries; :meth:`RateLimiter.decide` gives the same :class:`Decision` without
raising. Limits come from the model catalogue unless overridden for an
exercise with :meth:`RateLimiter.set_limits` or ``POST /v1/simulator/rate_limits``.

It does not count tokens (the caller passes prompt tokens plus the maximum
output, as OpenAI does), queue requests, or model limits per organization,
per project, per day or on batch queues. Keys are kept as
:func:`course_lib.simulator.auth.key_id` (a raw key is hashed on arrival).

>>> now = [0.0]
>>> limiter = RateLimiter(lambda: now[0])
>>> [limiter.decide("key_a", "gpt-4o", 10, rpm=2, tpm=1000).allowed for _ in range(3)]
[True, True, False]
>>> limiter.decide("key_a", "gpt-4o", 10, rpm=2, tpm=1000).retry_after
30.0
>>> now[0] = 30.0
>>> limiter.check("key_a", "gpt-4o", 10, rpm=2, tpm=1000)["x-ratelimit-remaining-requests"]
'0'
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Callable, Literal

from cachetools import TTLCache
from fastapi import APIRouter, Body, Depends, Request

from . import openapi
from .auth import key_id, require_admin_key
from .errors import APIError

Reason = Literal["", "requests", "tokens", "too_large"]
ANY = "*"
EMBEDDING_RPM, EMBEDDING_TPM = 3_000, 1_000_000   # OpenAI's tier-1 figures for embeddings
REFILL_SECONDS = 60.0                             # an idle bucket is full again after this
MAX_BUCKETS = 100_000


def format_reset(seconds: float) -> str:
    """A wait in the Go-duration style of OpenAI's reset headers.

    >>> format_reset(0.017), format_reset(1), format_reset(1.5), format_reset(360)
    ('17ms', '1s', '1.5s', '6m0s')
    """
    seconds = max(0.0, seconds)
    if seconds < 1:
        return f"{math.ceil(seconds * 1000)}ms"
    minutes, secs = divmod(round(seconds, 3), 60)
    secs_text = f"{secs:.3f}".rstrip("0").rstrip(".")
    if minutes >= 60:
        return f"{int(minutes // 60)}h{int(minutes % 60)}m{secs_text}s"
    return f"{int(minutes)}m{secs_text}s" if minutes else f"{secs_text}s"


def _scope_key(api_key: str) -> str:
    """Key ids and ``"*"`` as they are; a raw key becomes its id (never kept)."""
    return api_key if api_key == ANY or api_key.startswith("key_") else key_id(api_key)


@dataclass
class _Bucket:
    level: float
    at: float

    def refill(self, now: float, capacity: float) -> None:
        self.level = min(capacity, self.level + max(0.0, now - self.at) * capacity / 60.0)
        self.at = max(self.at, now)


@dataclass(frozen=True)
class Decision:
    """The outcome of one check: allowed or not, the headers, the wait."""

    allowed: bool
    headers: dict[str, str] = field(default_factory=dict)
    retry_after: float = 0.0
    reason: Reason = ""
    message: str = ""

    def error(self) -> APIError:
        """The 429 in OpenAI's shape for a refused request (headers included)."""
        headers = dict(self.headers)
        if self.reason == "too_large":
            headers["x-should-retry"] = "false"  # waiting cannot help
        else:
            headers["retry-after"] = str(max(1, math.ceil(self.retry_after)))
            headers["retry-after-ms"] = str(max(1, math.ceil(self.retry_after * 1000)))
        kind = "requests" if self.reason == "requests" else "tokens"
        return APIError(429, self.message, type=kind, code="rate_limit_exceeded", headers=headers)


class RateLimiter:
    """Token buckets per (key, model) on ``clock`` (a callable giving seconds).

    ``clock`` may also be a simulator state: its ``clock`` is then used, and
    its catalogue gives each model's limits when :meth:`check` is not told them.
    """

    def __init__(self, clock: Callable[[], float]):
        self._state = clock if hasattr(clock, "catalog") else None
        self.clock = getattr(clock, "clock", clock)
        self._buckets: TTLCache = TTLCache(MAX_BUCKETS, REFILL_SECONDS, timer=self.clock)
        self._overrides: dict[tuple[str, str], dict[str, int | None]] = {}
        self._lock = threading.Lock()

    def set_limits(self, *, model: str = ANY, api_key: str = ANY,
                   rpm: int | None = None, tpm: int | None = None) -> None:
        """Override the catalogue's limits (e.g. tiny ones for an exercise).

        ``model``/``api_key`` ``"*"`` match all; for each of ``rpm`` and ``tpm``
        the most specific override that sets it wins. A dimension left ``None``
        keeps the limit it had (a less specific override's, or the catalogue's).

        >>> limiter = RateLimiter(lambda: 0.0)
        >>> limiter.set_limits(model="gpt-4o-mini", rpm=1)
        >>> limiter.limits_for("key_a", "gpt-4o-mini", rpm=500, tpm=200_000)
        (1, 200000)
        """
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} debe ser un entero ≥ 1 o None (se mantiene el límite que tenía), no {value!r}.")
        with self._lock:
            scope = (_scope_key(api_key), model)
            merged = {**self._overrides.get(scope, {})}
            merged.update({k: v for k, v in (("rpm", rpm), ("tpm", tpm)) if v is not None})
            self._overrides[scope] = merged

    def clear(self) -> None:
        """Forget every override and refill every bucket."""
        with self._lock:
            self._overrides.clear()
            self._buckets.clear()

    def overrides(self) -> list[dict]:
        """The overrides in force, for the admin API."""
        with self._lock:
            return [{"api_key_id": k, "model": m, "rpm": v.get("rpm"), "tpm": v.get("tpm")}
                    for (k, m), v in self._overrides.items()]

    def limits_for(self, api_key: str, model: str, *, rpm: int | None,
                   tpm: int | None) -> tuple[int | None, int | None]:
        """The (rpm, tpm) in force: per dimension, the most specific override, else the given one."""
        api_key = _scope_key(api_key)
        found = {"rpm": rpm, "tpm": tpm}
        for name in found:
            for scope in ((api_key, model), (api_key, ANY), (ANY, model), (ANY, ANY)):
                if self._overrides.get(scope, {}).get(name) is not None:
                    found[name] = self._overrides[scope][name]
                    break
        return found["rpm"], found["tpm"]

    def catalog_limits(self, model: str) -> tuple[int | None, int | None]:
        """(rpm, tpm) of ``model`` in the state's catalogue (embedding defaults otherwise)."""
        profile = self._state.catalog.get(model) if self._state is not None else None
        if profile is None:
            return EMBEDDING_RPM, EMBEDDING_TPM
        return profile.rpm, profile.tpm

    def check(self, api_key: str, model: str, tokens: int, *, rpm: int | None = None,
              tpm: int | None = None) -> dict[str, str]:
        """The ``x-ratelimit-*`` headers if allowed; raise the 429 :class:`APIError` if not.

        Without ``rpm``/``tpm`` the catalogue's limits of ``model`` apply.
        """
        if rpm is None and tpm is None:
            rpm, tpm = self.catalog_limits(model)
        decision = self.decide(api_key, model, tokens, rpm=rpm, tpm=tpm)
        if not decision.allowed:
            raise decision.error()
        return decision.headers

    def decide(self, api_key: str, model: str, tokens: int, *, rpm: int | None,
               tpm: int | None) -> Decision:
        """Take 1 request and ``tokens`` tokens if both buckets allow it."""
        tokens = max(0, int(tokens))
        api_key = _scope_key(api_key)
        with self._lock:
            rpm, tpm = self.limits_for(api_key, model, rpm=rpm, tpm=tpm)
            now = self.clock()
            wanted = {"requests": (rpm, 1), "tokens": (tpm, tokens)}
            buckets = {}
            for kind, (limit, _) in wanted.items():
                if limit is None:
                    continue
                bucket = self._buckets.get((api_key, model, kind)) or _Bucket(float(limit), now)
                bucket.refill(now, limit)
                self._buckets[(api_key, model, kind)] = bucket   # stored again: its expiry restarts
                buckets[kind] = bucket
            if tpm is not None and tokens > tpm:
                return Decision(False, self._headers(buckets, wanted), 0.0, "too_large",
                                f"Request too large for {model} on tokens per min (TPM): Limit {tpm}, "
                                f"Requested {tokens}. The input or output tokens must be reduced "
                                "in order to run successfully.")
            waits = {kind: (need - buckets[kind].level) * 60.0 / limit
                     for kind, (limit, need) in wanted.items()
                     if kind in buckets and buckets[kind].level < need}
            if waits:
                kind = max(waits, key=waits.get)
                limit, need = wanted[kind]
                used = limit - math.floor(buckets[kind].level)
                wait = round(waits[kind], 3)
                unit = "RPM" if kind == "requests" else "TPM"
                return Decision(False, self._headers(buckets, wanted), wait, kind,
                                f"Rate limit reached for {model} on {kind} per min ({unit}): "
                                f"Limit {limit}, Used {used}, Requested {need}. Please try again "
                                f"in {format_reset(wait)}.")
            for kind, bucket in buckets.items():
                bucket.level -= wanted[kind][1]
            return Decision(True, self._headers(buckets, wanted))

    @staticmethod
    def _headers(buckets: dict[str, _Bucket], wanted: dict) -> dict[str, str]:
        headers = {}
        for kind, bucket in buckets.items():
            limit = wanted[kind][0]
            headers[f"x-ratelimit-limit-{kind}"] = str(limit)
            headers[f"x-ratelimit-remaining-{kind}"] = str(max(0, math.floor(bucket.level)))
            headers[f"x-ratelimit-reset-{kind}"] = format_reset((limit - bucket.level) * 60.0 / limit)
        return headers


# -- admin route: set limits for an exercise -------------------------------------

router = APIRouter(dependencies=[Depends(require_admin_key)])


@router.get("/v1/simulator/rate_limits", tags=["simulator"], response_model=None,
             responses=openapi.responses(openapi.RATE_LIMITS))
def list_rate_limits(request: Request) -> dict:
    """The rate-limit overrides in force."""
    return {"object": "list", "data": request.app.state.sim.limiter.overrides()}


@router.post("/v1/simulator/rate_limits", tags=["simulator"], response_model=None,
             responses=openapi.responses(openapi.RATE_LIMITS))
def set_rate_limits(request: Request, body: dict = Body(..., examples=[{"model": "gpt-4o-mini", "rpm": 3}])) -> dict:
    """Override RPM/TPM for a model and/or key id (``"*"`` = all); ``{"reset": true}`` clears."""
    limiter = request.app.state.sim.limiter
    if body.get("reset") is True:
        limiter.clear()
        return {"object": "list", "data": []}
    model, key = body.get("model", ANY), body.get("api_key_id", ANY)
    if not isinstance(model, str) or not isinstance(key, str):
        raise APIError(400, "'model' y 'api_key_id' deben ser textos ('*' para todos).", param="model")
    try:
        limiter.set_limits(model=model, api_key=key, rpm=body.get("rpm"), tpm=body.get("tpm"))
    except ValueError as exc:
        raise APIError(400, str(exc), param="rpm") from None
    return {"object": "list", "data": limiter.overrides()}
