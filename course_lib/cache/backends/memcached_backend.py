"""The Memcached backend: a shared exact cache on a server that only knows keys and values.

Memcached stores strings with an expiry and counters, and evicts the least
recently used items by itself when its memory (``memcached -m``) is full. It
has no sets: tag-based invalidation, the semantic cache's partitions and the
LRU index raise :class:`~course_lib.cache.backends.base.Unsupported`; use a
namespace version bump to invalidate. Keys longer than Memcached's 250 bytes,
not ASCII or holding spaces are hashed. Server failures become ``BackendError``.
"""

from __future__ import annotations

import hashlib
import math
from typing import Iterable

from .base import BackendError, unsupported

MAX_KEY = 250


class MemcachedBackend:
    """A backend on a ``pymemcache`` client, or on ``host:port``."""

    name = "memcached"
    supports_sets = False

    def __init__(self, client=None, *, server: str | None = None, prefix: str = "costlab:",
                 timeout_s: float = 0.5):
        from pymemcache.client.base import Client
        from pymemcache.exceptions import MemcacheError

        self._errors = (MemcacheError, OSError)
        if client is None:
            if not server:
                raise ValueError("MemcachedBackend necesita un cliente o server='host:puerto'.")
            host, _, port = server.rpartition(":")
            client = Client((host or "127.0.0.1", int(port)), connect_timeout=timeout_s,
                            timeout=timeout_s, encoding="utf-8")
        self.client = client
        self.prefix = prefix

    def _k(self, key: str) -> str:
        full = self.prefix + key
        if len(full.encode("utf-8")) > MAX_KEY or not full.isascii() or any(c.isspace() for c in full):
            full = self.prefix + "h:" + hashlib.sha256(full.encode("utf-8")).hexdigest()
        return full

    def _run(self, method: str, *args, **kwargs):
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except self._errors as exc:
            self.client.close()          # the next command reconnects
            raise BackendError(f"Memcached no responde ({type(exc).__name__}: {exc})") from exc

    @staticmethod
    def _text(value) -> str | None:
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def get(self, key: str) -> str | None:
        return self._text(self._run("get", self._k(key)))

    def get_many(self, keys: Iterable[str]) -> list[str | None]:
        keys = list(keys)
        found = self._run("get_many", [self._k(k) for k in keys]) if keys else {}
        return [self._text(found.get(self._k(k))) for k in keys]

    def set(self, key: str, value: str, *, ttl_s: float | None = None) -> None:
        if not isinstance(value, str):
            raise TypeError("Los valores de la caché son texto (JSON), no objetos de Python.")
        expire = 0 if ttl_s is None else max(1, math.ceil(ttl_s))
        self._run("set", self._k(key), value.encode("utf-8"), expire=expire, noreply=False)

    def delete(self, *keys: str) -> int:
        return sum(bool(self._run("delete", self._k(k), noreply=False)) for k in keys)

    def incr(self, key: str) -> int:
        value = self._run("incr", self._k(key), 1, noreply=False)
        if value is None:
            self._run("add", self._k(key), b"0", noreply=False)
            value = self._run("incr", self._k(key), 1, noreply=False)
        return int(value)

    def sadd(self, key: str, *members: str) -> None:
        raise unsupported(self.name, "conjuntos")

    srem = sadd

    def smembers(self, key: str) -> set[str]:
        raise unsupported(self.name, "conjuntos")

    def zadd(self, key: str, member: str, score: float) -> None:
        raise unsupported(self.name, "índices LRU")

    def zcard(self, key: str) -> int:
        raise unsupported(self.name, "índices LRU")

    def zpopmin(self, key: str, count: int) -> list[str]:
        raise unsupported(self.name, "índices LRU")

    def clear(self) -> None:
        """Memcached cannot list keys: flush the whole server (use one server per cache)."""
        self._run("flush_all", noreply=False)
