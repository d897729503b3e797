"""Anomaly detection on hourly cost per feature, robust to daily and weekly seasonality.

The expected cost of an hour is the **median of the same hour of the week**
(and the hours beside it) over the previous ``weeks`` weeks: Monday 10:00 is
compared with earlier Mondays around 10:00, so office hours, evening peaks and
quiet Sundays are not anomalies, and a slow trend moves the baseline with it.
An hour is anomalous when its cost exceeds that baseline by more than ``c``
times the feature's typical large deviation *and* is more than ``ratio``
times the baseline *and* the excess matters to the bill (at least
``min_share`` of the mean hourly total of all features). Deviations are measured on a variance-stabilised scale,
``(cost - baseline) / sqrt(baseline + floor)`` (cost is a sum of requests, so
its spread grows like the square root of its level; ``floor`` is
``floor_share`` times the feature's mean hourly cost): a quiet night is held to a tighter
bound than a busy Monday morning. The typical large deviation ``scale_`` is
the ``q`` quantile of those residuals in the fitted history. Consecutive anomalous hours of one feature form one
:class:`Anomaly` (an event, the unit of alerts).

Estimator shape as in scikit-learn: parameters at construction, :meth:`fit`
learns ``scale_`` per feature from a history, :meth:`detect` flags hours of
any frame that also holds the weeks before them.

>>> import numpy as np, pandas as pd
>>> idx = pd.date_range("2026-01-05", periods=24 * 7 * 6, freq="h", tz="UTC")
>>> base = 1 + np.sin(np.arange(len(idx)) / 24 * 2 * np.pi) ** 2
>>> costs = pd.DataFrame({"chat": base * (1 + 0.05 * np.random.default_rng(0).random(len(idx)))}, index=idx)
>>> costs.iloc[-30, 0] = 40.0                                   # one runaway hour
>>> found = AnomalyDetector().fit(costs.iloc[:-48]).detect(costs)
>>> [(a.feature, a.start == idx[-30], a.hours) for a in found]
[('chat', True, 1)]

It reads cost tables only; turning events into alerts or plots is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_lib import numbers


@dataclass(frozen=True)
class Anomaly:
    """One event: ``feature`` cost too high from ``start`` for ``hours`` hours."""

    feature: str
    start: pd.Timestamp
    end: pd.Timestamp          # exclusive: the hour after the last anomalous one
    hours: int
    cost: float                # observed USD over the event
    expected: float            # baseline USD over the event

    @property
    def excess(self) -> float:
        return self.cost - self.expected

    def describe(self) -> str:
        return (f"{self.feature}: {self.start:%d/%m %H:%M}–{self.end:%H:%M}, "
                f"{numbers.num(self.cost)} USD frente a {numbers.num(self.expected)} esperados")


class AnomalyDetector:
    """Seasonal-median detector; ``fit(hourly)`` then ``detect(hourly)``."""

    def __init__(self, *, weeks: int = 4, c: float = 3.0, q: float = 0.99, ratio: float = 3.0,
                 min_share: float = 0.05, floor_share: float = 1.0, neighbours: int = 1,
                 min_history: int = 6):
        if weeks < 1 or c <= 0 or not 0 < q < 1 or ratio < 1:
            raise ValueError("Parámetros del detector fuera de rango: weeks ≥ 1, c > 0, 0 < q < 1, ratio ≥ 1.")
        self.weeks, self.c, self.q, self.ratio, self.min_share = weeks, c, q, ratio, min_share
        self.floor_share = floor_share
        self.neighbours, self.min_history = neighbours, min_history

    @staticmethod
    def _check(hourly) -> pd.DataFrame:
        if isinstance(hourly, pd.Series):
            hourly = hourly.to_frame(hourly.name or "coste")
        if not isinstance(hourly, pd.DataFrame) or not isinstance(hourly.index, pd.DatetimeIndex):
            raise TypeError("Espero un DataFrame de coste por hora (índice de fechas, una columna por "
                            "funcionalidad), como cost_table(..., by='feature', freq='h').")
        return hourly.astype(float).asfreq("h", fill_value=0.0)

    def baseline(self, hourly) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Expected cost per hour and how many past values it rests on."""
        hourly = self._check(hourly)
        medians, counts = {}, {}
        for feature in hourly.columns:
            x = hourly[feature]
            lags = pd.concat([x.shift(168 * w + d) for w in range(1, self.weeks + 1)
                              for d in range(-self.neighbours, self.neighbours + 1)], axis=1)
            medians[feature], counts[feature] = lags.median(axis=1), lags.notna().sum(axis=1)
        return pd.DataFrame(medians), pd.DataFrame(counts)

    def fit(self, hourly) -> AnomalyDetector:
        """Learn each feature's typical large deviation ``scale_`` from a history."""
        hourly = self._check(hourly)
        base, count = self.baseline(hourly)
        full = count >= (2 * self.neighbours + 1) * self.weeks
        self.scale_, self.floor_ = {}, {}
        self.min_excess_ = self.min_share * float(hourly.sum(axis=1).mean())
        for feature in hourly.columns:
            self.floor_[feature] = max(self.floor_share * float(hourly[feature].mean()), 1e-9)
            residual = ((hourly[feature] - base[feature]) / np.sqrt(base[feature] + self.floor_[feature]))
            residual = residual[full[feature]]
            if residual.empty:
                raise ValueError(f"Hace falta más historia para ajustar el detector: al menos "
                                 f"{self.weeks + 1} semanas de coste por hora.")
            self.scale_[feature] = max(float(residual.quantile(self.q)), 1e-9)
        return self

    def flags(self, hourly) -> pd.DataFrame:
        """Boolean frame: which hours of which feature are anomalous."""
        if not hasattr(self, "scale_"):
            raise RuntimeError("Llama primero a fit() con una historia de coste por hora.")
        hourly = self._check(hourly)
        base, count = self.baseline(hourly)
        out = {}
        for feature in hourly.columns:
            scale = self.scale_.get(feature, max(self.scale_.values()))
            floor = self.floor_.get(feature, max(self.floor_.values()))
            x, b = hourly[feature], base[feature]
            bound = b + self.c * scale * np.sqrt(b + floor)
            out[feature] = ((x > bound) & (x > self.ratio * b) & (x - b >= self.min_excess_)
                            & (count[feature] >= self.min_history))
        return pd.DataFrame(out, index=hourly.index)

    def detect(self, hourly, *, start=None) -> list[Anomaly]:
        """Events (from ``start`` on, if given), in time order."""
        hourly = self._check(hourly)
        flagged = self.flags(hourly)
        base, _ = self.baseline(hourly)
        events = []
        for feature in hourly.columns:
            run = []
            for ts, is_bad in flagged[feature].items():
                if is_bad:
                    run.append(ts)
                    continue
                if run:
                    events.append(self._event(feature, run, hourly, base))
                    run = []
            if run:
                events.append(self._event(feature, run, hourly, base))
        if start is not None:
            events = [e for e in events if e.end > pd.Timestamp(start)]
        return sorted(events, key=lambda e: (e.start, e.feature))

    @staticmethod
    def _event(feature, run, hourly, base) -> Anomaly:
        return Anomaly(feature, run[0], run[-1] + pd.Timedelta(hours=1), len(run),
                       float(hourly.loc[run, feature].sum()), float(base.loc[run, feature].sum()))
