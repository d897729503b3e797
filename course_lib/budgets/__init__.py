"""Budgets and monitoring: attribution, budgets with a hard cap, alerts, forecasts, anomalies.

* ``Budget`` (``budget``) and its calendar (``periods``);
* ``BudgetStore`` (``store``): atomic reservations and fire-once alerts in SQLite;
* ``BudgetGuard`` (``guard``): the pipeline's guard middleware;
* ``Alert`` (``alerts``), ``LogNotifier``, ``WebhookNotifier``, ``Dispatcher`` (``notify``);
* attribution, reconciliation, forecasting, anomalies and the HTML report in their modules.
"""

from .alerts import Alert
from .budget import Budget
from .guard import BudgetExceeded, BudgetGuard
from .notify import Dispatcher, LogNotifier, WebhookNotifier
from .periods import period_bounds
from .store import BudgetStore, StoreUnavailable

__all__ = ["Alert", "Budget", "BudgetExceeded", "BudgetGuard", "BudgetStore", "Dispatcher",
           "LogNotifier", "StoreUnavailable", "WebhookNotifier", "period_bounds"]
