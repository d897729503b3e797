"""Calibrate a cascade's thresholds on one split, and see where another split lands.

Measured per-model outcomes (``frontier.runs_of``: per task ``(correct,
confidence, cost)``) are replayed with ``cascade.replay``, so trying a
threshold costs nothing. Two targets:

* ``target_share`` — the share of tasks that reach the last model of the ladder
  (the strong-model share a budget can afford). For two models the threshold is
  a quantile of the weak model's confidences; for longer ladders every lower
  step uses the same threshold;
* ``target_accuracy`` — the cheapest thresholds whose accuracy reaches the
  target (a grid over confidence quantiles for each step).

A threshold tuned on one split lands elsewhere on another (RouteLLM's users
found so: lm-sys/RouteLLM#36); :func:`report` measures both, which is what a
learner should look at before trusting a calibration.

>>> from decimal import Decimal as D
>>> weak = [(True, c, D(1)) for c in (0.9, 0.8, 0.7, 0.6)] + [(False, c, D(1)) for c in (0.5, 0.4, 0.3, 0.2)]
>>> runs = {"w": weak, "s": [(True, 0.9, D(10))] * 8}
>>> t = calibrate(runs, ["w", "s"], target_share=0.25)
>>> t, outcome(runs, ["w", "s"], t).share
([0.4], 0.25)
>>> calibrate(runs, ["w", "s"], target_accuracy=1.0)
[0.6]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from .cascade import replay


class CalibrationError(ValueError):
    """No thresholds can meet the target, or the target is malformed."""


@dataclass(frozen=True)
class Outcome:
    """A cascade replayed on one split."""

    thresholds: tuple[float, ...]
    accuracy: float
    cost: Decimal
    share: float           # share of tasks that reached the last model

    def as_dict(self) -> dict:
        return {"umbrales": list(self.thresholds), "precision": round(self.accuracy, 4),
                "coste_usd": self.cost, "cuota_fuerte": round(self.share, 4)}


def outcome(runs: dict, ladder: Sequence[str], thresholds: Sequence[float]) -> Outcome:
    """Accuracy, cost and strong-model share of a cascade from measured runs."""
    done = replay(runs, ladder, thresholds)
    n = len(done)
    return Outcome(tuple(thresholds), sum(r.correct for r in done) / n,
                   sum((r.cost for r in done), Decimal(0)),
                   sum(r.models[-1] == ladder[-1] for r in done) / n)


def threshold_for_share(confidences: Sequence[float], share: float) -> float:
    """A threshold under which about ``share`` of ``confidences`` fall (escalate if below).

    >>> threshold_for_share([0.1, 0.2, 0.3, 0.4], 0.5)
    0.3
    """
    if not 0.0 <= share <= 1.0:
        raise CalibrationError(f"La cuota objetivo debe estar entre 0 y 1; recibí {share}.")
    ordered = sorted(float(c) for c in confidences)
    k = round(share * len(ordered))
    if k >= len(ordered):
        return 1.0
    return ordered[k] if k > 0 else 0.0


def _candidates(confidences: Sequence[float], steps: int) -> list[float]:
    ordered = sorted(set(float(c) for c in confidences))
    if len(ordered) <= steps:
        return [0.0, *ordered, 1.0]
    picks = {ordered[round(i * (len(ordered) - 1) / steps)] for i in range(steps + 1)}
    return sorted({0.0, 1.0, *picks})


def calibrate(runs: dict, ladder: Sequence[str], *, target_share: float | None = None,
              target_accuracy: float | None = None, grid: int = 40) -> list[float]:
    """Thresholds (one per step but the last) for one of the two targets."""
    ladder = list(ladder)
    if len(ladder) < 2:
        raise CalibrationError("Calibrar necesita una escalera de al menos dos modelos.")
    if (target_share is None) == (target_accuracy is None):
        raise CalibrationError("Da exactamente un objetivo: target_share o target_accuracy.")
    if target_share is not None:
        if len(ladder) == 2:
            return [threshold_for_share([c for _, c, _ in runs[ladder[0]]], target_share)]
        options = _candidates([c for m in ladder[:-1] for _, c, _ in runs[m]], grid * 2)
        best = min(options, key=lambda t: (abs(outcome(runs, ladder, [t] * (len(ladder) - 1)).share
                                               - target_share), t))
        return [best] * (len(ladder) - 1)
    per_step = [_candidates([c for _, c, _ in runs[m]], grid if len(ladder) == 2 else 12)
                for m in ladder[:-1]]
    best: Outcome | None = None
    for combo in itertools.product(*per_step):
        result = outcome(runs, ladder, combo)
        if result.accuracy >= target_accuracy and (best is None or result.cost < best.cost):
            best = result
    if best is None:
        top = outcome(runs, ladder, [1.0] * (len(ladder) - 1)).accuracy
        raise CalibrationError(f"Ningún umbral alcanza una precisión de {target_accuracy:.1%}: "
                               f"ni enviando todo al último modelo se pasa de {top:.1%}. "
                               "Baja el objetivo o cambia la escalera.")
    return list(best.thresholds)


@dataclass(frozen=True)
class Report:
    """A calibration measured on its own split and on another one."""

    target: str
    calibrated: Outcome
    other: Outcome

    def drift(self) -> dict:
        return {"cuota_fuerte": round(self.other.share - self.calibrated.share, 4),
                "precision": round(self.other.accuracy - self.calibrated.accuracy, 4)}


def report(runs_calibration: dict, runs_other: dict, ladder: Sequence[str], *,
           target_share: float | None = None, target_accuracy: float | None = None,
           grid: int = 40) -> Report:
    """Calibrate on ``runs_calibration`` and replay the same thresholds on ``runs_other``."""
    thresholds = calibrate(runs_calibration, ladder, target_share=target_share,
                           target_accuracy=target_accuracy, grid=grid)
    target = (f"cuota {target_share:.0%}" if target_share is not None
              else f"precisión {target_accuracy:.0%}")
    return Report(target, outcome(runs_calibration, ladder, thresholds),
                  outcome(runs_other, ladder, thresholds))
