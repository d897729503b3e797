"""The Redis backend: one cache shared by every kernel that points at the same server.

Each operation is one Redis command (``GET``, ``MGET``, ``SET … PX``, ``SADD``,
``ZADD``…), so an entry is written whole by a single ``SET`` and a reader in
another kernel sees either the old value or the new one, never half of it.
Every key carries ``prefix`` so several courses or tests can share a server.
Short socket timeouts make a slow or dead server fail fast: any ``redis``
error is raised as :class:`~course_lib.cache.backends.base.BackendError` and
the caches fall back to calling the provider.

Vectors of the semantic cache are stored here as JSON and ranked in the
client with numpy (Debian's Redis 7.0 has no vector search). A Redis Stack /
Redis 8 server with the query engine could take the ranking over through
RedisVL (``SemanticCache`` with an ``HNSW`` index, cosine *distance* =
1 − similarity); that path is not built here because it cannot be tested on
this machine. Left out: Redis Cluster, TLS settings (pass a ``rediss://`` URL).
"""

from __future__ import annotations

from typing import Iterable

from .base import BackendError


class RedisBackend:
    """A backend on a ``redis.Redis`` client (or on a URL, ``redis://host:port/db``)."""

    name = "redis"
    supports_sets = True

    def __init__(self, client=None, *, url: str | None = None, prefix: str = "costlab:",
                 timeout_s: float = 0.5):
        import redis

        self._errors = (redis.RedisError, OSError)
        if client is None:
            if not url:
                raise ValueError("RedisBackend necesita un cliente de redis o url='redis://…'.")
            client = redis.Redis.from_url(url, socket_timeout=timeout_s,
                                          socket_connect_timeout=timeout_s,
                                          health_check_interval=0, decode_responses=True)
        self.client = client
        self.prefix = prefix

    def _k(self, key: str) -> str:
        return self.prefix + key

    def _run(self, method: str, *args, **kwargs):
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except self._errors as exc:
            raise BackendError(f"Redis no responde ({type(exc).__name__}: {exc})") from exc

    @staticmethod
    def _text(value) -> str | None:
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def get(self, key: str) -> str | None:
        return self._text(self._run("get", self._k(key)))

    def get_many(self, keys: Iterable[str]) -> list[str | None]:
        keys = [self._k(k) for k in keys]
        return [self._text(v) for v in self._run("mget", keys)] if keys else []

    def set(self, key: str, value: str, *, ttl_s: float | None = None) -> None:
        if not isinstance(value, str):
            raise TypeError("Los valores de la caché son texto (JSON), no objetos de Python.")
        px = None if ttl_s is None else max(1, int(ttl_s * 1000))
        self._run("set", self._k(key), value, px=px)

    def delete(self, *keys: str) -> int:
        return int(self._run("delete", *[self._k(k) for k in keys])) if keys else 0

    def incr(self, key: str) -> int:
        return int(self._run("incr", self._k(key)))

    def sadd(self, key: str, *members: str) -> None:
        if members:
            self._run("sadd", self._k(key), *members)

    def srem(self, key: str, *members: str) -> None:
        if members:
            self._run("srem", self._k(key), *members)

    def smembers(self, key: str) -> set[str]:
        return {self._text(m) for m in self._run("smembers", self._k(key))}

    def zadd(self, key: str, member: str, score: float) -> None:
        self._run("zadd", self._k(key), {member: float(score)})

    def zcard(self, key: str) -> int:
        return int(self._run("zcard", self._k(key)))

    def zpopmin(self, key: str, count: int) -> list[str]:
        if count <= 0:
            return []
        return [self._text(m) for m, _ in self._run("zpopmin", self._k(key), count)]

    def clear(self) -> None:
        """Delete every key under this backend's prefix (never the whole server)."""
        cursor = 0
        while True:
            cursor, keys = self._run("scan", cursor, match=self.prefix + "*", count=500)
            if keys:
                self._run("delete", *keys)
            if int(cursor) == 0:
                return
