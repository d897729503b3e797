"""Predicting a request's output length, so the guard reserves less than the worst case.

The worst case of a call prices its output at ``max_tokens``; most answers are
far shorter (a support answer of ~120 tokens under a cap of 1 024). Reserving
the worst case is safe but, near the cap and under concurrency, refuses calls
that would have fit. :class:`OutputLengthModel` learns, from a ledger, a high
quantile (95 % by default) of the output tokens per (model, feature) — and per
model when a feature has too few answers — and :class:`~course_lib.budgets.guard.BudgetGuard`
``(output_model=...)`` reserves ``min(max_tokens, prediction)`` instead.

The trade, stated: the real cost still settles (an answer longer than its
prediction is charged in full), so the spend can pass the limit by at most
the answers in flight that outgrow their prediction — about 1 in 20 — each by
at most its own worst case minus its reservation.

>>> from types import SimpleNamespace as R
>>> recs = [R(model="gpt-4o", feature="chat_web", output_tokens=n, status="ok", response_cache_hit=False)
...         for n in range(60, 160)]
>>> m = OutputLengthModel(min_samples=20).fit(recs)
>>> m.predict({"model": "gpt-4o", "max_tokens": 1000, "metadata": {"feature": "chat_web"}})
155
>>> m.predict({"model": "gpt-4o", "max_tokens": 100}), m.predict({"model": "o3", "max_tokens": 900})
(100, None)

Left out: predicting from the prompt's content (a regression on its text).
"""

from __future__ import annotations

import math

import numpy as np


def _feature(params: dict) -> str:
    meta = params.get("metadata")
    return str(meta.get("feature", "")) if isinstance(meta, dict) else ""


class OutputLengthModel:
    """The ``quantile`` of output tokens per (model, feature) and per model, from past records."""

    def __init__(self, *, quantile: float = 0.95, min_samples: int = 30):
        if not 0 < quantile <= 1:
            raise ValueError("quantile es una probabilidad entre 0 y 1 (p. ej. 0.95).")
        if min_samples < 1:
            raise ValueError("min_samples debe ser ≥ 1.")
        self.quantile, self.min_samples = quantile, min_samples
        self.table: dict[tuple[str, str], int] = {}

    def fit(self, source) -> OutputLengthModel:
        """Learn from records (a ledger or a list): answered attempts only, no cache hits."""
        recs = source.records() if hasattr(source, "records") else source
        groups: dict[tuple[str, str], list[int]] = {}
        for r in recs:
            if getattr(r, "status", "ok") != "ok" or getattr(r, "response_cache_hit", False):
                continue
            n = int(getattr(r, "output_tokens", 0) or 0)
            if n <= 0:
                continue
            for key in ((r.model, getattr(r, "feature", "") or ""), (r.model, "*")):
                groups.setdefault(key, []).append(n)
        self.table = {k: int(math.ceil(np.quantile(v, self.quantile))) for k, v in groups.items()
                      if len(v) >= self.min_samples}
        return self

    def predict(self, params: dict) -> int | None:
        """Output tokens to reserve for this request (never above its cap), or None if unknown."""
        model = str(params.get("model", ""))
        cap = params.get("max_completion_tokens") or params.get("max_tokens")
        found = self.table.get((model, _feature(params)))
        if found is None:
            found = self.table.get((model, "*"))
        if found is None:
            return None
        return min(found, int(cap)) if cap else found
