"""The in-memory backend: the default, embedded, one process.

Plain dictionaries behind a lock, with the same operations and the same
string-only values as Redis, so the caches run the same code on both. Expiry
given as ``ttl_s`` is measured on ``time.monotonic`` and only reclaims memory;
freshness is decided by the caches on their own clock. It leaves out sharing
between processes (use Redis) and persistence.

>>> store = MemoryBackend()
>>> store.set("k", '{"a": 1}'); store.get("k"), store.get("otro")
('{"a": 1}', None)
>>> store.incr("v"), store.incr("v")
(1, 2)
>>> store.sadd("tag:F-1", "k"); sorted(store.smembers("tag:F-1"))
['k']
"""

from __future__ import annotations

import threading
import time
from typing import Iterable


class MemoryBackend:
    """Strings, sets, counters and sorted indexes in this process."""

    name = "memoria"
    supports_sets = True

    def __init__(self):
        self._lock = threading.RLock()
        self._values: dict[str, tuple[str, float | None]] = {}
        self._sets: dict[str, set[str]] = {}
        self._zsets: dict[str, dict[str, float]] = {}

    def _alive(self, key: str) -> str | None:
        item = self._values.get(key)
        if item is None:
            return None
        value, deadline = item
        if deadline is not None and time.monotonic() >= deadline:
            del self._values[key]
            return None
        return value

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._alive(key)

    def get_many(self, keys: Iterable[str]) -> list[str | None]:
        with self._lock:
            return [self._alive(k) for k in keys]

    def set(self, key: str, value: str, *, ttl_s: float | None = None) -> None:
        if not isinstance(value, str):
            raise TypeError("Los valores de la caché son texto (JSON), no objetos de Python.")
        deadline = None if ttl_s is None else time.monotonic() + float(ttl_s)
        with self._lock:
            self._values[key] = (value, deadline)

    def delete(self, *keys: str) -> int:
        gone = 0
        with self._lock:
            for key in keys:
                gone += sum(store.pop(key, None) is not None
                            for store in (self._values, self._sets, self._zsets))
        return gone

    def incr(self, key: str) -> int:
        with self._lock:
            value = int(self._alive(key) or 0) + 1
            self._values[key] = (str(value), None)
            return value

    def sadd(self, key: str, *members: str) -> None:
        with self._lock:
            self._sets.setdefault(key, set()).update(members)

    def srem(self, key: str, *members: str) -> None:
        with self._lock:
            self._sets.get(key, set()).difference_update(members)

    def smembers(self, key: str) -> set[str]:
        with self._lock:
            return set(self._sets.get(key, ()))

    def zadd(self, key: str, member: str, score: float) -> None:
        with self._lock:
            self._zsets.setdefault(key, {})[member] = float(score)

    def zcard(self, key: str) -> int:
        with self._lock:
            return len(self._zsets.get(key, ()))

    def zpopmin(self, key: str, count: int) -> list[str]:
        with self._lock:
            index = self._zsets.get(key, {})
            oldest = sorted(index, key=index.__getitem__)[:max(0, count)]
            for member in oldest:
                del index[member]
            return oldest

    def clear(self) -> None:
        with self._lock:
            self._values.clear(), self._sets.clear(), self._zsets.clear()

    def __len__(self) -> int:
        return len(self._values)
