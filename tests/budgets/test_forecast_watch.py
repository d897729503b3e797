"""The forecast alert: fired once per budget and period through the store's outbox, delivered
by the same dispatcher and notifiers, not fired again after a restart, re-armed next period."""

from decimal import Decimal
from types import SimpleNamespace as Rec

from course_lib.budgets import Budget, BudgetStore, Dispatcher, ForecastWatch, LogNotifier, WebhookNotifier
from tests.budgets.test_alerts import hook  # noqa: F401  (the loopback webhook fixture)

MARCH = 1_772_319_600.0          # 1 March 2026 00:00 in Madrid (23:00 UTC on 28 February)
TEAM = Budget(name="ecommerce-mes", scope="team", value="ecommerce", limit="2500", period="month",
              tz="Europe/Madrid")


def _traffic(days: int, per_hour: str = "4.5", start: float = MARCH - 14 * 86_400):
    """Hourly records of team ecommerce (and noise of another team) for ``days`` days."""
    out = []
    for h in range(24 * days):
        weekday = ((start + 3600 * h) // 86_400 + 3) % 7      # 0 = Monday
        scale = Decimal("0.7") if weekday >= 5 else Decimal(1)
        out.append(Rec(ts=start + 3600 * h, cost=Decimal(per_hour) * scale, team="ecommerce"))
        out.append(Rec(ts=start + 3600 * h + 1, cost=Decimal("50"), team="marketing"))
    return out


def test_does_the_forecast_alert_fire_once_with_its_day(store):
    recs = _traffic(14 + 12)                                # up to 12 March
    now = MARCH + 12 * 86_400 + 3600
    watch = ForecastWatch([TEAM], store=store, history=recs, clock=lambda: now)
    fired = watch.check()
    assert len(fired) == 1 and fired[0].kind == "forecast" and fired[0].period == "2026-03"
    assert "a este ritmo se supera el límite de 2.500,00 USD el" in fired[0].message
    assert fired[0].day.endswith("/03/2026") and fired[0].spent < TEAM.limit < fired[0].forecast
    assert watch.check(now + 7200) == []


def test_does_a_slow_team_get_no_forecast_alert():
    watch = ForecastWatch([TEAM], store=BudgetStore(), history=_traffic(26, per_hour="1"),
                          clock=lambda: MARCH + 12 * 86_400 + 3600)
    assert watch.check() == []


def test_does_a_restart_not_fire_the_forecast_alert_again(store_factory):
    recs, now = _traffic(26), MARCH + 12 * 86_400 + 3600
    assert ForecastWatch([TEAM], store=store_factory(), history=recs, clock=lambda: now).check()
    again = ForecastWatch([TEAM], store=store_factory(), history=recs, clock=lambda: now + 86_400)
    assert again.check() == [] and not again.errors


def test_does_the_forecast_alert_re_arm_next_month():
    store = BudgetStore()
    april = MARCH + 31 * 86_400 - 3600                      # 1 April 00:00 in Madrid (summer time)
    recs = _traffic(14 + 31 + 12)
    watch = ForecastWatch([TEAM], store=store, history=recs, clock=lambda: april + 12 * 86_400)
    assert len(watch.check(MARCH + 12 * 86_400)) == 1
    fired = watch.check()
    assert [a.period for a in fired] == ["2026-04"]


def test_is_the_forecast_alert_delivered_by_the_dispatcher_through_the_webhook(store, hook):  # noqa: F811
    url, handler = hook
    handler.failures_left = 1
    log = LogNotifier()
    now = MARCH + 12 * 86_400 + 3600
    watch = ForecastWatch([TEAM], store=store, history=_traffic(26), clock=lambda: now, every=3600)
    dispatcher = Dispatcher(store, [log, WebhookNotifier(url)], backoff=0.05, watches=[watch])
    assert dispatcher.flush(timeout=20)
    dispatcher.stop()
    assert len(log.messages) == 1 and "a este ritmo" in log.messages[0]
    assert len(handler.received) == 1 and handler.received[0]["costlab_alert"]["kind"] == "forecast"
    assert watch.last_run == now
