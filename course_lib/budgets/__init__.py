"""Budgets and monitoring: attribution, budgets with a hard cap, alerts, forecasts, anomalies.

* ``Budget`` (``budget``) and its calendar (``periods``);
* ``BudgetStore`` (``store``): atomic reservations and fire-once alerts in SQLite;
  ``RedisBudgetStore`` (``redis_store``): the same on Redis (Lua scripts), ``open_budget_store``;
* ``BudgetGuard`` (``guard``): the pipeline's guard middleware;
* ``Alert`` (``alerts``), ``LogNotifier``, ``WebhookNotifier``, ``Dispatcher`` (``notify``);
* ``ForecastWatch`` (``watch``): the forecast alert, fired once through the same outbox;
* ``RateLimiter`` (``ratelimit``) and ``OutputLengthModel`` (``output_model``): the advanced section;
* attribution, reconciliation, forecasting, anomalies and the HTML report in their modules.
"""

from .alerts import Alert
from .anomaly import Anomaly, AnomalyDetector
from .attribution import cost_table, key_metrics
from .budget import Budget
from .guard import BudgetExceeded, BudgetGuard
from .notify import Dispatcher, LogNotifier, WebhookNotifier
from .output_model import OutputLengthModel
from .ratelimit import RateLimiter
from .forecast import Forecast, forecast_alert, forecast_daily, mape, seasonal_naive
from .periods import period_bounds
from .reconcile import Reconciliation, fetch_costs, fetch_usage, reconcile
from .report import write_report
from .redis_store import RedisBudgetStore, open_budget_store
from .store import BudgetStore, StoreUnavailable
from .watch import ForecastWatch, daily_spend

__all__ = ["Alert", "Anomaly", "AnomalyDetector", "Budget", "BudgetExceeded", "BudgetGuard", "BudgetStore",
           "Dispatcher", "Forecast", "ForecastWatch", "LogNotifier", "OutputLengthModel", "RateLimiter", "Reconciliation", "RedisBudgetStore", "StoreUnavailable", "WebhookNotifier",
           "cost_table", "daily_spend", "fetch_costs", "fetch_usage", "forecast_alert", "forecast_daily", "key_metrics", "mape", "open_budget_store",
           "period_bounds", "reconcile", "seasonal_naive", "write_report"]
