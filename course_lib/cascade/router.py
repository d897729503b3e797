"""A learned router: predict from the request which model suffices, and send it there at once.

:class:`LearnedRouter` follows scikit-learn's estimator shape: settings at
construction, ``fit(X, y)``, ``predict_proba(X)``, ``predict(X)``, learned
attributes ending in ``_``. ``X`` is a table with a text column (the question)
and any visible features (numbers, booleans, categories); ``y`` has one
boolean column per model of the ladder (was that model right on the task?).
One logistic regression per model estimates P(right | request) on TF-IDF
words (optionally character n-grams) plus the features, its ``C`` chosen by
cross-validation on the training rows (log-loss, so the estimates stay
probabilities) unless given. The router picks the **cheapest** model (the
ladder is ordered cheap to dear) whose estimate reaches ``min_p``, else the
last one. One request, one provider call: no wasted cheap attempt.

A decision in the pipeline is cheap: at ``fit`` the vectorizers' vocabularies,
idf weights, scaler and the models' coefficients are folded into one weight
matrix (:class:`_Scorer`), so scoring one request is a tokenization, a few
dictionary look-ups and one small dot product — no pandas, no scikit-learn
pipeline per call (the same numbers as ``predict_proba``; a test checks it).

``explain(row)`` says why: every model's estimate and the features that
pushed the decisive estimate most (coefficient × value; the decisive one is
the chosen model's, or the rung's just below it that fell short). In the
pipeline the explanation is deferred: ``call.notes["router"]`` is a
:class:`Decision` whose ``explain()`` computes it only when asked.

>>> import pandas as pd
>>> X = pd.DataFrame({"question": ["envío a Madrid", "calcula el total con cupón"] * 20,
...                   "n_words": [3, 5] * 20})
>>> y = pd.DataFrame({"barato": [True, False] * 20, "caro": [True, True] * 20})
>>> router = LearnedRouter(ladder=["barato", "caro"], min_p=0.6, C=1.0).fit(X, y)
>>> list(router.predict(X.head(2)))
['barato', 'caro']
>>> router.explain(X.iloc[1])["modelo"]
'caro'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping, Sequence

import numpy as np
import pandas as pd

from .cascade import rung
from .router_scoring import Scorer, fit_design


def _logistic(C: float, class_weight):
    from sklearn.linear_model import LogisticRegression

    # liblinear: the fastest exact solver for a few hundred rows of sparse features
    return LogisticRegression(C=C, solver="liblinear", max_iter=1000, class_weight=class_weight)


class RouterNotFitted(RuntimeError):
    """``predict`` before ``fit``."""


@dataclass(frozen=True)
class Decision:
    """One routing decision; ``explain()`` computes the reasons only when asked."""

    model: str
    probabilities: tuple[float, ...]
    row: Mapping = field(repr=False)
    router: "LearnedRouter" = field(repr=False, compare=False)

    def __getitem__(self, key: str):
        if key == "modelo":
            return self.model
        if key == "probabilidades":
            return {m: round(p, 3) for m, p in zip(self.router.ladder, self.probabilities)}
        return self.explain()[key]

    def explain(self, *, top: int = 5) -> dict:
        return self.router.explain(self.row, top=top)


@dataclass
class LearnedRouter:
    """Pick the cheapest model predicted to be right with probability ``min_p``."""

    ladder: Sequence[str]
    min_p: float = 0.7
    text_column: str = "question"
    C: float | None = None                   # None: chosen by cross-validation among ``Cs``
    Cs: Sequence[float] = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
    cv: int = 5
    class_weight: Literal["balanced"] | None = None   # "balanced" trades calibration for recall
    char_ngrams: tuple[int, int] | None = None   # e.g. (3, 5): robust to typos, slower to fit
    max_text_features: int = 3000
    name: str = "learned_router"
    scorer_: Scorer | None = field(default=None, init=False, repr=False)
    C_: dict = field(default_factory=dict, init=False, repr=False)

    def fit(self, X: pd.DataFrame, y: pd.DataFrame) -> "LearnedRouter":
        missing = [m for m in self.ladder if m not in y]
        if missing:
            raise ValueError(f"Faltan en y las columnas de {missing}: una columna booleana por "
                             "modelo de la escalera (¿acertó ese modelo la tarea?).")
        matrix, design = fit_design(X, text_column=self.text_column, char_ngrams=self.char_ngrams,
                                    max_text_features=self.max_text_features)
        weights, bias = np.zeros((matrix.shape[1], len(self.ladder))), np.zeros(len(self.ladder))
        self.C_ = {}
        for k, model in enumerate(self.ladder):
            target = y[model].astype(bool).to_numpy()
            if target.all() or not target.any():      # one class only: a constant estimate
                p = min(max(float(target.mean()), 1e-6), 1 - 1e-6)
                bias[k] = np.log(p / (1 - p))
                continue
            C = self.C if self.C is not None else self._tuned_C(matrix, target)
            est = _logistic(C, self.class_weight).fit(matrix, target)
            weights[:, k], bias[k], self.C_[model] = est.coef_[0], est.intercept_[0], C
        self.scorer_ = Scorer(design, weights, bias)
        return self

    def _tuned_C(self, matrix, target) -> float:
        from sklearn.model_selection import StratifiedKFold, cross_val_score

        folds = min(self.cv, int(target.sum()), int((~target).sum()))
        if folds < 2:
            return float(self.Cs[len(self.Cs) // 2])
        split = StratifiedKFold(folds, shuffle=True, random_state=0)
        scores = [cross_val_score(_logistic(C, self.class_weight), matrix, target, cv=split,
                                  scoring="neg_log_loss").mean() for C in self.Cs]
        return float(self.Cs[int(np.argmax(scores))])

    def _fitted(self) -> Scorer:
        if self.scorer_ is None:
            raise RouterNotFitted("El router no está entrenado: llama antes a fit(X, y).")
        return self.scorer_

    def predict_proba(self, X: pd.DataFrame) -> pd.DataFrame:
        """Estimated P(right) per model (columns in ladder order)."""
        probs = self._fitted().proba_matrix(X)
        return pd.DataFrame(probs, index=X.index, columns=list(self.ladder))

    def proba_one(self, row: Mapping) -> np.ndarray:
        """P(right) per model for one request given as a mapping (the fast path)."""
        return self._fitted().proba(row)

    def _choose(self, probs) -> int:
        for i, p in enumerate(probs):
            if p >= self.min_p:
                return i
        return len(self.ladder) - 1

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The chosen model per row."""
        probs = self.predict_proba(X).to_numpy()
        return np.array([self.ladder[self._choose(row)] for row in probs], dtype=object)

    def explain(self, row: Mapping, *, top: int = 5) -> dict:
        """The decision for one request: estimates, chosen model, strongest features."""
        scorer = self._fitted()
        row = dict(row.items()) if hasattr(row, "items") else dict(row)
        probs = scorer.proba(row)
        index = self._choose(probs)
        chosen = self.ladder[index]
        # The decisive estimate: the chosen model's when it is the first rung, else that of the
        # rung just below, whose estimate fell short of min_p.
        decisive = index if index == 0 else index - 1
        pushes = [(name, round(value, 3)) for name, value in scorer.contributions(row, decisive, top=top)]
        return {"modelo": chosen, "probabilidades": {m: round(float(p), 3) for m, p in zip(self.ladder, probs)},
                "umbral": self.min_p, "decide": self.ladder[decisive], "rasgos": pushes}

    def middleware(self, *, features: pd.DataFrame | None = None):
        """A router-slot middleware. ``features`` is indexed by task id (``world.feature_table``
        plus the question): a request carrying ``metadata["task_id"]`` is scored on its row;
        any other request on its last user message. Each request is scored when it arrives."""
        scorer = self._fitted()
        rows = {} if features is None else {k: dict(v) for k, v in
                                            zip(features.index, features.to_dict("records"))}
        ladder, text_column = list(self.ladder), self.text_column

        def route(call, call_next):
            task_id = (call.params.get("metadata") or {}).get("task_id")
            row = rows.get(task_id)
            if row is None:
                messages = call.params.get("messages") or []
                last = next((m.get("content") for m in reversed(messages) if m.get("role") == "user"), "")
                row = {text_column: str(last or "")}
            probs = scorer.proba(row)
            choice = ladder[self._choose(probs)]
            call.notes["router"] = Decision(choice, tuple(float(p) for p in probs), row, self)
            model, extra = rung(choice)
            call.params = {**call.params, "model": model, **extra}
            return call_next(call)

        route.name = self.name
        return route
