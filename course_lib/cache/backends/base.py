"""The storage interface every cache backend speaks, and its one error type.

A backend stores **strings** (the caches write JSON, never pickle: a shared
Redis must not be a way to run code in a learner's kernel) under string keys,
with an optional expiry, plus the few structures the caches need: sets (tag →
entry keys, partition → entry ids), counters (namespace versions) and a
sorted index (LRU order). It knows nothing of requests, answers or clocks:
expiry *decisions* are the caches' (on the controllable clock); a backend's own
``ttl_s`` only lets the server reclaim memory a while after that.

Backends that cannot hold sets (Memcached) say so with ``supports_sets``;
calling a set method on them raises :class:`Unsupported` with a Spanish
message. Any failure of the server itself (down, slow, restarted) is raised
as :class:`BackendError`, which the caches turn into a pass-through.
"""

from __future__ import annotations

from typing import Iterable, Protocol, runtime_checkable


class BackendError(RuntimeError):
    """The storage server failed (connection refused, timeout, reset)."""


class Unsupported(NotImplementedError):
    """The backend cannot do this operation (for example sets on Memcached)."""


@runtime_checkable
class Backend(Protocol):
    """What a cache needs from its storage."""

    name: str
    supports_sets: bool

    def get(self, key: str) -> str | None: ...
    def get_many(self, keys: Iterable[str]) -> list[str | None]: ...
    def set(self, key: str, value: str, *, ttl_s: float | None = None) -> None: ...
    def delete(self, *keys: str) -> int: ...
    def incr(self, key: str) -> int: ...
    def sadd(self, key: str, *members: str) -> None: ...
    def srem(self, key: str, *members: str) -> None: ...
    def smembers(self, key: str) -> set[str]: ...
    def zadd(self, key: str, member: str, score: float) -> None: ...
    def zcard(self, key: str) -> int: ...
    def zpopmin(self, key: str, count: int) -> list[str]: ...
    def clear(self) -> None: ...


def unsupported(backend: str, what: str) -> Unsupported:
    """The Spanish error for an operation a backend lacks.

    >>> str(unsupported("memcached", "conjuntos"))[:40]
    'El backend memcached no admite conjuntos'
    """
    return Unsupported(
        f"El backend {backend} no admite {what}: usa memoria o Redis para la caché semántica, "
        "las etiquetas de invalidación y el límite LRU; con Memcached invalida subiendo la "
        "versión del espacio de nombres (bump_namespace) y deja el LRU al servidor (memcached -m).")
