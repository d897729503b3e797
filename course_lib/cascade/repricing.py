"""Dynamic pricing: when a price changes on a date, re-choose the ladder and its thresholds.

Measured single-model runs keep their tokens (``TaskOutcome.tokens``), so they
can be re-priced with any ``PriceBook`` at any date (:func:`reprice`) without
calling a model again. :func:`best_cascade` searches candidate ladders for the
cheapest one that reaches a target accuracy, calibrating each ladder's
thresholds with ``calibration``. :class:`Repricing` is a router-slot
middleware that does this on the fly: before each call it reads the prices in
force at the clock's date, and when they differ from the last ones it re-runs
the search, so a price cut on ``effective_from`` flips the choice that day.

What it leaves out: re-measuring quality (a price change does not change
accuracy) and forecasting prices.

>>> from decimal import Decimal as D
>>> from course_lib.pricing import ModelPrice, PriceBook
>>> book = PriceBook([ModelPrice("a", input=1, output=1), ModelPrice("b", input=10, output=10)])
>>> o = TaskOutcome("t", True, D(0), ("a",), 0.0, "", tokens=(1_000_000, 0, 0, 0))
>>> runs = reprice({"a": Evaluation("a", (o,), D(0))}, book)
>>> runs["a"][0][2]
Decimal('1')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Callable, Sequence

from .calibration import CalibrationError, Outcome, calibrate, outcome
from .cascade import Cascade, rung
from .evaluation import Evaluation, TaskOutcome


def reprice(evaluations: dict[str, Evaluation], prices, *, at=None) -> dict[str, list]:
    """Per model, per task ``(correct, confidence, cost)`` with costs from ``prices`` at ``at``."""
    from course_lib.pricing import Usage

    out = {}
    for model, ev in evaluations.items():
        base = rung(model)[0]               # "gpt-5-mini@minimal": a setting of gpt-5-mini
        rows = []
        for o in ev.outcomes:
            i, out_t, cached, reasoning = o.tokens
            cost = prices.cost(base, Usage(i, out_t, cached, reasoning), at=at)
            rows.append((o.correct, o.confidence if o.confidence is not None else 0.0, cost))
        out[model] = rows
    return out


@dataclass(frozen=True)
class Choice:
    """The cheapest ladder reaching the target, with its thresholds and replayed outcome."""

    ladder: tuple[str, ...]
    thresholds: tuple[float, ...]
    outcome: Outcome


def best_cascade(runs: dict, ladders: Sequence[Sequence[str]], *, target_accuracy: float,
                 grid: int = 30) -> Choice:
    """The cheapest of ``ladders`` (single models allowed) reaching ``target_accuracy``."""
    best: Choice | None = None
    for ladder in ladders:
        ladder = tuple(ladder)
        if len(ladder) == 1:
            result = outcome(runs, ladder, [])
            if result.accuracy < target_accuracy:
                continue
            thresholds = ()
        else:
            try:
                thresholds = tuple(calibrate(runs, ladder, target_accuracy=target_accuracy, grid=grid))
            except CalibrationError:
                continue
            result = outcome(runs, ladder, thresholds)
        if best is None or result.cost < best.outcome.cost:
            best = Choice(ladder, thresholds, result)
    if best is None:
        raise CalibrationError(f"Ninguna escalera alcanza una precisión de {target_accuracy:.1%}.")
    return best


@dataclass
class Repricing:
    """A cascade that re-optimizes itself whenever the prices in force change."""

    evaluations: dict[str, Evaluation]
    ladders: Sequence[Sequence[str]]
    target_accuracy: float
    prices: object
    clock: Callable[[], float]
    name: str = "repricing"
    choices: list = field(default_factory=list, init=False)

    def _prices_key(self, at) -> tuple:
        names = sorted({rung(m)[0] for ladder in self.ladders for m in ladder})
        return tuple(self.prices.get(m, at=at) for m in names)

    def current(self) -> Choice:
        """The choice for the prices in force now (re-searched only when they changed)."""
        at = datetime.fromtimestamp(self.clock(), tz=timezone.utc)
        key = self._prices_key(at)
        if not self.choices or self.choices[-1][0] != key:
            runs = reprice(self.evaluations, self.prices, at=at)
            self.choices.append((key, best_cascade(runs, self.ladders,
                                                   target_accuracy=self.target_accuracy), at))
        return self.choices[-1][1]

    def __call__(self, call, call_next):
        choice = self.current()
        call.notes["repricing"] = {"escalera": list(choice.ladder), "umbrales": list(choice.thresholds)}
        cascade = Cascade(ladder=list(choice.ladder), thresholds=list(choice.thresholds))
        return cascade(call, call_next)


__all__ = ["Choice", "Repricing", "best_cascade", "reprice", "TaskOutcome"]
