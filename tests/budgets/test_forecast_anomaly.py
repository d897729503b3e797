"""Forecasts beat the naive baselines on a seasonal series; the forecast alert fires once;
the anomaly detector finds runaway hours and leaves weekly rhythm alone."""

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from course_lib.budgets import AnomalyDetector, Budget, BudgetStore, forecast_alert, forecast_daily, mape
from course_lib.budgets.forecast import coverage, linear_trend, seasonal_naive

WEEK = np.array([1.0, 1.04, 1.02, 0.98, 0.93, 0.6, 0.66])


def _series(days=84, seed=1, spike_day=None):
    rng = np.random.default_rng(seed)
    values = np.array([100 * (1 + 0.011 * d) * WEEK[d % 7] * rng.normal(1, 0.04) for d in range(days)])
    if spike_day is not None:
        values[spike_day] *= 6
    return pd.Series(values, index=pd.date_range("2026-01-05", periods=days, freq="D", tz="UTC"))


def test_does_the_ets_forecast_beat_seasonal_naive_and_linear_by_20_percent():
    y = _series(spike_day=40)
    train, test = y.iloc[:63], y.iloc[63:]
    f = forecast_daily(train, horizon=21)
    ours = mape(test, f.mean)
    assert ours < 0.8 * mape(test, seasonal_naive(train, 21)) and ours < 0.8 * mape(test, linear_trend(train, 21))
    assert ours < 0.06 and coverage(test, f.lower, f.upper) >= 0.6


def test_does_clipping_keep_a_one_day_spike_from_bending_the_forecast():
    y = _series(spike_day=60)
    train, test = y.iloc[:63], y.iloc[63:]
    assert mape(test, forecast_daily(train, horizon=21).mean) < mape(
        test, forecast_daily(train, horizon=21, robust=False).mean)


def test_is_the_total_interval_ordered_and_including_what_was_spent():
    y = _series()
    f = forecast_daily(y.iloc[:60], horizon=10)
    since = y.index[55]
    mean, low, high = f.total(since=since)
    spent = float(y.iloc[55:60].sum())
    assert spent < low < mean < high


def test_does_a_forecast_alert_fire_once_naming_the_day():
    y = _series(days=46)                               # to 19 February
    budget = Budget(name="org-feb", limit="2800", period="month", tz="UTC")
    f = forecast_daily(y, horizon=9)
    store, now = BudgetStore(), y.index[-1].timestamp() + 86_000
    alert = forecast_alert(budget, f, store=store, now=now)
    assert alert is not None and alert.day.endswith("/02/2026") and "a este ritmo" in alert.message
    assert forecast_alert(budget, f, store=store, now=now) is None
    roomy = Budget(name="org-grande", limit="99999", period="month", tz="UTC")
    assert forecast_alert(roomy, f, store=store, now=now) is None


def test_does_a_too_short_history_get_a_spanish_error():
    with pytest.raises(ValueError, match="al menos 16 días"):
        forecast_daily(_series(days=10), horizon=5)


def _hourly(weeks=6, seed=2):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2026-01-05", periods=24 * 7 * weeks, freq="h", tz="Europe/Madrid")
    office = np.array([0.05 if (h.weekday() >= 5 or not 8 <= h.hour <= 18) else 2.0 for h in idx])
    evening = np.array([3.0 if 18 <= h.hour <= 22 else 0.6 for h in idx])
    return pd.DataFrame({"copiloto": office * rng.gamma(8, 1 / 8, len(idx)),
                         "chat": evening * rng.gamma(8, 1 / 8, len(idx))}, index=idx)


def test_does_the_detector_leave_weekly_rhythm_alone_and_catch_a_runaway_saturday():
    hourly = _hourly()
    clean = AnomalyDetector().fit(hourly.iloc[: 24 * 7 * 5]).detect(hourly)
    assert clean == []
    hit = hourly.copy()
    saturday_10 = hit.index[24 * 7 * 5 + 24 * 5 + 10]
    hit.loc[saturday_10: saturday_10 + pd.Timedelta(hours=2), "copiloto"] += 6.0    # a retry loop on a quiet day: 3x a busy hour
    found = AnomalyDetector().fit(hourly.iloc[: 24 * 7 * 5]).detect(hit)
    assert [(a.feature, a.start, a.hours) for a in found] == [("copiloto", saturday_10, 3)]
    assert found[0].excess > 17


def test_does_a_detector_without_fit_say_what_to_do():
    with pytest.raises(RuntimeError, match="fit"):
        AnomalyDetector().detect(_hourly())
