"""Forecasting daily spend to the end of a period, with a prediction interval.

:func:`forecast_daily` fits an ETS model (``statsmodels``: additive trend,
weekly multiplicative seasonality, additive errors — Holt-Winters in its
state-space form) to a daily cost series and forecasts the next days with a
prediction interval at ``level``; the period total's interval comes from
simulated future paths, not from adding daily bounds. One-off spikes (a retry
loop) are clipped to twice the local median before fitting (``robust=True``),
so a single bad day does not bend the trend. Baselines to beat:
:func:`seasonal_naive` (last week repeated) and :func:`linear_trend`.

>>> import pandas as pd
>>> days = pd.date_range("2026-01-05", periods=56, freq="D", tz="UTC")
>>> weekly = [1.0, 1.05, 1.0, 0.98, 0.9, 0.6, 0.65] * 8
>>> y = pd.Series([100 * (1 + 0.01 * i) * w for i, w in enumerate(weekly)], index=days)
>>> f = forecast_daily(y, horizon=14)
>>> f.mean.index[0].date().isoformat(), len(f.mean), bool((f.lower <= f.mean).all())
('2026-03-02', 14, True)
>>> mean, low, high = f.total()
>>> low < mean < high
True

It forecasts one series; which series (a team, the organization) and the
alert it may raise are chosen by the caller (:func:`forecast_alert`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd


@dataclass
class Forecast:
    """``mean``, ``lower``, ``upper`` per future day; ``paths`` are simulated futures (rows)."""

    history: pd.Series
    mean: pd.Series
    lower: pd.Series
    upper: pd.Series
    level: float
    paths: np.ndarray

    def total(self, *, since=None) -> tuple[float, float, float]:
        """Spend from ``since`` (default: the first forecast day) to the horizon's end:
        observed part plus forecast, as ``(mean, lower, upper)``."""
        observed = float(self.history[self.history.index >= pd.Timestamp(since)].sum()) if since is not None else 0.0
        sums = self.paths.sum(axis=1)
        alpha = (1 - self.level) / 2
        return (observed + float(self.mean.sum()), observed + float(np.quantile(sums, alpha)),
                observed + float(np.quantile(sums, 1 - alpha)))

    def crossing_day(self, limit, *, since) -> pd.Timestamp | None:
        """The first forecast day on which spend since ``since`` passes ``limit`` (mean path)."""
        spent = float(self.history[self.history.index >= pd.Timestamp(since)].sum())
        cumulative = spent + self.mean.cumsum()
        over = cumulative[cumulative > float(limit)]
        return None if over.empty else over.index[0]


def _check(daily: pd.Series, season: int) -> pd.Series:
    if not isinstance(daily, pd.Series) or not isinstance(daily.index, pd.DatetimeIndex):
        raise TypeError("Espero una pandas.Series de coste diario con índice de fechas.")
    daily = daily.astype(float).asfreq("D", fill_value=0.0)
    if len(daily) < 2 * season + 2:
        raise ValueError(f"Hacen falta al menos {2 * season + 2} días de historia para una previsión "
                         f"con estacionalidad semanal; hay {len(daily)}.")
    if not np.isfinite(daily.to_numpy()).all() or (daily < 0).any():
        raise ValueError("El coste diario debe ser finito y no negativo.")
    return daily


def clip_spikes(daily: pd.Series, *, factor: float = 2.0, window: int = 15) -> pd.Series:
    """Days above ``factor`` × the centred rolling median replaced by that median."""
    median = daily.rolling(window, center=True, min_periods=5).median()
    return daily.where(daily <= factor * median, median)


def _future_index(daily: pd.Series, horizon: int) -> pd.DatetimeIndex:
    return pd.date_range(daily.index[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")


def forecast_daily(daily: pd.Series, *, horizon: int, level: float = 0.9, season: int = 7,
                   robust: bool = True, simulations: int = 500, seed: int = 0) -> Forecast:
    """Forecast the ``horizon`` days after ``daily`` (USD per day) with an ETS model."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    if not 0 < level < 1:
        raise ValueError("level es la probabilidad del intervalo, entre 0 y 1 (p. ej. 0.9).")
    if horizon < 1:
        raise ValueError("horizon debe ser un número de días ≥ 1.")
    daily = _check(daily, season)
    y = clip_spikes(daily) if robust else daily
    y = y.clip(lower=1e-6)             # multiplicative seasonality needs positive values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")           # convergence chatter; the fit is checked by its score
        model = ETSModel(y.reset_index(drop=True), error="add", trend="add", seasonal="mul",
                         seasonal_periods=season)
        fit = model.fit(disp=False)
        frame = fit.get_prediction(start=len(y), end=len(y) + horizon - 1).summary_frame(alpha=1 - level)
        paths = np.asarray(fit.simulate(horizon, repetitions=simulations, anchor="end",
                                        rng=np.random.default_rng(seed))).T.reshape(simulations, horizon)
    index = _future_index(daily, horizon)
    series = {name: pd.Series(frame[col].to_numpy().clip(min=0), index=index)
              for name, col in (("mean", "mean"), ("lower", "pi_lower"), ("upper", "pi_upper"))}
    return Forecast(daily, series["mean"], series["lower"], series["upper"], level, paths.clip(min=0))


def seasonal_naive(daily: pd.Series, horizon: int, *, season: int = 7) -> pd.Series:
    """Baseline: the last ``season`` days repeated."""
    last = daily.astype(float).to_numpy()[-season:]
    return pd.Series(np.resize(last, horizon), index=_future_index(daily, horizon))


def linear_trend(daily: pd.Series, horizon: int) -> pd.Series:
    """Baseline: a straight line fitted to the whole history (no seasonality)."""
    y = daily.astype(float).to_numpy()
    slope, intercept = np.polyfit(np.arange(len(y)), y, 1)
    x = np.arange(len(y), len(y) + horizon)
    return pd.Series(intercept + slope * x, index=_future_index(daily, horizon))


def mape(actual, predicted) -> float:
    """Mean absolute percentage error (days with zero actual spend are skipped)."""
    a, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    if a.shape != p.shape:
        raise ValueError(f"Real y previsión tienen longitudes distintas: {a.shape} frente a {p.shape}.")
    mask = a != 0
    return float(np.mean(np.abs(a[mask] - p[mask]) / a[mask])) if mask.any() else 0.0


def coverage(actual, lower, upper) -> float:
    """Share of days whose actual spend fell inside the interval."""
    a = np.asarray(actual, dtype=float)
    return float(np.mean((a >= np.asarray(lower, dtype=float)) & (a <= np.asarray(upper, dtype=float))))


def forecast_alert(budget, forecast: Forecast, *, store, now: float):
    """Fire (once per budget and period) the alert "at this pace the limit is passed on day N".

    Returns the new ``Alert``, or ``None`` if the forecast stays under the limit or the
    alert already fired this period.
    """
    from .alerts import Alert
    from .periods import label, period_bounds, zone

    start, end = period_bounds(now, budget.period, budget.tz)
    since = pd.Timestamp(start, unit="s", tz="UTC").tz_convert(zone(budget.tz)).tz_localize(None)
    history = forecast.history.copy()
    if history.index.tz is not None:
        history.index = history.index.tz_convert(zone(budget.tz)).tz_localize(None)
    mean = forecast.mean.copy()
    if mean.index.tz is not None:
        mean.index = mean.index.tz_convert(zone(budget.tz)).tz_localize(None)
    end_day = pd.Timestamp(end, unit="s", tz="UTC").tz_convert(zone(budget.tz)).tz_localize(None)
    in_period = mean[mean.index < end_day]
    spent = float(history[history.index >= since].sum())
    cumulative = spent + in_period.cumsum()
    over = cumulative[cumulative > float(budget.limit)]
    if over.empty:
        return None
    alert = Alert(budget=budget.name, kind="forecast", threshold=Decimal(1),
                  period=label(start, budget.period, budget.tz), period_start=start,
                  spent=Decimal(str(round(spent, 2))), limit=budget.limit, ts=now, scope=budget.describe(),
                  day=over.index[0].strftime("%d/%m/%Y"),
                  forecast=Decimal(str(round(float(cumulative.iloc[-1]), 2))))
    return alert if store.fire_once(alert) else None
