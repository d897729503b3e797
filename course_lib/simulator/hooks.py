"""Where the rate limiter and the fault injector plug into a request.

The chat route calls, in this order, after authentication and validation and
before any work is done:

1. ``state.faults.check(path, model=..., api_key=...)`` (``path`` is the URL path) — may raise an
   :class:`APIError` (an injected 5xx) or return a delay in seconds (an injected
   slow response), awaited without blocking the server;
2. ``state.limiter.check(api_key, model, tokens)`` — may raise
   ``APIError(429, ..., headers={"retry-after": ...})``; returns the
   ``x-ratelimit-*`` headers to add to the response.

Chat completions and embeddings both go through these two functions. The
policies live in ``faults.py`` and ``ratelimit.py``.
"""

from __future__ import annotations

import asyncio


async def apply_faults(state, route: str, *, model: str | None, api_key: str) -> None:
    """Raise or delay as the fault injector says."""
    delay = await state.faults.check(route, model=model, api_key=api_key)
    if delay:
        await asyncio.sleep(float(delay))


def apply_limits(state, *, api_key: str, model: str, tokens: int) -> dict[str, str]:
    """The rate-limit headers for this request; raises a 429 APIError when over."""
    return dict(state.limiter.check(api_key, model, tokens))
