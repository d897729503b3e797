"""Alerts fire once per threshold and period, re-arm at the local reset, survive restarts,
and reach a real webhook (loopback) even when it fails at first."""

import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from course_lib.budgets import Budget, BudgetStore, Dispatcher, LogNotifier, WebhookNotifier
from course_lib.budgets.periods import period_bounds

MADRID_DAY = Budget(name="ecom-dia", scope="team", value="ecommerce", limit="10", period="day",
                    tz="Europe/Madrid")
T0 = 1_773_014_400.0            # Monday 9 March 2026 00:00 UTC = 01:00 in Madrid


def _spend(store, budget, amount, now, rid=""):
    adm = store.reserve([budget], Decimal(amount), now=now)
    assert adm.admitted
    return store.settle(adm.id, Decimal(amount), [budget], now=now, request_id=rid)


def test_does_each_threshold_fire_exactly_once_at_the_request_that_crosses_it():
    store = BudgetStore()
    fired = {}
    for i in range(10):                               # 1 USD a call: 50 % at call 5, 80 % at 8, 100 % at 10
        for alert in _spend(store, MADRID_DAY, "1", T0 + i, rid=f"r{i}"):
            assert alert.threshold not in fired
            fired[alert.threshold] = alert.request_id
    assert fired == {Decimal("0.5"): "r4", Decimal("0.8"): "r7", Decimal("1"): "r9"}
    assert not store.reserve([MADRID_DAY], Decimal("0.01"), now=T0 + 11).admitted


def test_does_a_soft_budget_alert_without_refusing():
    soft = Budget(name="aviso", limit="2", period="day", hard=False)
    store = BudgetStore()
    fired = [a.threshold for i in range(4) for a in _spend(store, soft, "1", T0 + i)]
    assert fired == [Decimal("0.5"), Decimal("0.8"), Decimal("1")]
    assert store.spent(soft, now=T0 + 5) == Decimal("4")


def test_do_alerts_re_arm_at_local_midnight_not_at_utc_midnight():
    store = BudgetStore()
    start, end = period_bounds(T0, "day", "Europe/Madrid")
    assert end == T0 + 23 * 3600                       # Madrid's 10 March starts at 23:00 UTC
    assert _spend(store, MADRID_DAY, "6", end - 60)   # 50 % on the 9th, late evening
    assert _spend(store, MADRID_DAY, "1", end - 30) == []
    again = _spend(store, MADRID_DAY, "6", end + 1)   # a new Madrid day: spent resets, 50 % re-armed
    assert [a.threshold for a in again] == [Decimal("0.5")] and again[0].period == "2026-03-10"


def test_does_a_restarted_store_not_fire_the_same_alert_again(tmp_path):
    path = tmp_path / "budgets.sqlite"
    assert _spend(BudgetStore(path), MADRID_DAY, "5", T0)
    restarted = BudgetStore(path)                      # a new process opens the same file
    assert _spend(restarted, MADRID_DAY, "1", T0 + 1) == []
    assert restarted.spent(MADRID_DAY, now=T0 + 2) == Decimal("6")
    assert [a.threshold for a in restarted.fired()] == [Decimal("0.5")]


class _Hook(BaseHTTPRequestHandler):
    received: list = []
    failures_left = 0
    delay = 0.0

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(type(self).delay)
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            self.send_response(503)
        else:
            type(self).received.append(body)
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook():
    _Hook.received, _Hook.failures_left, _Hook.delay = [], 0, 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Hook
    server.shutdown()


def test_does_a_failing_webhook_get_the_alert_after_retries_as_a_slack_payload(hook):
    url, handler = hook
    handler.failures_left = 2
    store, log = BudgetStore(), LogNotifier()
    dispatcher = Dispatcher(store, [log, WebhookNotifier(url)], backoff=0.05)
    _spend(store, MADRID_DAY, "5", T0)
    assert dispatcher.flush(timeout=10)
    dispatcher.stop()
    assert len(handler.received) == 1 and len(log.messages) == 1        # the log was not repeated
    body = handler.received[0]
    assert body["text"].endswith(log.messages[0]) and body["blocks"][0]["type"] == "section"
    assert "50 %" in body["text"] and dispatcher.errors                  # the failures were kept


def test_does_a_slow_webhook_never_block_the_call_that_fires_the_alert(hook):
    url, handler = hook
    handler.delay = 1.0
    store = BudgetStore()
    dispatcher = Dispatcher(store, [WebhookNotifier(url)])
    t = time.perf_counter()
    _spend(store, MADRID_DAY, "10", T0)
    dispatcher.notify()
    assert time.perf_counter() - t < 0.5
    assert dispatcher.flush(timeout=15) and len(handler.received) == 3
    dispatcher.stop()


def test_is_an_alert_undelivered_before_a_restart_delivered_after_it(tmp_path, hook):
    url, handler = hook
    path = tmp_path / "b.sqlite"
    _spend(BudgetStore(path), MADRID_DAY, "5", T0)      # fired, nobody delivering: process "dies"
    dispatcher = Dispatcher(BudgetStore(path), [WebhookNotifier(url)])
    assert dispatcher.flush(timeout=10)
    dispatcher.stop()
    assert len(handler.received) == 1


def test_does_a_bad_budget_get_a_spanish_error():
    with pytest.raises(ValueError, match="degrade_to"):
        Budget(name="x", limit="1", on_cap="degrade")
    with pytest.raises(ValueError, match="Zona horaria"):
        Budget(name="x", limit="1", tz="Madrid")
    with pytest.raises(ValueError, match="value="):
        Budget(name="x", limit="1", scope="team")


def test_is_an_alert_kept_and_delivered_when_the_webhook_comes_back_after_many_failures(store, hook):
    url, handler = hook
    handler.failures_left = 8                      # down for a while: more failures than quick retries
    dispatcher = Dispatcher(store, [WebhookNotifier(url)], backoff=0.01, max_backoff=0.05)
    _spend(store, MADRID_DAY, "5", T0)
    assert dispatcher.flush(timeout=20)
    dispatcher.stop()
    assert len(handler.received) == 1 and len(dispatcher.errors) == 8 and store.pending() == []
