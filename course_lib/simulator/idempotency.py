"""Record a retried request once: request ids derived from the ``Idempotency-Key``.

A client that retries a request it got no answer for (the server died, the
connection broke) sends the same ``Idempotency-Key`` header again. The
simulator derives the request id from that key and the caller's key id, and
the ledger keeps one row per request id, so the attempt the client never
received and its retry are billed once, even across a restart of the server
on the same ledger file. Requests without the header get a fresh random id.

It does not replay the stored response (the simulator answers the retry
afresh, deterministically) and does not expire keys.

>>> a = request_id("chatcmpl-", api_key="sk-a", idempotency_key="retry-1")
>>> a == request_id("chatcmpl-", api_key="sk-a", idempotency_key="retry-1")
True
>>> a == request_id("chatcmpl-", api_key="sk-b", idempotency_key="retry-1")
False
>>> request_id("req_", api_key="sk-a", idempotency_key=None) != request_id("req_", api_key="sk-a", idempotency_key=None)
True
"""

from __future__ import annotations

import hashlib
import uuid

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 256


def request_id(prefix: str, *, api_key: str, idempotency_key: str | None) -> str:
    """``prefix`` + 24 hex chars: a hash of (key id, idempotency key), or random without one."""
    if not idempotency_key:
        return prefix + uuid.uuid4().hex[:24]
    from .auth import key_id
    digest = hashlib.blake2b(f"{key_id(api_key)}\0{idempotency_key[:MAX_KEY_LENGTH]}".encode(
        "utf-8", "replace"), digest_size=12)
    return prefix + digest.hexdigest()


def from_headers(prefix: str, headers, *, api_key: str) -> str:
    """The request id for a request with these headers."""
    return request_id(prefix, api_key=api_key, idempotency_key=headers.get(HEADER))
