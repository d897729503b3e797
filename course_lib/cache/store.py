"""Entries on a backend: namespaces with versions, freshness on the clock, tags, LRU bound.

Both response caches keep their entries through an :class:`EntryStore`:

- a **namespace** (``"faq"``, ``"pedidos"``…) prefixes every key together with the
  namespace's **version**; :meth:`bump_namespace` moves to the next version, which
  makes every old entry unreachable at once (the blunt invalidation, and the only
  one Memcached can do);
- **freshness** is decided on the injected clock (``Clock`` from ``course_lib.clock``),
  so a test jumps ten minutes instead of waiting; the backend's own expiry is only
  set ``grace_s`` later, to reclaim memory;
- **tags** (the fact and document ids an answer depends on) index entries, so
  :meth:`invalidate` drops exactly the entries that depend on what changed;
- at most ``max_entries`` per namespace, least recently *used* evicted first
  (reads refresh the order; a hit never extends the TTL — a popular stale answer
  must still expire);
- a value that does not decode is a miss and is deleted.

Every backend call goes through a :class:`~course_lib.cache.faults.Shield`. Left out:
the key scheme (``keys``) and what may be stored (``policy``).
"""

from __future__ import annotations

import time

from .backends.base import Backend
from .entry import CorruptEntry, Entry, decode, encode
from .faults import Shield
from .stats import CacheStats


class EntryStore:
    """Entries of one or more namespaces on ``backend``."""

    def __init__(self, *, backend: Backend, clock=time.time, stats: CacheStats | None = None,
                 max_entries: int | None = 10_000, grace_s: float = 3600.0,
                 shield: Shield | None = None):
        if max_entries is not None and int(max_entries) < 1:
            raise ValueError("max_entries debe ser un entero ≥ 1 o None (sin límite).")
        if max_entries is not None and not backend.supports_sets:
            raise ValueError(f"El backend {backend.name} ya expulsa por LRU él solo: crea la caché "
                             "con max_entries=None y fija la memoria en el servidor.")
        self.backend, self.clock = backend, clock
        self.stats = stats if stats is not None else CacheStats()
        self.max_entries = None if max_entries is None else int(max_entries)
        self.grace_s = float(grace_s)
        self.shield = shield or Shield(stats=self.stats)

    # -- keys -----------------------------------------------------------------------------

    def version(self, namespace: str) -> str:
        return self.shield.run(self.backend.get, f"nsv:{namespace}", fallback=None,
                               namespace=namespace) or "0"

    def full_key(self, namespace: str, key: str, version: str | None = None) -> str:
        return f"e:{namespace}:{version or self.version(namespace)}:{key}"

    def bump_namespace(self, namespace: str) -> int:
        """Make every entry of ``namespace`` unreachable; return the new version."""
        return int(self.shield.run(self.backend.incr, f"nsv:{namespace}", fallback=0,
                                   namespace=namespace))

    # -- entries ----------------------------------------------------------------------------

    def read(self, namespace: str, full_key: str, raw: str | None = None, *,
             fetched: bool = False) -> Entry | None:
        """The fresh entry at ``full_key`` or None (expired and corrupt ones are deleted)."""
        if not fetched:
            raw = self.shield.run(self.backend.get, full_key, fallback=None, namespace=namespace)
        if raw is None:
            return None
        try:
            entry = decode(raw)
        except CorruptEntry:
            self.stats.count(namespace, "corrupt")
            self.shield.run(self.backend.delete, full_key, fallback=0, namespace=namespace)
            return None
        if not entry.fresh(self.clock()):
            self.stats.count(namespace, "expired")
            self.shield.run(self.backend.delete, full_key, fallback=0, namespace=namespace)
            return None
        if self.max_entries is not None:
            self.shield.run(self.backend.zadd, f"lru:{namespace}", full_key, self._tick(namespace),
                            namespace=namespace)
        return entry

    def _tick(self, namespace: str) -> float:
        """A shared, always-increasing use counter: LRU order even when the clock stands still."""
        return float(self.shield.run(self.backend.incr, f"lru_seq:{namespace}", fallback=0,
                                     namespace=namespace))

    def write(self, namespace: str, full_key: str, entry: Entry) -> bool:
        """Store ``entry`` (one ``SET``), index its tags, keep the LRU bound. False if it failed."""
        ttl = None
        if entry.expires_at is not None:
            ttl = max(1.0, entry.expires_at - self.clock()) + self.grace_s
        if self.shield.run(self.backend.set, full_key, encode(entry), ttl_s=ttl, fallback=False,
                           namespace=namespace) is False:
            return False
        if entry.tags:
            if not self.backend.supports_sets:
                raise ValueError(f"El backend {self.backend.name} no guarda etiquetas: quita tags= o "
                                 "usa memoria o Redis.")
            for tag in entry.tags:
                self.shield.run(self.backend.sadd, f"tag:{tag}", full_key, namespace=namespace)
        if self.max_entries is not None:
            self._bound(namespace, full_key)
        self.stats.count(namespace, "stores")
        return True

    def _bound(self, namespace: str, full_key: str) -> None:
        index = f"lru:{namespace}"
        self.shield.run(self.backend.zadd, index, full_key, self._tick(namespace),
                        namespace=namespace)
        excess = self.shield.run(self.backend.zcard, index, fallback=0,
                                 namespace=namespace) - self.max_entries
        if excess > 0:
            old = self.shield.run(self.backend.zpopmin, index, excess, fallback=[],
                                  namespace=namespace)
            if old:
                self.shield.run(self.backend.delete, *old, fallback=0, namespace=namespace)
                self.stats.count(namespace, "evicted", len(old))

    def invalidate(self, tags, *, namespace: str = "default") -> int:
        """Delete every entry tagged with any of ``tags``; return how many existed."""
        if not self.backend.supports_sets:
            raise ValueError(f"El backend {self.backend.name} no guarda etiquetas: invalida con "
                             "bump_namespace().")
        keys: set[str] = set()
        for tag in tags:
            keys |= self.shield.run(self.backend.smembers, f"tag:{tag}", fallback=set(),
                                    namespace=namespace)
        gone = self.shield.run(self.backend.delete, *sorted(keys), fallback=0,
                               namespace=namespace) if keys else 0
        self.shield.run(self.backend.delete, *[f"tag:{t}" for t in tags], fallback=0,
                        namespace=namespace)
        self.stats.count(namespace, "invalidated", int(gone))
        return int(gone)
