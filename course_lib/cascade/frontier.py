"""The single-model Pareto frontier, and where a strategy lies against it.

Each model measured alone on a task set is a point (cost, accuracy). A point
is on the **frontier** when no other point is at least as accurate for at
most the same cost (and better in one of the two). A strategy is worth having
only if it lies *strictly above* the frontier: no single model reaches its
accuracy for its cost or less. :func:`measure_models` measures the points
through ``evaluation.evaluate``; the rest works on plain numbers.

>>> points = [Point("nano", 1.0, 0.62), Point("mini", 3.0, 0.68), Point("caro", 50.0, 0.86),
...           Point("medio", 40.0, 0.60)]
>>> [p.name for p in pareto_frontier(points)]
['nano', 'mini', 'caro']
>>> [p.name for p in dominating(Point("mía", 20.0, 0.80), points)], beats_frontier(Point("mía", 20.0, 0.80), points)
([], True)
>>> [p.name for p in dominating(Point("mía", 20.0, 0.65), points)]
['mini']
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Sequence

from .evaluation import Evaluation, evaluate


@dataclass(frozen=True)
class Point:
    """A strategy or model on the cost-quality plane (cost in USD for the whole task set)."""

    name: str
    cost: float
    accuracy: float

    @classmethod
    def of(cls, evaluation: Evaluation) -> "Point":
        return cls(evaluation.name, float(evaluation.cost), evaluation.accuracy)


def pareto_frontier(points: Iterable[Point]) -> list[Point]:
    """Points no other point dominates, from cheapest to dearest."""
    ordered = sorted(points, key=lambda p: (p.cost, -p.accuracy))
    frontier: list[Point] = []
    for p in ordered:
        if not frontier or p.accuracy > frontier[-1].accuracy:
            frontier.append(p)
    return frontier


def dominating(point: Point, points: Iterable[Point]) -> list[Point]:
    """Points at least as accurate as ``point`` for at most its cost (other than itself)."""
    return [p for p in points if p.name != point.name
            and p.accuracy >= point.accuracy and p.cost <= point.cost]


def beats_frontier(point: Point, points: Iterable[Point]) -> bool:
    """True when no single model is at least as accurate for at most the same cost."""
    return not dominating(point, points)


def cheapest_at_least(accuracy: float, points: Iterable[Point]) -> Point | None:
    """The cheapest point reaching ``accuracy`` (``None`` when none does).

    >>> cheapest_at_least(0.65, [Point("a", 1, 0.6), Point("b", 3, 0.7), Point("c", 9, 0.9)]).name
    'b'
    """
    reaching = [p for p in points if p.accuracy >= accuracy]
    return min(reaching, key=lambda p: p.cost) if reaching else None


def measure_models(client, tasks, models: Sequence[str], *, request: Callable[[dict], dict],
                   is_correct: Callable[[dict, str], bool], workers: int = 1) -> dict[str, Evaluation]:
    """Each model alone on ``tasks`` (same requests for all), as evaluations by name."""
    tasks = list(tasks.to_dict("records") if hasattr(tasks, "to_dict") else tasks)
    return {m: evaluate(client, tasks, request=request, is_correct=is_correct, strategy=m,
                        workers=workers) for m in models}


def runs_of(evaluations: dict[str, Evaluation]) -> dict[str, list[tuple[bool, float, Decimal]]]:
    """Per model, per task ``(correct, confidence, cost)``: what ``cascade.replay`` reads."""
    return {m: [(o.correct, o.confidence if o.confidence is not None else 0.0, o.cost)
                for o in e.outcomes] for m, e in evaluations.items()}
