"""The ledger's SQLite schema, its version and the migrations between versions.

The version lives in ``PRAGMA user_version``. A new file is created at the
latest version; an older file is upgraded in place, one ordered step at a
time, inside one write transaction, so two processes opening the same old
file never migrate it twice and a failed step leaves the file as it was.

* version 0 — the first ledger (no version stamp): ``cache_hit`` meant
  "the provider's prompt cache served some input tokens";
* version 1 — attempts grouped by ``call_id``; ``response_cache_hit`` for
  calls answered by the application's cache; ``status``, ``error``,
  ``endpoint``, ``session``, ``priced``; the ambiguous ``cache_hit`` is dropped
  (the prompt-cache fact is already in ``cached_tokens``).

It does not read or write records (``course_lib.usage.ledger``).
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

COLUMNS: dict[str, str] = {
    "request_id": "TEXT PRIMARY KEY", "ts": "REAL NOT NULL", "user": "TEXT", "team": "TEXT",
    "feature": "TEXT", "project": "TEXT", "session": "TEXT NOT NULL DEFAULT ''",
    "api_key_id": "TEXT", "model": "TEXT NOT NULL",
    "input_tokens": "INTEGER NOT NULL", "cached_tokens": "INTEGER NOT NULL",
    "output_tokens": "INTEGER NOT NULL", "reasoning_tokens": "INTEGER NOT NULL",
    "cost": "TEXT NOT NULL", "response_cache_hit": "INTEGER NOT NULL DEFAULT 0",
    "latency_ms": "REAL NOT NULL", "batch": "INTEGER NOT NULL", "task_id": "TEXT",
    "call_id": "TEXT NOT NULL DEFAULT ''", "attempt": "INTEGER NOT NULL DEFAULT 1",
    "endpoint": "TEXT NOT NULL DEFAULT 'chat.completions'",
    "status": "TEXT NOT NULL DEFAULT 'ok'", "error": "TEXT NOT NULL DEFAULT ''",
    "priced": "INTEGER NOT NULL DEFAULT 1",
}
"""Columns of the latest version, in table order."""

BOOLEAN_COLUMNS = ("response_cache_hit", "batch", "priced")


class LedgerSchemaError(RuntimeError):
    """The file is not a ledger this version of course_lib can read."""


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    for name in ("session", "call_id", "attempt", "endpoint", "status", "error", "priced",
                 "response_cache_hit"):
        conn.execute(f'ALTER TABLE calls ADD COLUMN "{name}" {COLUMNS[name]}')
    conn.execute("UPDATE calls SET call_id = request_id WHERE call_id = ''")
    conn.execute("ALTER TABLE calls DROP COLUMN cache_hit")


MIGRATIONS = {0: _migrate_0_to_1}
"""``MIGRATIONS[v]`` upgrades a file from version ``v`` to ``v + 1``."""


def _create(conn: sqlite3.Connection) -> None:
    cols = ", ".join(f'"{name}" {kind}' for name, kind in COLUMNS.items())
    conn.execute(f"CREATE TABLE calls ({cols})")


def _indexes(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE INDEX IF NOT EXISTS calls_ts ON calls (ts)")
    conn.execute("CREATE INDEX IF NOT EXISTS calls_call_id ON calls (call_id)")


def ensure_schema(conn: sqlite3.Connection, *, where: str = "") -> int:
    """Create or upgrade the ``calls`` table to :data:`SCHEMA_VERSION`; return the old version.

    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> ensure_schema(conn), conn.execute("PRAGMA user_version").fetchone()[0]
    (1, 1)
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return version
    if version > SCHEMA_VERSION:
        raise LedgerSchemaError(
            f"El registro {where or ''} tiene la versión de esquema {version}, más nueva que la "
            f"que conoce esta course_lib ({SCHEMA_VERSION}). Actualiza el curso (git pull y "
            "make test) o usa otro fichero de registro.")
    conn.execute("BEGIN IMMEDIATE")   # one migrator at a time; re-read the version inside
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='calls'"
                              ).fetchone() is not None
        old = version if exists else SCHEMA_VERSION
        if not exists:
            _create(conn)
        else:
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                version += 1
        _indexes(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        conn.execute("ROLLBACK")
        raise LedgerSchemaError(
            f"No puedo preparar el registro {where}: {exc}. Si el fichero está dañado, "
            "muévelo a otro sitio y se creará uno nuevo.") from exc
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return old
