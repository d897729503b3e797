"""The exact response cache: the same request (by its canonical key) gets the stored answer.

``ExactCache`` joins the key scheme (``course_lib.cache.keys``), the storage
rules (``course_lib.cache.store``: namespace versions, TTL on the clock, tags,
LRU bound) and the store policy (``course_lib.cache.policy``). ``lookup`` takes
the ``create()`` keyword arguments and returns the stored :class:`Entry` or
None; ``store`` takes them with the response as a dict (``response.model_dump()``).
It does not call any provider: the middleware does (``course_lib.cache.middleware``).

>>> from course_lib.clock import Clock
>>> clock = Clock(start=0.0, frozen=True)
>>> cache = ExactCache(clock=clock, ttl_s=60)
>>> req = {"model": "gpt-4o-mini", "temperature": 0,
...        "messages": [{"role": "user", "content": "¿Envían a Canarias?"}]}
>>> answer = {"choices": [{"message": {"role": "assistant", "content": "Sí, en 3-5 días."},
...                        "finish_reason": "stop"}]}
>>> cache.store(req, answer), cache.lookup(req).response == answer
(True, True)
>>> _ = clock.advance(61); cache.lookup(req) is None
True
"""

from __future__ import annotations

import time
from decimal import Decimal

from .backends.base import Backend
from .backends.memory import MemoryBackend
from .entry import Entry
from .keys import cache_key
from .policy import StorePolicy
from .stats import CacheStats
from .store import EntryStore


class ExactCache:
    """Request → answer, keyed by everything that changes the answer."""

    def __init__(self, *, backend: Backend | None = None, clock=time.time,
                 ttl_s: float | None = 86_400.0, max_entries: int | None = 10_000,
                 namespace: str = "default", version: str = "v1",
                 policy: StorePolicy | None = None, stats: CacheStats | None = None,
                 key=cache_key, store: EntryStore | None = None):
        backend = backend if backend is not None else MemoryBackend()
        if store is None:
            store = EntryStore(backend=backend, clock=clock, stats=stats,
                               max_entries=max_entries if backend.supports_sets else None)
        self.store_ = store
        self.stats, self.clock = store.stats, store.clock
        self.namespace, self.version, self.key = namespace, version, key
        self.policy = policy or StorePolicy(ttl_s=ttl_s)

    def key_for(self, params: dict, *, namespace: str | None = None) -> str:
        ns = namespace or self.namespace
        return self.store_.full_key(ns, self.key(params, version=self.version))

    def lookup(self, params: dict, *, namespace: str | None = None) -> Entry | None:
        """The fresh stored answer for ``params``, or None (counts a lookup, hit or miss)."""
        ns = namespace or self.namespace
        entry = self.store_.read(ns, self.key_for(params, namespace=ns))
        self.stats.count(ns, "lookups")
        self.stats.count(ns, "hits" if entry else "misses")
        if entry:
            self.stats.count(ns, "exact_hits")
            self.stats.saved(ns, input_tokens=entry.input_tokens,
                             output_tokens=entry.output_tokens, cost=entry.cost)
        return entry

    def store(self, params: dict, response: dict, *, namespace: str | None = None,
              ttl_s: float | None = None, content_type: str | None = None, tags=(),
              input_tokens: int = 0, output_tokens: int = 0, cost: Decimal = Decimal(0),
              controls: dict | None = None) -> bool:
        """Keep ``response`` for ``params`` if the policy allows; True if stored."""
        ns = namespace or self.namespace
        ok, _reason = self.policy.storable(params, response, controls=controls)
        if not ok:
            self.stats.count(ns, "not_stored")
            return False
        now = self.clock()
        ttl = ttl_s if ttl_s is not None else self.policy.ttl_for(content_type)
        entry = Entry(response=response, created=now, expires_at=None if ttl is None else now + ttl,
                      tags=tuple(tags), input_tokens=input_tokens, output_tokens=output_tokens,
                      cost=Decimal(cost), question=_last_user_text(params))
        return self.store_.write(ns, self.key_for(params, namespace=ns), entry)

    def invalidate(self, tags, *, namespace: str | None = None) -> int:
        """Drop the entries that depend on any of ``tags`` (fact or document ids)."""
        return self.store_.invalidate(tags, namespace=namespace or self.namespace)

    def bump_namespace(self, namespace: str | None = None) -> int:
        """Make every entry of the namespace unreachable (version + 1)."""
        return self.store_.bump_namespace(namespace or self.namespace)


def _last_user_text(params: dict) -> str:
    for message in reversed(list(params.get("messages") or [])):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else str(content)
    return ""
