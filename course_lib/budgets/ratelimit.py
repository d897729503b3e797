"""A client-side rate limiter: token buckets on requests and tokens per minute, per model.

:class:`RateLimiter` is a pipeline middleware (install it **last** in the
``"guard"`` slot, inside the budget guard). Before each attempt it estimates
the request's tokens the way OpenAI does (characters / 4 plus the output
budget ``max_tokens`` × ``n``) and waits until both buckets of the model hold
enough; a bucket refills continuously at ``limit / 60`` per second. Limits
are given (``rpm=``, ``tpm=``) or learnt from the provider: every answer's
``x-ratelimit-limit-*`` headers set the capacity and ``x-ratelimit-remaining-*``
lower the local level to what the server says is left (other clients share
the key). A 429 that still happens is honoured: the limiter waits
``retry-after-ms`` / ``retry-after`` and tries again, up to ``max_retries``.

To read the headers of an ordinary (non-stream) answer it asks the SDK for
the raw response and returns ``response.parse()`` — the same object the
caller would get. ``clock``/``sleep`` are injectable so a simulated clock
(``clock=sim.clock``, ``sleep=sim.clock.advance``) measures throughput
exactly.

>>> now = [0.0]
>>> rl = RateLimiter(rpm=2, tpm=1_000, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
>>> [rl.acquire("gpt-4o", 10) for _ in range(3)], now[0]
([0.0, 0.0, 30.0], 30.0)

Left out: limits per organization or per day, batch queues, sharing one bucket between processes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

RAW = "X-Stainless-Raw-Response"


@dataclass
class _Bucket:
    capacity: float | None          # None: not known yet (no limit applied)
    level: float
    at: float

    def refill(self, now: float) -> None:
        if self.capacity is not None:
            self.level = min(self.capacity, self.level + max(0.0, now - self.at) * self.capacity / 60.0)
        self.at = max(self.at, now)

    def wait_for(self, need: float) -> float:
        if self.capacity is None or self.level >= need:
            return 0.0
        return (min(need, self.capacity) - self.level) * 60.0 / self.capacity


def estimate_tokens(params: dict) -> int:
    """OpenAI's rate-limit estimate of a chat request.

    >>> estimate_tokens({"messages": [{"role": "user", "content": "x" * 40}], "max_tokens": 100, "n": 2})
    210
    """
    chars = 0
    for m in params.get("messages") or []:
        content = m.get("content") if isinstance(m, dict) else None
        if isinstance(content, str):
            chars += len(content)
        elif isinstance(content, list):
            chars += sum(len(str(p.get("text", ""))) for p in content if isinstance(p, dict))
    out = params.get("max_completion_tokens") or params.get("max_tokens") or 0
    return chars // 4 + int(out) * max(int(params.get("n") or 1), 1)


def _seconds(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


class RateLimiter:
    """``limiter(call, call_next)``: wait for room in the RPM and TPM buckets, then call."""

    name = "rate_limiter"

    def __init__(self, *, rpm: int | None = None, tpm: int | None = None, clock=time.monotonic,
                 sleep=time.sleep, max_retries: int = 5, read_headers: bool = True):
        for what, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{what} debe ser un entero ≥ 1 o None (se aprende de las cabeceras), no {value!r}.")
        self.rpm, self.tpm, self.clock, self.sleep = rpm, tpm, clock, sleep
        self.max_retries, self.read_headers = max_retries, read_headers
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()
        self.throttled = 0           # 429 answers received
        self.waited = 0.0            # seconds spent waiting, in the limiter's clock

    def _bucket(self, model: str, kind: str, now: float) -> _Bucket:
        b = self._buckets.get((model, kind))
        if b is None:
            cap = self.rpm if kind == "requests" else self.tpm
            b = self._buckets[(model, kind)] = _Bucket(None if cap is None else float(cap),
                                                       float(cap or 0), now)
        b.refill(now)
        return b

    def acquire(self, model: str, tokens: int) -> float:
        """Wait until 1 request and ``tokens`` tokens fit, take them; the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                req, tok = self._bucket(model, "requests", now), self._bucket(model, "tokens", now)
                wait = max(req.wait_for(1), tok.wait_for(tokens))
                if wait <= 0:
                    if req.capacity is not None:
                        req.level -= 1
                    if tok.capacity is not None:
                        tok.level -= min(tokens, tok.capacity)
                    self.waited += waited
                    return waited
            wait = max(wait, 0.001)        # a clock in unix seconds cannot move by less than ~1e-6 s
            self.sleep(wait)
            waited += wait

    def observe(self, model: str, headers) -> None:
        """Learn from ``x-ratelimit-*`` headers: capacities, and the level the server has left."""
        if not headers:
            return
        with self._lock:
            now = self.clock()
            for kind in ("requests", "tokens"):
                limit = _seconds(headers.get(f"x-ratelimit-limit-{kind}"))
                left = _seconds(headers.get(f"x-ratelimit-remaining-{kind}"))
                b = self._bucket(model, kind, now)
                if limit:
                    if b.capacity is None:
                        b.level = limit if left is None else left
                    b.capacity = limit
                if left is not None and b.capacity is not None:
                    b.level = min(b.level, left)

    def __call__(self, call, call_next):
        if call.endpoint != "chat.completions":
            return call_next(call)
        tokens, model = estimate_tokens(call.params), call.model
        raw = self.read_headers and not call.params.get("stream")
        if raw and RAW not in (call.params.get("extra_headers") or {}):
            call.params = {**call.params, "extra_headers": {**(call.params.get("extra_headers") or {}), RAW: "true"}}
        else:
            raw = False
        for attempt in range(self.max_retries + 1):
            self.acquire(model, tokens)
            try:
                response = call_next(call)
            except Exception as exc:
                if getattr(exc, "status_code", None) != 429 or attempt == self.max_retries:
                    raise
                self._throttled(model, exc)
                continue
            if raw and hasattr(response, "parse") and hasattr(response, "headers"):
                self.observe(model, response.headers)
                return response.parse()
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _throttled(self, model: str, exc) -> None:
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        self.throttled += 1
        self.observe(model, headers)
        ms = _seconds(headers.get("retry-after-ms"))
        wait = ms / 1000 if ms is not None else (_seconds(headers.get("retry-after")) or 1.0)
        self.sleep(wait)
        self.waited += wait
