"""The usage ledger: one SQLite row per LLM call, and the cost metrics read from it.

Each call is a ``CallRecord`` (who, which model, tokens, exact cost, cache hit,
latency). The ledger is a SQLite file in WAL mode, so several processes (the
simulator, notebooks, graders) can write at once without losing rows; a row is
keyed by its ``request_id``, so recording the same call twice keeps one row.

It does not price calls (``course_lib.pricing``) or raise budget alerts; it
only stores and summarises.

>>> ledger = Ledger()
>>> ledger.record(CallRecord(model="gpt-4o", input_tokens=1000, output_tokens=200,
...     cost=Decimal("0.0045"), user="ana"))
>>> ledger.record(CallRecord(model="gpt-4o-mini", input_tokens=1000, output_tokens=200,
...     cost=Decimal("0.00027"), user="luis", cache_hit=True))
>>> ledger.total_cost(), ledger.cost_per_query(), ledger.cache_hit_rate()
(Decimal('0.00477'), Decimal('0.002385'), 0.5)
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from pathlib import Path

_COLUMNS = {
    "request_id": "TEXT PRIMARY KEY", "ts": "REAL NOT NULL", "user": "TEXT", "team": "TEXT",
    "feature": "TEXT", "project": "TEXT", "api_key_id": "TEXT", "model": "TEXT NOT NULL",
    "input_tokens": "INTEGER NOT NULL", "cached_tokens": "INTEGER NOT NULL",
    "output_tokens": "INTEGER NOT NULL", "reasoning_tokens": "INTEGER NOT NULL",
    "cost": "TEXT NOT NULL", "cache_hit": "INTEGER NOT NULL", "latency_ms": "REAL NOT NULL",
    "batch": "INTEGER NOT NULL", "task_id": "TEXT",
}


@dataclass
class CallRecord:
    """One LLM call. Token fields follow OpenAI (input includes cached, output includes reasoning)."""

    model: str
    input_tokens: int
    output_tokens: int
    cost: Decimal
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    user: str = ""
    team: str = ""
    feature: str = ""
    project: str = ""
    api_key_id: str = ""
    cache_hit: bool = False
    latency_ms: float = 0.0
    request_id: str = field(default_factory=lambda: f"req_{uuid.uuid4().hex}")
    ts: float = field(default_factory=time.time)
    batch: bool = False
    task_id: str = ""

    def __post_init__(self):
        self.cost = Decimal(str(self.cost))
        if not self.model:
            raise ValueError("Un registro de uso necesita el nombre del modelo.")


class Ledger:
    """Calls stored in SQLite (``":memory:"`` for a throwaway ledger)."""

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
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            cols = ", ".join(f'"{name}" {kind}' for name, kind in _COLUMNS.items())
            conn.execute(f"CREATE TABLE IF NOT EXISTS calls ({cols})")
            conn.execute("CREATE INDEX IF NOT EXISTS calls_ts ON calls (ts)")
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def __getstate__(self):
        return {"path": self.path, "timeout": self._timeout}

    def __setstate__(self, state):
        self.__init__(state["path"], timeout=state["timeout"])

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- writing ---------------------------------------------------------

    def record(self, rec: CallRecord) -> None:
        """Store one call; a call already stored (same ``request_id``) is kept once."""
        self.record_many([rec])

    def record_many(self, recs) -> None:
        """Store many calls in one transaction (all or none)."""
        rows = [self._row(rec) for rec in recs]
        placeholders = ", ".join("?" for _ in _COLUMNS)
        names = ", ".join(f'"{n}"' for n in _COLUMNS)
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
        values["cache_hit"], values["batch"] = int(rec.cache_hit), int(rec.batch)
        return tuple(values[name] for name in _COLUMNS)

    # -- reading ---------------------------------------------------------

    def _select(self, start: float | None, end: float | None, filters: dict) -> list[sqlite3.Row]:
        clauses, params = [], []
        if start is not None:
            clauses.append("ts >= ?"), params.append(start)
        if end is not None:
            clauses.append("ts < ?"), params.append(end)
        for name, value in filters.items():
            if name not in _COLUMNS:
                raise ValueError(f"No se puede filtrar por '{name}'. Columnas: {', '.join(_COLUMNS)}.")
            clauses.append(f'"{name}" = ?'), params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._lock:
            cursor = self._connect().execute(f"SELECT * FROM calls{where} ORDER BY ts, rowid", params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def records(self, *, start: float | None = None, end: float | None = None, **filters) -> list[CallRecord]:
        """Calls with ``start <= ts < end`` (unix seconds), optionally filtered by column values."""
        known = {f.name for f in fields(CallRecord)}
        out = []
        for row in self._select(start, end, filters):
            row["cache_hit"], row["batch"] = bool(row["cache_hit"]), bool(row["batch"])
            out.append(CallRecord(**{k: v for k, v in row.items() if k in known}))
        return out

    def __len__(self) -> int:
        with self._lock:
            return self._connect().execute("SELECT COUNT(*) FROM calls").fetchone()[0]

    def to_dataframe(self, **query):
        """All calls as a pandas DataFrame; ``time`` is a UTC timestamp, ``cost`` a float."""
        import pandas as pd

        frame = pd.DataFrame(self._select(query.pop("start", None), query.pop("end", None), query),
                             columns=list(_COLUMNS))
        frame["cost"] = frame["cost"].astype(float)
        frame["cache_hit"], frame["batch"] = frame["cache_hit"].astype(bool), frame["batch"].astype(bool)
        frame.insert(1, "time", pd.to_datetime(frame["ts"], unit="s", utc=True))
        return frame

    # -- metrics ---------------------------------------------------------

    def total_cost(self, **query) -> Decimal:
        """Exact total cost in USD."""
        return sum((r.cost for r in self.records(**query)), Decimal(0))

    def cost_per_token(self, **query) -> Decimal:
        """USD per token (input + output) over the selected calls."""
        recs = self.records(**query)
        tokens = sum(r.input_tokens + r.output_tokens for r in recs)
        return sum((r.cost for r in recs), Decimal(0)) / tokens if tokens else Decimal(0)

    def cost_per_query(self, **query) -> Decimal:
        """Average USD per call."""
        recs = self.records(**query)
        return sum((r.cost for r in recs), Decimal(0)) / len(recs) if recs else Decimal(0)

    def cache_hit_rate(self, **query) -> float:
        """Share of calls answered from a response cache."""
        recs = self.records(**query)
        return sum(r.cache_hit for r in recs) / len(recs) if recs else 0.0

    def cached_token_share(self, **query) -> float:
        """Share of input tokens served from the provider's prompt cache."""
        recs = self.records(**query)
        total = sum(r.input_tokens for r in recs)
        return sum(r.cached_tokens for r in recs) / total if total else 0.0

    def model_utilization(self, **query) -> dict[str, float]:
        """Share of calls per model, largest first."""
        recs = self.records(**query)
        counts: dict[str, int] = {}
        for r in recs:
            counts[r.model] = counts.get(r.model, 0) + 1
        return {m: n / len(recs) for m, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}

    def cost_per_user(self, **query) -> dict[str, Decimal]:
        """Total USD per user, most expensive first."""
        totals: dict[str, Decimal] = {}
        for r in self.records(**query):
            totals[r.user] = totals.get(r.user, Decimal(0)) + r.cost
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
