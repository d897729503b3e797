"""API-key checks for the simulated provider (FastAPI dependencies).

Requests carry ``Authorization: Bearer <key>``, as the ``openai`` SDK sends it.
Ordinary routes accept the keys of :attr:`SimulatorState.api_keys` (``None``
means: any key that starts with ``sk-``, handy for a local class where each
learner may invent a key per project); admin routes accept only
:attr:`SimulatorState.admin_key`. Keys are never logged or stored: the ledger
keeps :func:`key_id`, a short hash. This module does no rate limiting.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from course_lib.usage.records import key_id  # noqa: F401  (one id for both views of the bill)

from .errors import APIError


def redact(key: str) -> str:
    """Show a key as OpenAI does in its 401 message: ``sk-...abcd``.

    >>> redact("sk-abcdefghijkl")
    'sk-...ijkl'
    """
    return f"{key[:3]}...{key[-4:]}" if len(key) > 8 else "***"


def bearer_token(request: Request) -> str | None:
    """The bearer token of a request, or ``None``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _missing() -> APIError:
    return APIError(401, "You didn't provide an API key. You need to provide your API key in an "
                    "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")


async def require_api_key(request: Request) -> str:
    """Dependency: the caller's API key, or a 401 in OpenAI's shape.

    A coroutine on purpose: FastAPI would run a plain function in its thread pool,
    a hop that costs more than the check itself.
    """
    key = bearer_token(request)
    if key is None:
        raise _missing()
    state = request.app.state.sim
    allowed = state.api_keys
    ok = key.startswith("sk-") if allowed is None else key in allowed
    if not ok and state.admin_key and hmac.compare_digest(key, state.admin_key):
        ok = True  # the admin key may call ordinary routes too
    if not ok:
        raise APIError(401, f"Incorrect API key provided: {redact(key)}.", code="invalid_api_key")
    return key


async def require_admin_key(request: Request) -> str:
    """Dependency: the admin key, or a 401 in OpenAI's shape."""
    key = bearer_token(request)
    if key is None:
        raise _missing()
    admin = request.app.state.sim.admin_key
    if not admin or not hmac.compare_digest(key, admin):
        raise APIError(401, f"Incorrect admin API key provided: {redact(key)}. The organization "
                       "endpoints need the admin key.", code="invalid_api_key")
    return key
