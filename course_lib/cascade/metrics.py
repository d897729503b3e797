"""Routing metrics with RouteLLM's definitions: PGR, APGR and CPT, plus two baselines.

A *router* between a weak and a strong model sends a share of the requests to
the strong one. Its quality is measured against the two models alone:

* **PGR** (performance gap recovered) = (acc(router) − acc(weak)) / (acc(strong) − acc(weak));
* the **routing curve**: PGR as the strong-model share goes from 0 to 1, one
  point per threshold on the router's score;
* **APGR** = the area under that curve (trapezoids over the share), 0.5 for a
  random router;
* **CPT(x)** = the smallest strong-model share whose PGR reaches ``x`` (a step
  reading of the measured points, no interpolation).

``random_curve`` is the expected curve of a router that picks the strong
model at random; ``oracle_curve`` sends to the strong model exactly the
requests the weak one fails and the strong one solves. This module works on
lists of booleans and scores; running the models is ``evaluation``'s job.

>>> weak = [True, True, False, False]
>>> strong = [True, True, True, False]
>>> curve = routing_curve([0.1, 0.2, 0.9, 0.8], weak, strong)   # high score: needs strong
>>> curve.shares, curve.pgrs
((0.0, 0.25, 0.5, 0.75, 1.0), (0.0, 1.0, 1.0, 1.0, 1.0))
>>> round(curve.apgr(), 3), curve.cpt(0.8)
(0.875, 0.25)
>>> round(random_curve(weak, strong).apgr(), 3)
0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


class MetricError(ValueError):
    """The inputs cannot give the metric (no gap between the models, mismatched lengths)."""


def pgr(accuracy: float, *, weak: float, strong: float) -> float:
    """Performance gap recovered by a router of ``accuracy``.

    >>> pgr(0.80, weak=0.70, strong=0.90)
    0.5
    """
    if strong == weak:
        raise MetricError("El modelo fuerte y el débil aciertan lo mismo: la PGR no está definida. "
                          "Elige dos modelos con distinta precisión.")
    return round((accuracy - weak) / (strong - weak), 12)


@dataclass(frozen=True)
class RoutingCurve:
    """Accuracy at each strong-model share, with the two models' accuracies alone."""

    shares: tuple[float, ...]
    accuracies: tuple[float, ...]
    weak: float
    strong: float

    @property
    def pgrs(self) -> tuple[float, ...]:
        return tuple(pgr(a, weak=self.weak, strong=self.strong) for a in self.accuracies)

    def apgr(self) -> float:
        """Area under PGR against the strong-model share (trapezoids)."""
        s, p = self.shares, self.pgrs
        return sum((s[i + 1] - s[i]) * (p[i + 1] + p[i]) / 2 for i in range(len(s) - 1))

    def cpt(self, target: float) -> float:
        """Smallest measured strong-model share whose PGR is at least ``target`` (1.0 if none)."""
        return next((s for s, p in zip(self.shares, self.pgrs) if p >= target - 1e-12), 1.0)

    def at_share(self, share: float) -> float:
        """Accuracy of the last measured point whose share does not exceed ``share``."""
        best = self.accuracies[0]
        for s, a in zip(self.shares, self.accuracies):
            if s <= share + 1e-12:
                best = a
        return best


def _check(weak_correct: Sequence[bool], strong_correct: Sequence[bool], *others) -> int:
    n = len(weak_correct)
    if n == 0 or len(strong_correct) != n or any(len(o) != n for o in others):
        raise MetricError("Las listas de aciertos (y de puntuaciones) deben tener la misma longitud, "
                          f"no vacía; recibí {[len(weak_correct), len(strong_correct), *map(len, others)]}.")
    return n


def routing_curve(scores: Sequence[float], weak_correct: Sequence[bool],
                  strong_correct: Sequence[bool]) -> RoutingCurve:
    """The curve of a router that sends to the strong model the requests of highest ``score``.

    Requests with equal scores move together (one threshold cannot split them),
    so a tie gives one point, not several.
    """
    n = _check(weak_correct, strong_correct, scores)
    order = sorted(range(n), key=lambda i: -float(scores[i]))
    correct = sum(map(bool, weak_correct))
    shares, accs = [0.0], [correct / n]
    for k, i in enumerate(order, start=1):
        correct += bool(strong_correct[i]) - bool(weak_correct[i])
        if k < n and float(scores[order[k]]) == float(scores[i]):
            continue                      # same score as the next one: not a threshold
        shares.append(k / n)
        accs.append(correct / n)
    weak, strong = accs[0], sum(map(bool, strong_correct)) / n
    return RoutingCurve(tuple(shares), tuple(accs), weak, strong)


def random_curve(weak_correct: Sequence[bool], strong_correct: Sequence[bool]) -> RoutingCurve:
    """Expected curve of a random router: accuracy linear in the share (PGR = share)."""
    n = _check(weak_correct, strong_correct)
    weak = sum(map(bool, weak_correct)) / n
    strong = sum(map(bool, strong_correct)) / n
    shares = tuple(k / n for k in range(n + 1))
    return RoutingCurve(shares, tuple(weak + s * (strong - weak) for s in shares), weak, strong)


def oracle_scores(weak_correct: Sequence[bool], strong_correct: Sequence[bool]) -> list[float]:
    """The oracle's scores: above 1 where only the strong model is right (distinct, so it
    can send them one at a time), -1 where only the weak one is, 0 where both agree
    (sending those costs without changing the result)."""
    n = _check(weak_correct, strong_correct)
    return [2.0 - i / n if s and not w else (-1.0 if w and not s else 0.0)
            for i, (w, s) in enumerate(zip(weak_correct, strong_correct))]


def oracle_curve(weak_correct: Sequence[bool], strong_correct: Sequence[bool]) -> RoutingCurve:
    """Curve of the oracle router (it knows which model is right)."""
    return routing_curve(oracle_scores(weak_correct, strong_correct), weak_correct, strong_correct)
