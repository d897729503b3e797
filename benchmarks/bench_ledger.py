"""Ledger writes from 4 concurrent processes against one process doing plain SQLite inserts.

Each writer records rows one call at a time (one transaction each), as the
simulator does. Baseline: a single process inserting the same number of rows
with bare ``sqlite3`` autocommit statements in WAL mode, in the same run.
Targets: >= 5,000 rows/s together, 0 rows lost.
"""

import multiprocessing as mp
import sqlite3
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from course_lib.usage import CallRecord, Ledger

WRITERS, ROWS = 4, 5_000


def write(path: str, writer: int, start_event) -> None:
    ledger = Ledger(path)
    start_event.wait()
    for i in range(ROWS):
        ledger.record(CallRecord(model="gpt-4o-mini", input_tokens=1000, output_tokens=100,
                                 cost=Decimal("0.00021"), user=f"u{i % 50}", request_id=f"w{writer}-{i}"))


def concurrent_run(directory: Path) -> tuple[float, int]:
    path = str(directory / "ledger.sqlite")
    Ledger(path)
    ctx = mp.get_context("spawn")
    go = ctx.Event()
    procs = [ctx.Process(target=write, args=(path, w, go)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    time.sleep(2.0)  # let every writer import and open its connection before the clock starts
    start = time.perf_counter()
    go.set()
    for p in procs:
        p.join()
    return time.perf_counter() - start, len(Ledger(path))


def baseline_run(directory: Path) -> float:
    conn = sqlite3.connect(directory / "raw.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE calls (request_id TEXT PRIMARY KEY, model TEXT, input_tokens INT, "
                 "output_tokens INT, cost TEXT, user TEXT)")
    start = time.perf_counter()
    for i in range(WRITERS * ROWS):
        conn.execute("INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?)",
                     (f"r{i}", "gpt-4o-mini", 1000, 100, "0.00021", f"u{i % 50}"))
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = baseline_run(Path(tmp))
        elapsed, rows = concurrent_run(Path(tmp))
    expected = WRITERS * ROWS
    print(f"base: 1 proceso, sqlite3 directo:  {expected / base:10,.0f} filas/s")
    print(f"Ledger: {WRITERS} procesos a la vez:    {expected / elapsed:10,.0f} filas/s "
          f"({rows}/{expected} filas, {expected - rows} perdidas)")
    print(f"ratio Ledger concurrente/base = {base / elapsed:.2f} (objetivo: >= 5.000 filas/s y 0 perdidas)")


if __name__ == "__main__":
    main()
