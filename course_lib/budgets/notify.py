"""Notifiers and the dispatcher that delivers alerts without ever blocking a call.

A notifier is any callable ``notifier(alert)`` that raises when delivery
failed. Two ship here: :class:`LogNotifier` (Python ``logging``, and a list
for notebooks) and :class:`WebhookNotifier` (a real HTTP POST of a
Slack-compatible JSON body). The :class:`Dispatcher` reads the store's outbox
in a background thread and retries each notifier with exponential backoff;
the call that fired the alert only writes the outbox row, so a slow or dead
webhook never delays it (a forecast watch, ``watches=``, also runs in that thread), and an alert not yet delivered when the process
stops is delivered by the next dispatcher that opens the same store.

>>> from course_lib.budgets.alerts import Alert
>>> log = LogNotifier()
>>> log(Alert(budget="b", kind="threshold", threshold=Decimal(1), period="2026-03",
...           period_start=0.0, spent=Decimal(5), limit=Decimal(5), ts=0.0))
>>> log.messages
['Presupuesto «b»: 100 % alcanzado en 2026-03 — gastado 5,00 USD de 5,00 USD.']

Left out: e-mail, PagerDuty and deduplication across different stores.
"""

from __future__ import annotations

import logging
import threading
import time
from decimal import Decimal  # noqa: F401  (doctest)

import httpx

from .alerts import Alert


class LogNotifier:
    """Writes each alert to ``logging`` (logger ``course_lib.budgets``) and keeps its message."""

    name = "log"

    def __init__(self, *, logger: logging.Logger | None = None):
        self.logger = logger or logging.getLogger("course_lib.budgets")
        self.messages: list[str] = []

    def __call__(self, alert: Alert) -> None:
        self.logger.warning(alert.message)
        self.messages.append(alert.message)


class WebhookNotifier:
    """POSTs ``alert.slack_payload()`` as JSON to ``url``; a non-2xx answer is a failure."""

    name = "webhook"

    def __init__(self, url: str, *, timeout: float = 5.0, headers: dict | None = None):
        if not str(url).startswith(("http://", "https://")):
            raise ValueError(f"La URL del webhook debe empezar por http:// o https://, no {url!r}.")
        self.url, self.timeout, self.headers = str(url), timeout, dict(headers or {})

    def __call__(self, alert: Alert) -> None:
        response = httpx.post(self.url, json=alert.slack_payload(), timeout=self.timeout,
                              headers=self.headers)
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"el webhook respondió {response.status_code}")


class Dispatcher:
    """Delivers the store's outbox to ``notifiers`` in a daemon thread, with retries.

    An alert counts as delivered when every notifier accepted it; a failing one
    is retried, waiting ``backoff * 2**attempt`` seconds, at most ``max_backoff``:
    by default forever (``max_attempts=None``), so an alert is never dropped
    while its webhook is down — it stays in the store's outbox and is delivered
    when the webhook comes back, by this dispatcher or the next one. Call
    :meth:`flush` to wait for the queue (tests, end of a notebook).
    """

    def __init__(self, store, notifiers, *, max_attempts: int | None = None, backoff: float = 0.2,
                 max_backoff: float = 60.0, poll: float = 0.5, start: bool = True, watches=()):
        self.store, self.notifiers = store, list(notifiers)
        self.watches = list(watches)               # e.g. ForecastWatch: run in this thread when due
        self.max_attempts, self.backoff, self.poll = max_attempts, backoff, poll
        self.max_backoff = max_backoff
        self.errors: list[str] = []
        self._done: dict[int, set[int]] = {}       # outbox id -> notifiers that already accepted
        self._wake, self._stop = threading.Event(), threading.Event()
        self._idle = threading.Event()
        self._thread = None
        if start:
            self.start()

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="costlab-alerts", daemon=True)
            self._thread.start()

    def notify(self) -> None:
        """Wake the thread: there is something new in the outbox."""
        self._idle.clear()
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until the outbox has nothing deliverable; True if it emptied in time."""
        self.notify()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._idle.wait(0.05) and not self._deliverable():
                return True
            self.notify()
        return False

    def _deliverable(self) -> list:
        return [p for p in self.store.pending() if self.max_attempts is None or p[2] < self.max_attempts]

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            for watch in self.watches:
                try:
                    watch.run_if_due()            # fires into the store's outbox, delivered just below
                except Exception as exc:
                    self.errors.append(f"{getattr(watch, 'name', 'watch')}: {exc}")
            try:
                wait = self._deliver_once()
            except Exception as exc:     # the store is down: keep the thread alive, try later
                self.errors.append(f"almacén: {exc}")
                wait = self.poll
            if wait is None:
                self._idle.set()
                self._wake.wait(self.poll)
            else:
                self._wake.wait(wait)

    def _deliver_once(self) -> float | None:
        """One pass over the outbox; the seconds to wait before a retry, or None if idle."""
        retry = None
        for outbox_id, alert, attempts in self._deliverable():
            accepted = self._done.setdefault(outbox_id, set())
            failures = []
            for i, notifier in enumerate(self.notifiers):
                if i in accepted:
                    continue
                try:
                    notifier(alert)
                    accepted.add(i)
                except Exception as exc:   # any notifier failure is retried, never raised
                    failures.append(f"{getattr(notifier, 'name', type(notifier).__name__)}: {exc}")
            error = "; ".join(failures)
            if error:
                self.errors.append(error)
            self.store.mark(outbox_id, delivered=not failures, error=error)
            if failures and (self.max_attempts is None or attempts + 1 < self.max_attempts):
                wait = min(self.backoff * 2 ** min(attempts, 30), self.max_backoff)
                retry = wait if retry is None else min(retry, wait)
        return retry
