"""The forecast watch: "at this pace the team exceeds its budget on day N", fired once.

:class:`ForecastWatch` looks at each weekly or monthly budget's daily spend
(from a ledger: the records the budget applies to, by day in its time zone),
forecasts the rest of the period with :func:`~course_lib.budgets.forecast.forecast_daily`
and, when the forecast passes the limit before the period ends, fires a
``kind="forecast"`` alert through the budget store — the same outbox, so the
same :class:`~course_lib.budgets.notify.Dispatcher` and notifiers deliver it,
retried, never blocking a call. Its key ``(budget, period, "forecast")`` is
unique in the store: it fires once per budget and period, again in the next
period, and not again after a restart.

Fitting a model takes a fraction of a second, so the watch never runs on a
call's path: the dispatcher's thread runs it (``Dispatcher(watches=[...])``),
at most once every ``every`` seconds of the watch's clock; the guard only
wakes that thread. :meth:`ForecastWatch.check` runs it now (notebooks, tests).

>>> import pandas as pd
>>> from types import SimpleNamespace as Rec
>>> from course_lib.budgets import Budget, BudgetStore
>>> recs = [Rec(ts=1_772_323_200 + 3600 * h, cost=Decimal("4.5"), team="ecommerce") for h in range(24 * 20)]
>>> b = Budget(name="ecommerce-mes", scope="team", value="ecommerce", limit="2500", period="month")
>>> watch = ForecastWatch([b], store=BudgetStore(), history=recs, clock=lambda: 1_772_323_200 + 86_400 * 20)
>>> [a.day for a in watch.check()], watch.check()
(['24/03/2026'], [])

Left out: day budgets (a day has no history of its own to forecast from).
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal  # noqa: F401  (doctest)

import pandas as pd

from .alerts import Alert
from .budget import Budget
from .periods import period_bounds, zone


def daily_spend(records, budget: Budget, *, until: float) -> pd.Series:
    """USD per local day of the records ``budget`` applies to, up to (not including) ``until``."""
    rows = [(r.ts, float(r.cost)) for r in records
            if r.ts < until and budget.applies(getattr(r, "__dict__", r))]
    if not rows:
        return pd.Series(dtype=float)
    ts, cost = zip(*rows)
    index = pd.to_datetime(list(ts), unit="s", utc=True).tz_convert(zone(budget.tz))
    return pd.Series(cost, index=index).resample("D").sum()


class ForecastWatch:
    """Forecast alerts for ``budgets`` (weeks and months) from ``history`` into ``store``.

    ``history`` is a ledger (anything with ``records()``), a list of records, or a
    callable ``history(budget) -> pd.Series`` of USD per local day.
    """

    name = "forecast_watch"

    def __init__(self, budgets: list[Budget], *, store, history, clock=time.time, every: float = 3600.0,
                 level: float = 0.9, min_days: int = 16):
        self.budgets = [b for b in budgets if b.period in ("week", "month")]
        self.store, self.history, self.clock = store, history, clock
        self.every, self.level, self.min_days = every, level, min_days
        self.last_run: float | None = None
        self.errors: list[str] = []
        self._lock = threading.Lock()

    def _daily(self, budget: Budget, today: float) -> pd.Series:
        if callable(self.history) and not hasattr(self.history, "records"):
            return self.history(budget)
        source = self.history.records() if hasattr(self.history, "records") else self.history
        return daily_spend(source, budget, until=today)

    def check_budget(self, budget: Budget, now: float) -> Alert | None:
        """Forecast ``budget``'s period and fire its alert if the limit is passed; None otherwise."""
        from .forecast import forecast_alert, forecast_daily

        today, _ = period_bounds(now, "day", budget.tz)
        _, end = period_bounds(now, budget.period, budget.tz)
        daily = self._daily(budget, today)
        if len(daily) < self.min_days:
            return None
        horizon = max(1, round((end - today) / 86_400))
        forecast = forecast_daily(daily, horizon=horizon, level=self.level, simulations=20)
        return forecast_alert(budget, forecast, store=self.store, now=now)

    def check(self, now: float | None = None) -> list[Alert]:
        """Check every budget now; the alerts fired (each at most once per budget and period)."""
        now = self.clock() if now is None else now
        with self._lock:
            self.last_run = now
            fired = []
            for b in self.budgets:
                try:
                    alert = self.check_budget(b, now)
                except Exception as exc:      # a bad series must not stop the other budgets
                    self.errors.append(f"{b.name}: {type(exc).__name__}: {exc}")
                    continue
                if alert is not None:
                    fired.append(alert)
            return fired

    def run_if_due(self) -> list[Alert]:
        """:meth:`check` if ``every`` seconds passed since the last run (the dispatcher calls this)."""
        now = self.clock()
        if self.last_run is not None and now - self.last_run < self.every:
            return []
        return self.check(now)

