"""Where the rate limiter and the fault injector plug into a request.

The chat route calls, in this order, after authentication and validation and
before any work is done:

1. ``state.faults.check(path, model=..., api_key=...)`` (``path`` is the URL path) — may raise an
   :class:`APIError` (an injected 5xx) or return a delay in seconds (an injected
   slow response), awaited without blocking the server;
2. ``state.limiter.check(api_key, model, tokens)`` — may raise
   ``APIError(429, ..., headers={"retry-after": ...})``; returns the
   ``x-ratelimit-*`` headers to add to the response.

Either part may be absent (``None``). This module only adapts the calls; the
policies live in ``faults.py`` and ``ratelimit.py``.
"""

from __future__ import annotations

import asyncio
import inspect


async def apply_faults(state, route: str, *, model: str | None, api_key: str) -> None:
    """Raise or delay as the fault injector says (no-op without one)."""
    faults = getattr(state, "faults", None)
    check = getattr(faults, "check", None)
    if check is None:
        return
    delay = check(route, model=model, api_key=api_key)
    if inspect.isawaitable(delay):
        delay = await delay
    if delay:
        await asyncio.sleep(float(delay))


def apply_limits(state, *, api_key: str, model: str, tokens: int) -> dict[str, str]:
    """The rate-limit headers for this request; raises a 429 APIError when over."""
    limiter = getattr(state, "limiter", None)
    check = getattr(limiter, "check", None)
    if check is None:
        return {}
    headers = check(api_key, model, tokens)
    return {str(k): str(v) for k, v in (headers or {}).items()}
