"""A cascade: try the cheapest model first and climb the ladder while the answer looks unsure.

``Cascade(ladder=[m1, m2, m3], thresholds=[t1, t2])`` is a router-slot
middleware: it sends the call to ``m1``, scores the answer (by default the
answer's logprob confidence, see ``scorers``) and returns it if the score is
at least ``t1``; otherwise it asks ``m2``, and so on; the last model's answer
is always returned. A rung ``"gpt-5-mini@minimal"`` calls ``gpt-5-mini`` with
``reasoning_effort="minimal"`` (see :func:`rung`). Each step is a provider attempt of the same call, so the
ledger shows the wasted cheap tries. ``call.notes["cascade"]`` keeps the path
(model and score per step), which is how a learner sees why it escalated.

:func:`replay` computes what a cascade would do from measured per-model
outcomes, without calling anything (calibration uses it); it agrees with the
live middleware because the simulator is deterministic.

>>> from types import SimpleNamespace as NS
>>> def fake_provider(call):
...     conf = {"barato": 0.4, "caro": 0.9}[call.params["model"]]
...     tok = NS(logprob=__import__("math").log(conf))
...     return NS(choices=[NS(message=NS(content=call.params["model"]), logprobs=NS(content=[tok]))])
>>> from course_lib.client.pipeline import Call
>>> cascade = Cascade(ladder=["barato", "caro"], thresholds=[0.5])
>>> call = Call("chat.completions", {"model": "x"})
>>> cascade(call, fake_provider).choices[0].message.content, call.notes["cascade"]
('caro', [('barato', 0.4), ('caro', None)])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Sequence

from .scorers import logprob_confidence


class CascadeConfigError(ValueError):
    """A ladder and its thresholds do not fit together."""


def rung(name: str) -> tuple[str, dict]:
    """A ladder rung's model and extra request settings: ``model@effort`` sets ``reasoning_effort``.

    >>> rung("gpt-5-mini@minimal"), rung("gpt-4o-mini")
    (('gpt-5-mini', {'reasoning_effort': 'minimal'}), ('gpt-4o-mini', {}))
    """
    model, _, effort = str(name).partition("@")
    return model, ({"reasoning_effort": effort} if effort else {})


@dataclass
class Cascade:
    """Ladder of models, one threshold per step but the last, and a scorer."""

    ladder: Sequence[str]
    thresholds: Sequence[float]
    scorer: Callable = field(default=logprob_confidence)
    name: str = "cascade"

    def __post_init__(self):
        self.ladder, self.thresholds = list(self.ladder), [float(t) for t in self.thresholds]
        if not self.ladder:
            raise CascadeConfigError("La escalera está vacía: pon al menos un modelo.")
        if len(self.thresholds) != len(self.ladder) - 1:
            raise CascadeConfigError(
                f"Una escalera de {len(self.ladder)} modelos necesita {len(self.ladder) - 1} "
                f"umbrales (uno por peldaño salvo el último); recibí {len(self.thresholds)}.")
        if any(not 0.0 <= t <= 1.0 for t in self.thresholds):
            raise CascadeConfigError("Los umbrales son confianzas entre 0 y 1.")

    def __call__(self, call, call_next):
        path = call.notes.setdefault("cascade", [])
        wants_logprobs = getattr(self.scorer, "needs_logprobs", False)
        response, original = None, dict(call.params)
        for step, model in enumerate(self.ladder):
            base, extra = rung(model)
            params = {**original, "model": base, **extra}
            if wants_logprobs and step < len(self.thresholds):
                params["logprobs"] = True
            call.params = params
            response = call_next(call)
            if step == len(self.thresholds):
                path.append((model, None))
                break
            score = float(self.scorer(call, response, call_next))
            path.append((model, round(score, 4)))
            if score >= self.thresholds[step]:
                break
        return response


@dataclass(frozen=True)
class Replayed:
    """What a cascade did on one task, computed from measured outcomes."""

    correct: bool
    cost: Decimal
    models: tuple[str, ...]


def replay(runs: dict, ladder: Sequence[str], thresholds: Sequence[float]) -> list[Replayed]:
    """A cascade's outcome per task from ``runs[model][i] = (correct, confidence, cost)``.

    >>> runs = {"a": [(False, 0.3, Decimal("1")), (True, 0.9, Decimal("1"))],
    ...         "b": [(True, 0.8, Decimal("10")), (True, 0.9, Decimal("10"))]}
    >>> [(r.correct, r.cost, r.models) for r in replay(runs, ["a", "b"], [0.5])]
    [(True, Decimal('11'), ('a', 'b')), (True, Decimal('1'), ('a',))]
    """
    n = len(runs[ladder[0]])
    out = []
    for i in range(n):
        cost, models = Decimal(0), []
        for step, model in enumerate(ladder):
            correct, confidence, c = runs[model][i]
            cost += c
            models.append(model)
            if step == len(thresholds) or confidence >= thresholds[step]:
                break
        out.append(Replayed(bool(correct), cost, tuple(models)))
    return out
