"""The usage ledger: records stored in SQLite, and the cost metrics read from them.

The ledger is a SQLite file in WAL mode, so several processes (notebooks,
graders, the simulator) can write at once without losing rows; a row is keyed
by its ``request_id``, so recording the same attempt twice keeps one row. The
schema is versioned and upgraded in place (``course_lib.usage.schema``).

It does not price calls (``course_lib.pricing``) or raise budget alerts; it
stores, and it summarises with the functions of ``course_lib.usage.metrics``.

>>> ledger = Ledger()
>>> ledger.record(CallRecord(model="gpt-4o", input_tokens=1000, output_tokens=200,
...     cost=Decimal("0.0045"), user="ana"))
>>> ledger.record(CallRecord(model="gpt-4o-mini", input_tokens=0, output_tokens=0,
...     cost=Decimal(0), user="luis", response_cache_hit=True))
>>> ledger.total_cost(), ledger.cost_per_query(), ledger.cache_hit_rate()
(Decimal('0.0045'), Decimal('0.00225'), 0.5)
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import asdict, fields
from decimal import Decimal
from pathlib import Path

from . import metrics
from .records import CallRecord
from .schema import BOOLEAN_COLUMNS, COLUMNS, ensure_schema

_RECORD_FIELDS = frozenset(f.name for f in fields(CallRecord))


class Ledger:
    """Records stored in SQLite (``":memory:"`` for a throwaway ledger)."""

    def __init__(self, path: str | Path = ":memory:", *, timeout: float = 60.0):
        self.path = str(path)
        self._timeout = timeout
        self._lock = threading.Lock()
        self._conn, self._pid = None, None
        self._connect()

    def _connect(self) -> sqlite3.Connection:
        # A forked child must not share its parent's connection: reopen per process.
        if self._conn is None or self._pid != os.getpid():
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self._timeout, check_same_thread=False,
                                   isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                ensure_schema(conn, where=self.path)
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise ValueError(f"{self.path} no es un registro de uso válido ({exc}). Si está "
                                 "dañado, muévelo a otro sitio y se creará uno nuevo.") from exc
            except BaseException:
                conn.close()
                raise
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def __getstate__(self):
        return {"path": self.path, "timeout": self._timeout}

    def __setstate__(self, state):
        self.__init__(state["path"], timeout=state["timeout"])

    def __repr__(self):
        return f"<Ledger {self.path}>"

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- writing ---------------------------------------------------------

    def record(self, rec: CallRecord) -> None:
        """Store one record; one already stored (same ``request_id``) is kept once."""
        self.record_many([rec])

    def record_many(self, recs) -> None:
        """Store many records in one transaction (all or none)."""
        rows = [self._row(rec) for rec in recs]
        placeholders = ", ".join("?" for _ in COLUMNS)
        names = ", ".join(f'"{n}"' for n in COLUMNS)
        with self._lock:
            conn = self._connect()
            conn.execute("BEGIN IMMEDIATE")  # take the write lock up front: no upgrade deadlock
            try:
                conn.executemany(f"INSERT OR IGNORE INTO calls ({names}) VALUES ({placeholders})", rows)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @staticmethod
    def _row(rec: CallRecord) -> tuple:
        if not isinstance(rec, CallRecord):
            raise TypeError(f"Ledger.record espera un CallRecord, no {type(rec).__name__}.")
        values = asdict(rec)
        values["cost"] = str(rec.cost)
        for name in BOOLEAN_COLUMNS:
            values[name] = int(bool(values[name]))
        return tuple(values[name] for name in COLUMNS)

    # -- reading ---------------------------------------------------------

    def _select(self, start: float | None, end: float | None, filters: dict) -> list[dict]:
        clauses, params = [], []
        if start is not None:
            clauses.append("ts >= ?"), params.append(start)
        if end is not None:
            clauses.append("ts < ?"), params.append(end)
        for name, value in filters.items():
            if name not in COLUMNS:
                raise ValueError(f"No se puede filtrar por '{name}'. Columnas: {', '.join(COLUMNS)}.")
            clauses.append(f'"{name}" = ?'), params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._lock:
            cursor = self._connect().execute(f"SELECT * FROM calls{where} ORDER BY ts, rowid", params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def records(self, *, start: float | None = None, end: float | None = None, **filters) -> list[CallRecord]:
        """Records with ``start <= ts < end`` (unix seconds), optionally filtered by column values."""
        out = []
        for row in self._select(start, end, filters):
            for name in BOOLEAN_COLUMNS:
                row[name] = bool(row[name])
            out.append(CallRecord(**{k: v for k, v in row.items() if k in _RECORD_FIELDS}))
        return out

    def __len__(self) -> int:
        with self._lock:
            return self._connect().execute("SELECT COUNT(*) FROM calls").fetchone()[0]

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._connect().execute("PRAGMA user_version").fetchone()[0]

    def to_dataframe(self, **query):
        """All records as a pandas DataFrame; ``time`` is a UTC timestamp, ``cost`` a float."""
        import pandas as pd

        frame = pd.DataFrame(self._select(query.pop("start", None), query.pop("end", None), query),
                             columns=list(COLUMNS))
        frame["cost"] = frame["cost"].astype(float)
        for name in BOOLEAN_COLUMNS:
            frame[name] = frame[name].astype(bool)
        frame.insert(1, "time", pd.to_datetime(frame["ts"], unit="s", utc=True))
        return frame

    # -- metrics (see course_lib.usage.metrics) ----------------------------

    def total_cost(self, **query) -> Decimal:
        """Exact total cost in USD."""
        return metrics.total_cost(self.records(**query))

    def cost_per_token(self, **query) -> Decimal:
        """USD per token (input + output) over the selected records."""
        return metrics.cost_per_token(self.records(**query))

    def cost_per_query(self, **query) -> Decimal:
        """Average USD per application call (attempts of one call counted once)."""
        return metrics.cost_per_query(self.records(**query))

    def cache_hit_rate(self, **query) -> float:
        """Share of application calls answered by a response cache."""
        return metrics.cache_hit_rate(self.records(**query))

    def cached_token_share(self, **query) -> float:
        """Share of input tokens served from the provider's prompt cache."""
        return metrics.cached_token_share(self.records(**query))

    def model_utilization(self, **query) -> dict[str, float]:
        """Share of provider attempts per model, largest first."""
        return metrics.model_utilization(self.records(**query))

    def cost_per_user(self, **query) -> dict[str, Decimal]:
        """Total USD per user, most expensive first."""
        return metrics.cost_by(self.records(**query), "user")
