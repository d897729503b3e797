"""Choosing a semantic threshold on labelled pairs: the precision–recall curve.

Each labelled pair has a similarity and a label saying whether serving one
question's answer for the other is *right* (a paraphrase) or *wrong* (a
near-miss, an unrelated question). At threshold ``t`` every pair with
similarity ≥ ``t`` would be a hit: **precision** is the share of those hits
that are right, **recall** the share of right pairs that become hits.
:func:`threshold_for_precision` picks the lowest threshold whose precision
reaches the target — the most hits you can have at that error bound. It does
not embed anything (pass similarities) nor split train and test for you.

>>> sims = [0.95, 0.91, 0.88, 0.86, 0.70, 0.40]
>>> right = [True, True, False, True, True, False]
>>> [round(p.precision, 2) for p in pr_curve(sims, right)][:4]
[1.0, 1.0, 0.67, 0.75]
>>> threshold_for_precision(sims, right, target=0.99)
0.91
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PRPoint:
    threshold: float
    precision: float
    recall: float
    hits: int
    false_hits: int


def pr_curve(similarities, right) -> list[PRPoint]:
    """One point per distinct similarity, from the strictest threshold down."""
    sims = np.asarray(similarities, dtype=float)
    ok = np.asarray(right, dtype=bool)
    if sims.shape != ok.shape or sims.ndim != 1:
        raise ValueError("similarities y right deben ser dos listas de la misma longitud.")
    positives = max(1, int(ok.sum()))
    order = np.argsort(-sims, kind="stable")
    sims, ok = sims[order], ok[order]
    points = []
    tp = fp = 0
    for i, (s, good) in enumerate(zip(sims, ok)):
        tp, fp = tp + int(good), fp + int(not good)
        if i + 1 < len(sims) and sims[i + 1] == s:
            continue                    # the same threshold admits the tied pairs too
        points.append(PRPoint(float(s), tp / (tp + fp), tp / positives, tp + fp, fp))
    return points


def threshold_for_precision(similarities, right, *, target: float = 0.98) -> float:
    """The lowest threshold whose hits are at least ``target`` right (1.0 if none is)."""
    if not 0 < target <= 1:
        raise ValueError("target es una precisión entre 0 y 1 (por ejemplo 0.98).")
    best = 1.0
    for point in pr_curve(similarities, right):
        if point.precision >= target:
            best = point.threshold      # scanning on: a lower one may reach the target again
    return best
