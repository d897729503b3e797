"""A learned router: predict from the request which model suffices, and send it there at once.

:class:`LearnedRouter` follows scikit-learn's estimator shape: settings at
construction, ``fit(X, y)``, ``predict_proba(X)``, ``predict(X)``, learned
attributes ending in ``_``. ``X`` is a table with a text column (the question)
and any visible features (numbers, booleans, categories); ``y`` has one
boolean column per model of the ladder (was that model right on the task?).
One logistic regression per model estimates P(right | request) on TF-IDF
words plus the features; the router picks the **cheapest** model (the ladder
is ordered cheap to dear) whose estimate reaches ``min_p``, else the last one.
There is no wasted cheap attempt: one request, one provider call.

``explain(row)`` says why: every model's estimate and the features that
pushed the decisive estimate most (coefficient × value; the decisive one is
the chosen model's, or the rung's just below it that fell short), which is what
semantic-router users miss. :meth:`LearnedRouter.middleware` plugs it into the
pipeline's ``"router"`` slot, looking the task up by ``metadata["task_id"]``
in a feature table (or reading the last user message when it is not there).

>>> import pandas as pd
>>> X = pd.DataFrame({"question": ["envío a Madrid", "calcula el total con cupón"] * 20,
...                   "n_words": [3, 5] * 20})
>>> y = pd.DataFrame({"barato": [True, False] * 20, "caro": [True, True] * 20})
>>> router = LearnedRouter(ladder=["barato", "caro"], min_p=0.6).fit(X, y)
>>> list(router.predict(X.head(2)))
['barato', 'caro']
>>> router.explain(X.iloc[1])["modelo"]
'caro'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd


class RouterNotFitted(RuntimeError):
    """``predict`` before ``fit``."""


def _columns(X: pd.DataFrame, text_column: str) -> tuple[list[str], list[str]]:
    categorical, numeric = [], []
    for name in X.columns:
        if name == text_column:
            continue
        if pd.api.types.is_bool_dtype(X[name]) or pd.api.types.is_numeric_dtype(X[name]):
            numeric.append(name)
        else:
            categorical.append(name)
    return categorical, numeric


def _prepare(X: pd.DataFrame, text_column: str, categorical, numeric) -> pd.DataFrame:
    out = pd.DataFrame(index=X.index)
    out[text_column] = X[text_column].fillna("").astype(str) if text_column in X else ""
    for name in categorical:
        out[name] = X[name].astype(object).where(X[name].notna(), "NA").astype(str) \
            if name in X else "NA"
    for name in numeric:
        col = pd.to_numeric(X[name], errors="coerce") if name in X else np.nan
        out[name] = pd.Series(col, index=X.index, dtype=float).fillna(0.0)
    return out


@dataclass
class LearnedRouter:
    """Pick the cheapest model predicted to be right with probability ``min_p``."""

    ladder: Sequence[str]
    min_p: float = 0.7
    text_column: str = "question"
    C: float = 1.0
    max_text_features: int = 2000
    name: str = "learned_router"
    encoder_: object = field(default=None, init=False, repr=False)
    models_: dict = field(default_factory=dict, init=False, repr=False)

    def _encoder(self, categorical, numeric):
        from sklearn.compose import ColumnTransformer
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        parts = [("texto", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                           max_features=self.max_text_features), self.text_column)]
        if categorical:
            parts.append(("cat", OneHotEncoder(handle_unknown="ignore"), categorical))
        if numeric:
            parts.append(("num", StandardScaler(), numeric))
        return ColumnTransformer(parts)

    def fit(self, X: pd.DataFrame, y: pd.DataFrame) -> "LearnedRouter":
        from sklearn.linear_model import LogisticRegression

        missing = [m for m in self.ladder if m not in y]
        if missing:
            raise ValueError(f"Faltan en y las columnas de {missing}: una columna booleana por "
                             "modelo de la escalera (¿acertó ese modelo la tarea?).")
        self.categorical_, self.numeric_ = _columns(X, self.text_column)
        data = _prepare(X, self.text_column, self.categorical_, self.numeric_)
        self.encoder_ = self._encoder(self.categorical_, self.numeric_).fit(data)
        matrix = self.encoder_.transform(data)
        self.feature_names_ = list(self.encoder_.get_feature_names_out())
        self.models_ = {}
        for model in self.ladder:
            target = y[model].astype(bool).to_numpy()
            if target.all() or not target.any():      # one class only: a constant estimate
                self.models_[model] = float(target.mean())
                continue
            self.models_[model] = LogisticRegression(C=self.C, max_iter=2000).fit(matrix, target)
        return self

    def _matrix(self, X: pd.DataFrame):
        if self.encoder_ is None:
            raise RouterNotFitted("El router no está entrenado: llama antes a fit(X, y).")
        return self.encoder_.transform(_prepare(X, self.text_column, self.categorical_, self.numeric_))

    def predict_proba(self, X: pd.DataFrame) -> pd.DataFrame:
        """Estimated P(right) per model (columns in ladder order)."""
        matrix = self._matrix(X)
        out = {}
        for model, est in self.models_.items():
            out[model] = (np.full(matrix.shape[0], est) if isinstance(est, float)
                          else est.predict_proba(matrix)[:, 1])
        return pd.DataFrame(out, index=X.index)[list(self.ladder)]

    def _choose(self, probs: np.ndarray) -> int:
        for i, p in enumerate(probs):
            if p >= self.min_p:
                return i
        return len(self.ladder) - 1

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The chosen model per row."""
        probs = self.predict_proba(X).to_numpy()
        return np.array([self.ladder[self._choose(row)] for row in probs], dtype=object)

    def explain(self, row: pd.Series, *, top: int = 5) -> dict:
        """The decision for one request: estimates, chosen model, strongest features."""
        X = row.to_frame().T.infer_objects()
        probs = self.predict_proba(X).iloc[0]
        index = self._choose(probs.to_numpy())
        chosen = self.ladder[index]
        # The decisive estimate: the chosen model's when it is the first rung, else that of the
        # rung just below, whose estimate fell short of min_p.
        decisive = chosen if index == 0 else self.ladder[index - 1]
        est = self.models_[decisive]
        pushes = []
        if not isinstance(est, float):
            vector = self._matrix(X)
            vector = vector.toarray()[0] if hasattr(vector, "toarray") else np.asarray(vector)[0]
            contrib = vector * est.coef_[0]
            for j in np.argsort(-np.abs(contrib))[:top]:
                if contrib[j] != 0:
                    pushes.append((self.feature_names_[j], round(float(contrib[j]), 3)))
        return {"modelo": chosen, "probabilidades": {m: round(float(p), 3) for m, p in probs.items()},
                "umbral": self.min_p, "decide": decisive, "rasgos": pushes}

    def middleware(self, *, features: pd.DataFrame | None = None, explain: bool = False):
        """A router-slot middleware; ``features`` is indexed by task id (``world.feature_table``
        plus the question), so a request carrying ``metadata["task_id"]`` is routed on them.

        The table is scored once, up front (one batch); other requests are scored one by
        one on their last user message (slower: a few milliseconds each)."""
        table = features
        # The table's estimates in one batch: a request of a known task is a dict lookup.
        known = {} if table is None else dict(zip(table.index, self.predict_proba(table).to_numpy()))

        def route(call, call_next):
            task_id = (call.params.get("metadata") or {}).get("task_id")
            if task_id in known and not explain:
                probs = known[task_id]
                model = self.ladder[self._choose(probs)]
                call.notes["router"] = {"modelo": model, "probabilidades": {
                    m: round(float(p), 3) for m, p in zip(self.ladder, probs)}}
                call.params = {**call.params, "model": model}
                return call_next(call)
            if table is not None and task_id in table.index:
                row = table.loc[task_id]
            else:
                messages = call.params.get("messages") or []
                last = next((m.get("content") for m in reversed(messages)
                             if m.get("role") == "user"), "")
                row = pd.Series({self.text_column: str(last or "")})
            X = row.to_frame().T.infer_objects()
            probs = self.predict_proba(X).iloc[0]
            model = self.ladder[self._choose(probs.to_numpy())]
            call.notes["router"] = self.explain(row) if explain else \
                {"modelo": model, "probabilidades": {m: round(float(p), 3) for m, p in probs.items()}}
            call.params = {**call.params, "model": model}
            return call_next(call)

        route.name = self.name
        return route
