"""The learned router's features, and a fast scorer for one request at a time.

:func:`fit_design` turns a table (a text column plus visible features) into
the design matrix the router's logistic regressions learn on: TF-IDF of
words (1–2 grams) and of character n-grams (``char_wb``, robust to typos),
one-hot categories (``"NA"`` for missing) and standardized numbers and
booleans (missing as 0). It returns the fitted :class:`Design`.

:class:`Scorer` folds a design and the models' coefficients into plain
arrays and dictionaries, so that ``Scorer.proba(row)`` for one request is a
tokenization, dictionary look-ups and a dot product over the few features
present — the same numbers as transforming a one-row table with
scikit-learn, without its per-call overhead (pandas frames, column
dispatch, sparse-matrix construction). ``proba_matrix`` is the batch path
(scikit-learn's transforms), used for tables.

What this leaves out: feature selection and interactions; the router decides
on the estimates (``router``).

>>> import pandas as pd
>>> X = pd.DataFrame({"question": ["hola hola", "adiós"], "n": [1, 3], "tipo": ["a", None]})
>>> matrix, design = fit_design(X, text_column="question", char_ngrams=None, max_text_features=10)
>>> design.numeric, design.categorical, matrix.shape[0]
(['n'], ['tipo'], 2)
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd


def _is_number(series: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _category(value) -> str:
    return "NA" if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA \
        else str(value)


def _number(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(out) else out


@dataclass
class Design:
    """Fitted feature transforms, in matrix column order: texts, categories, numbers."""

    text_column: str
    vectorizers: list            # fitted TfidfVectorizers (words, then characters)
    categorical: list[str]
    numeric: list[str]
    encoder: object | None       # OneHotEncoder over ``categorical``
    scaler: object | None        # StandardScaler over ``numeric``

    def frame(self, X: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=X.index)
        out["__text"] = [_text(v) for v in X[self.text_column]] if self.text_column in X else ""
        for name in self.categorical:
            out[name] = [_category(v) for v in X[name]] if name in X else "NA"
        for name in self.numeric:
            out[name] = [_number(v) for v in X[name]] if name in X else 0.0
        return out

    def transform(self, X: pd.DataFrame):
        from scipy import sparse

        data = self.frame(X)
        blocks = [v.transform(data["__text"]) for v in self.vectorizers]
        if self.encoder is not None:
            blocks.append(self.encoder.transform(data[self.categorical]))
        if self.scaler is not None:
            blocks.append(sparse.csr_matrix(self.scaler.transform(data[self.numeric].to_numpy(float))))
        return sparse.hstack(blocks, format="csr")

    def feature_names(self) -> list[str]:
        names = []
        for kind, v in zip(("palabras", "caracteres"), self.vectorizers):
            names += [f"{kind}:{t}" for t in v.get_feature_names_out()]
        if self.encoder is not None:
            names += list(self.encoder.get_feature_names_out(self.categorical))
        return names + list(self.numeric)


def fit_design(X: pd.DataFrame, *, text_column: str, char_ngrams: tuple[int, int] | None,
               max_text_features: int):
    """Fit the transforms on ``X``; returns ``(matrix, design)``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    categorical = [c for c in X.columns if c != text_column and not _is_number(X[c])]
    numeric = [c for c in X.columns if c != text_column and _is_number(X[c])]
    min_df = 2 if len(X) >= 20 else 1          # a term seen once in a big table is noise
    vectorizers = [TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True,
                                   max_features=max_text_features)]
    if char_ngrams:
        vectorizers.append(TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(char_ngrams), min_df=min_df,
                                           sublinear_tf=True, max_features=max_text_features))
    design = Design(text_column, vectorizers, categorical, numeric,
                    OneHotEncoder(handle_unknown="ignore") if categorical else None,
                    StandardScaler() if numeric else None)
    data = design.frame(X)
    texts = data["__text"]
    if texts.str.len().sum() == 0:
        texts = pd.Series(["_"] * len(texts), index=texts.index)   # no text at all: a dummy vocabulary
    from scipy import sparse

    blocks = [v.fit_transform(texts) for v in vectorizers]
    if design.encoder is not None:
        blocks.append(design.encoder.fit_transform(data[categorical]))
    if design.scaler is not None:
        blocks.append(sparse.csr_matrix(design.scaler.fit_transform(data[numeric].to_numpy(float))))
    return sparse.hstack(blocks, format="csr"), design


class Scorer:
    """Logistic estimates for every model from one request's features, without scikit-learn."""

    def __init__(self, design: Design, weights: np.ndarray, bias: np.ndarray):
        self.design, self.weights, self.bias = design, np.asarray(weights, float), np.asarray(bias, float)
        self._texts, offset = [], 0
        for v in design.vectorizers:
            vocab = dict(v.vocabulary_)
            self._texts.append((v.build_analyzer(), vocab, v.idf_.astype(float), offset, v.sublinear_tf))
            offset += len(vocab)
        self._categories: dict[tuple[str, str], int] = {}
        if design.encoder is not None:
            for name, values in zip(design.categorical, design.encoder.categories_):
                for value in values:
                    self._categories[(name, str(value))] = offset
                    offset += 1
        self._numeric_offset = offset
        if design.scaler is not None:
            self._mean, self._scale = design.scaler.mean_.astype(float), design.scaler.scale_.astype(float)
        self.names = design.feature_names()

    def features(self, row: Mapping) -> tuple[np.ndarray, np.ndarray]:
        """The request's nonzero features: column indices and values."""
        cols: list[int] = []
        vals: list[float] = []
        text = _text(row.get(self.design.text_column))
        for analyzer, vocab, idf, offset, sublinear in self._texts:
            counts = Counter(j for j in map(vocab.get, analyzer(text)) if j is not None)
            if not counts:
                continue
            idx = np.fromiter(counts, int, len(counts))
            tf = np.fromiter(counts.values(), float, len(counts))
            tfidf = (1.0 + np.log(tf) if sublinear else tf) * idf[idx]
            cols.extend((idx + offset).tolist())
            vals.extend((tfidf / np.sqrt(tfidf @ tfidf)).tolist())
        for name in self.design.categorical:
            j = self._categories.get((name, _category(row.get(name))))
            if j is not None:
                cols.append(j)
                vals.append(1.0)
        if self.design.numeric:
            x = np.array([_number(row.get(n)) for n in self.design.numeric])
            cols.extend(range(self._numeric_offset, self._numeric_offset + len(x)))
            vals.extend(((x - self._mean) / self._scale).tolist())
        return np.asarray(cols, int), np.asarray(vals, float)

    def proba(self, row: Mapping) -> np.ndarray:
        cols, vals = self.features(row)
        return 1.0 / (1.0 + np.exp(-(vals @ self.weights[cols] + self.bias)))

    def proba_matrix(self, X: pd.DataFrame) -> np.ndarray:
        z = self.design.transform(X) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.asarray(z)))

    def contributions(self, row: Mapping, model: int, *, top: int = 5) -> list[tuple[str, float]]:
        """The features that pushed ``model``'s estimate most (coefficient × value)."""
        cols, vals = self.features(row)
        contrib = vals * self.weights[cols, model]
        order = np.argsort(-np.abs(contrib))[:top]
        return [(self.names[cols[i]], float(contrib[i])) for i in order if contrib[i] != 0]
