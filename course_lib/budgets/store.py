"""The budget store: spend, reservations, fired alerts and an alert outbox in one SQLite file.

Every change runs inside ``BEGIN IMMEDIATE``, which takes SQLite's write lock
*before* reading, so "is there room? then reserve" is one atomic step across
threads and processes — the check-then-increment race that lets concurrent
requests overspend cannot happen. A reservation holds the worst-case cost of
one call until it is settled (on the real cost) or released (the call failed);
one left open by a crashed process expires after ``reservation_ttl`` seconds.

Settling checks the budget's thresholds: a threshold crossed by this call is
written to ``alerts`` (unique per budget, period, kind and threshold, so it
fires once and not again after a restart) and to ``outbox`` in the same
transaction, so an alert is never lost even if its delivery fails.

>>> from course_lib.budgets.budget import Budget
>>> store = BudgetStore(":memory:")
>>> b = Budget(name="org", limit="1", period="day")
>>> r = store.reserve([b], Decimal("0.6"), now=0.0)
>>> r.admitted, store.reserve([b], Decimal("0.6"), now=0.0).admitted
(True, False)
>>> [a.threshold for a in store.settle(r.id, Decimal("0.55"), [b], now=1.0)]
[Decimal('0.5')]
>>> store.spent(b, now=2.0), store.spent(b, now=86_401.0)
(Decimal('0.55'), Decimal('0'))

Processes: each opens its own connection (a store sent to another process
reconnects there). SQLite's locks do not survive ``fork``: a process must
``close()`` its store on a file before forking children that use that file
(or start them with ``spawn``), else their writes can be lost.

The same contract on Redis, for processes on several machines: ``redis_store``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .alerts import Alert
from .budget import Budget
from .periods import label, period_bounds

_SCHEMA = """
CREATE TABLE IF NOT EXISTS spend (budget TEXT, period_start REAL, spent TEXT, reserved TEXT,
    PRIMARY KEY (budget, period_start));
CREATE TABLE IF NOT EXISTS reservations (id TEXT, budget TEXT, period_start REAL, amount TEXT,
    created REAL, PRIMARY KEY (id, budget));
CREATE TABLE IF NOT EXISTS alerts (budget TEXT, period_start REAL, kind TEXT, threshold TEXT,
    fired_at REAL, request_id TEXT, PRIMARY KEY (budget, period_start, kind, threshold));
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT,
    attempts INTEGER DEFAULT 0, delivered INTEGER DEFAULT 0, last_error TEXT DEFAULT '');
"""


class StoreUnavailable(RuntimeError):
    """The budget store cannot be read or written (locked too long, disk, permissions)."""


@dataclass(frozen=True)
class Admission:
    """The answer to a reservation: admitted with ``id``, or refused by ``blocked``."""

    admitted: bool
    id: str = ""
    blocked: Budget | None = None
    spent: Decimal = Decimal(0)
    reserved: Decimal = Decimal(0)


class BudgetStore:
    """Spend per (budget, period) in SQLite; ``":memory:"`` for one process only."""

    def __init__(self, path: str | Path = ":memory:", *, timeout: float = 30.0,
                 reservation_ttl: float = 600.0):
        self.path, self.timeout, self.reservation_ttl = str(path), timeout, reservation_ttl
        self._lock = threading.RLock()
        self._conn, self._pid = None, None
        self._connect()

    def __getstate__(self):
        return {"path": self.path, "timeout": self.timeout, "reservation_ttl": self.reservation_ttl}

    def __setstate__(self, state):
        self.__init__(state["path"], timeout=state["timeout"], reservation_ttl=state["reservation_ttl"])

    def __repr__(self):
        return f"<BudgetStore {self.path}>"

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            try:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")     # WAL: durable at checkpoints, no fsync per commit
                conn.executescript(_SCHEMA)
            except (sqlite3.Error, OSError) as exc:
                raise StoreUnavailable(f"No puedo abrir el almacén de presupuestos {self.path}: {exc}") from exc
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _transaction(self, work):
        """Run ``work(conn)`` inside BEGIN IMMEDIATE; any SQLite failure is StoreUnavailable."""
        with self._lock:
            try:
                conn = self._connect()
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"El almacén de presupuestos no responde: {exc}") from exc
            try:
                result = work(conn)
                conn.execute("COMMIT")
                return result
            except BaseException as exc:
                conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreUnavailable(f"El almacén de presupuestos falló: {exc}") from exc
                raise

    @staticmethod
    def _row(conn, budget: str, start: float) -> tuple[Decimal, Decimal]:
        row = conn.execute("SELECT spent, reserved FROM spend WHERE budget=? AND period_start=?",
                           (budget, start)).fetchone()
        return (Decimal(row[0]), Decimal(row[1])) if row else (Decimal(0), Decimal(0))

    @staticmethod
    def _put(conn, budget: str, start: float, spent: Decimal, reserved: Decimal) -> None:
        conn.execute("INSERT OR REPLACE INTO spend VALUES (?, ?, ?, ?)", (budget, start, str(spent), str(reserved)))

    def _expire(self, conn, now: float) -> None:
        stale = conn.execute("SELECT id, budget, period_start, amount FROM reservations WHERE created < ?",
                             (now - self.reservation_ttl,)).fetchall()
        for rid, budget, start, amount in stale:
            spent, reserved = self._row(conn, budget, start)
            self._put(conn, budget, start, spent, max(reserved - Decimal(amount), Decimal(0)))
            conn.execute("DELETE FROM reservations WHERE id=? AND budget=?", (rid, budget))

    # -- the three steps of a guarded call ----------------------------------------------

    def reserve(self, budgets: list[Budget], amount: Decimal, *, now: float) -> Admission:
        """Reserve ``amount`` in every budget, or in none if one of them has no room."""
        amount, rid = Decimal(amount), f"res_{uuid.uuid4().hex}"

        def work(conn):
            self._expire(conn, now)
            rows = []
            for b in budgets:
                start, _ = period_bounds(now, b.period, b.tz)
                spent, reserved = self._row(conn, b.name, start)
                if b.hard and spent + reserved + amount > b.limit:
                    return Admission(False, blocked=b, spent=spent, reserved=reserved)
                rows.append((b, start, spent, reserved))
            for b, start, spent, reserved in rows:
                self._put(conn, b.name, start, spent, reserved + amount)
                conn.execute("INSERT INTO reservations VALUES (?, ?, ?, ?, ?)", (rid, b.name, start, str(amount), now))
            return Admission(True, id=rid)

        return self._transaction(work)

    def settle(self, reservation_id: str, actual: Decimal, budgets: list[Budget], *, now: float,
               request_id: str = "") -> list[Alert]:
        """Replace the reservation by the real cost; return the alerts this call fired."""
        actual, by_name = Decimal(actual), {b.name: b for b in budgets}

        def work(conn):
            fired = []
            for name, start, amount in conn.execute(
                    "SELECT budget, period_start, amount FROM reservations WHERE id=?", (reservation_id,)).fetchall():
                spent, reserved = self._row(conn, name, start)
                after = spent + actual
                self._put(conn, name, start, after, max(reserved - Decimal(amount), Decimal(0)))
                b = by_name.get(name)
                if b is not None:
                    fired += self._crossed(conn, b, start, after, now, request_id)
            conn.execute("DELETE FROM reservations WHERE id=?", (reservation_id,))
            return fired

        return self._transaction(work)

    def charge(self, budgets: list[Budget], amount: Decimal, *, now: float, request_id: str = "") -> list[Alert]:
        """Add a cost that already happened (a ledger row being replayed) to every budget, in one
        transaction, and return the alerts it fired. No reservation and no cap: it records."""
        amount = Decimal(amount)

        def work(conn):
            fired = []
            for b in budgets:
                start, _ = period_bounds(now, b.period, b.tz)
                spent, reserved = self._row(conn, b.name, start)
                after = spent + amount
                self._put(conn, b.name, start, after, reserved)
                fired += self._crossed(conn, b, start, after, now, request_id)
            return fired

        return self._transaction(work)

    def _crossed(self, conn, b: Budget, start: float, after: Decimal, now: float, request_id: str) -> list[Alert]:
        fired = []
        for share in b.thresholds:
            if after > 0 and after >= b.threshold_amount(share) and not conn.execute(
                    "SELECT 1 FROM alerts WHERE budget=? AND period_start=? AND kind='threshold' AND threshold=?",
                    (b.name, start, str(share))).fetchone():                 # fires once (and _fire checks)
                alert = Alert(budget=b.name, kind="threshold", threshold=share,
                              period=label(start, b.period, b.tz), period_start=start, spent=after,
                              limit=b.limit, ts=now, scope=b.describe(), request_id=request_id)
                if self._fire(conn, alert):
                    fired.append(alert)
        return fired

    def release(self, reservation_id: str) -> None:
        """Give the reservation back (the call failed and cost nothing)."""

        def work(conn):
            for name, start, amount in conn.execute(
                    "SELECT budget, period_start, amount FROM reservations WHERE id=?", (reservation_id,)).fetchall():
                spent, reserved = self._row(conn, name, start)
                self._put(conn, name, start, spent, max(reserved - Decimal(amount), Decimal(0)))
            conn.execute("DELETE FROM reservations WHERE id=?", (reservation_id,))

        self._transaction(work)

    # -- alerts ---------------------------------------------------------------------------

    @staticmethod
    def _fire(conn, alert: Alert) -> bool:
        cursor = conn.execute("INSERT OR IGNORE INTO alerts VALUES (?, ?, ?, ?, ?, ?)",
                              (alert.budget, alert.period_start, alert.kind, str(alert.threshold),
                               alert.ts, alert.request_id))
        if cursor.rowcount != 1:
            return False
        conn.execute("INSERT INTO outbox (payload) VALUES (?)", (alert.to_json(),))
        return True

    def fire_once(self, alert: Alert) -> bool:
        """Record ``alert`` unless its key already fired; True if it is new (and queued)."""
        return self._transaction(lambda conn: self._fire(conn, alert))

    def fired(self) -> list[Alert]:
        """Every alert fired so far, oldest first."""
        with self._lock:
            rows = self._connect().execute("SELECT payload FROM outbox ORDER BY id").fetchall()
        return [Alert.from_dict(json.loads(r[0])) for r in rows]

    def pending(self, *, limit: int = 100) -> list[tuple[int, Alert, int]]:
        """Undelivered alerts as ``(outbox id, alert, attempts so far)``."""
        with self._lock:
            rows = self._connect().execute("SELECT id, payload, attempts FROM outbox WHERE delivered=0 "
                                           "ORDER BY id LIMIT ?", (limit,)).fetchall()
        return [(i, Alert.from_dict(json.loads(p)), n) for i, p, n in rows]

    def mark(self, outbox_id: int, *, delivered: bool, error: str = "") -> None:
        self._transaction(lambda conn: conn.execute(
            "UPDATE outbox SET attempts=attempts+1, delivered=?, last_error=? WHERE id=?",
            (int(delivered), error[:500], outbox_id)))

    # -- reading ---------------------------------------------------------------------------

    def spent(self, budget: Budget, *, now: float) -> Decimal:
        """Settled spend of ``budget`` in the period holding ``now``."""
        start, _ = period_bounds(now, budget.period, budget.tz)
        with self._lock:
            return self._row(self._connect(), budget.name, start)[0]

    def reserved(self, budget: Budget, *, now: float) -> Decimal:
        start, _ = period_bounds(now, budget.period, budget.tz)
        with self._lock:
            return self._row(self._connect(), budget.name, start)[1]
