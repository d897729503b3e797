"""Cache statistics by namespace: hits, misses, false hits, errors, tokens and dollars saved.

Counters are plain integers (and ``Decimal`` dollars) kept per namespace; the
caches and the middleware add to them, an evaluator that knows the right
answers marks false hits with :meth:`CacheStats.false_hit`. ``hit_rate`` is
hits over lookups; ``false_hit_rate`` is false hits over hits (the figure
GPTCache's benchmark reports). Left out: time series (the ledger has them).

>>> s = CacheStats()
>>> s.count("faq", "lookups", 4); s.count("faq", "hits", 3); s.false_hit("faq")
>>> s.saved("faq", input_tokens=100, output_tokens=20, cost=Decimal("0.0010"))
>>> row = s.rows()[0]
>>> row["namespace"], row["hit_rate"], round(row["false_hit_rate"], 3), row["usd_saved"]
('faq', 0.75, 0.333, Decimal('0.0010'))
"""

from __future__ import annotations

import threading
from collections import defaultdict
from decimal import Decimal

COUNTERS = ("lookups", "hits", "exact_hits", "semantic_hits", "misses", "stores",
            "not_stored", "expired", "evicted", "invalidated", "corrupt", "errors", "bypassed",
            "false_hits", "guard_refusals", "input_tokens_saved", "output_tokens_saved")


class CacheStats:
    """Counters per namespace, safe to share between threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        self._usd: dict[str, Decimal] = defaultdict(Decimal)

    def count(self, namespace: str, counter: str, n: int = 1) -> None:
        if counter not in COUNTERS:
            raise KeyError(f"Contador desconocido {counter!r}: usa uno de {', '.join(COUNTERS)}.")
        with self._lock:
            self._counts[namespace][counter] += n

    def false_hit(self, namespace: str) -> None:
        """Mark one served hit as wrong (its answer belongs to another question)."""
        self.count(namespace, "false_hits")

    def saved(self, namespace: str, *, input_tokens: int, output_tokens: int, cost: Decimal) -> None:
        with self._lock:
            self._counts[namespace]["input_tokens_saved"] += int(input_tokens)
            self._counts[namespace]["output_tokens_saved"] += int(output_tokens)
            self._usd[namespace] += Decimal(cost)

    def get(self, counter: str, namespace: str | None = None) -> int:
        """One counter, for one namespace or summed over all."""
        with self._lock:
            spaces = [namespace] if namespace is not None else list(self._counts)
            return sum(self._counts[ns][counter] for ns in spaces if ns in self._counts)

    def usd_saved(self, namespace: str | None = None) -> Decimal:
        with self._lock:
            spaces = [namespace] if namespace is not None else list(self._usd)
            return sum((self._usd[ns] for ns in spaces if ns in self._usd), Decimal(0))

    def rows(self) -> list[dict]:
        """One dict per namespace, with ``hit_rate`` and ``false_hit_rate``."""
        with self._lock:
            out = []
            for ns, counts in sorted(self._counts.items()):
                row = {"namespace": ns, **counts, "usd_saved": self._usd[ns]}
                row["hit_rate"] = counts["hits"] / counts["lookups"] if counts["lookups"] else 0.0
                row["false_hit_rate"] = (counts["false_hits"] / counts["hits"]
                                         if counts["hits"] else 0.0)
                out.append(row)
            return out

    def reset(self) -> None:
        with self._lock:
            self._counts.clear(), self._usd.clear()
