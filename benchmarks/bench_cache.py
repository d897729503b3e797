"""Benchmarks of course_lib.cache, each against a baseline measured in the same run.

1. Redis backend get/set against raw redis-py GET/SET on the same server (goal ≤ 1,5×).
2. Semantic lookup time at 1k, 10k and 100k entries in one partition (how it grows).
3. Embedding calls saved by the embeddings cache on a replay of public traffic.

Run: ``python benchmarks/bench_cache.py`` (needs ``redis-server`` on PATH). Not part of ``make test``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentiles(samples) -> tuple[float, float]:
    arr = np.asarray(samples) * 1e6
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99))


def bench_redis(n: int = 3000) -> None:
    import redis

    from course_lib.cache import RedisBackend

    if shutil.which("redis-server") is None:
        print("redis-server no está instalado: se omite la comparación con redis-py")
        return
    port = _free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
                             "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        raw = redis.Redis(port=port, decode_responses=True)
        ours = RedisBackend(url=f"redis://127.0.0.1:{port}/0", prefix="bench:")
        value = '{"response": "' + "x" * 400 + '"}'
        times = {"raw_set": [], "raw_get": [], "ours_set": [], "ours_get": []}
        for i in range(n):
            for name, op in (("raw_set", lambda: raw.set(f"raw:{i}", value)),
                             ("ours_set", lambda: ours.set(f"{i}", value, ttl_s=3600)),
                             ("raw_get", lambda: raw.get(f"raw:{i}")),
                             ("ours_get", lambda: ours.get(f"{i}"))):
                t0 = time.perf_counter()
                op()
                times[name].append(time.perf_counter() - t0)
        print("1. Backend Redis frente a redis-py (mismo servidor, µs por operación)")
        for op in ("set", "get"):
            r50, r99 = _percentiles(times[f"raw_{op}"])
            o50, o99 = _percentiles(times[f"ours_{op}"])
            print(f"   {op.upper()}: redis-py p50 {r50:6.1f} p99 {r99:6.1f} · RedisBackend p50 {o50:6.1f} "
                  f"p99 {o99:6.1f} · razón p50 {o50 / r50:4.2f}×")
    finally:
        proc.terminate()
        proc.wait()


def bench_scaling(sizes=(1_000, 10_000, 100_000), dims: int = 512, lookups: int = 200) -> None:
    from course_lib.cache import SemanticCache

    rng = np.random.default_rng(0)
    print("2. Búsqueda semántica según el número de entradas (una partición, ms por búsqueda)")
    base = None
    for size in sizes:
        vectors = rng.standard_normal((size, dims)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        cache = SemanticCache(embed=lambda texts: None, threshold=0.95, max_entries=None)
        answer = {"choices": [{"index": 0, "finish_reason": "stop", "message": {"content": "ok"}}]}
        for i in range(size):
            cache.store({"model": "m", "temperature": 0,
                         "messages": [{"role": "user", "content": f"q{i}"}]}, answer, vector=vectors[i])
        probe = {"model": "m", "temperature": 0, "messages": [{"role": "user", "content": "nueva"}]}
        samples = []
        for j in range(lookups):
            t0 = time.perf_counter()
            cache.lookup(probe, vector=vectors[j])
            samples.append(time.perf_counter() - t0)
        p50, p99 = (x / 1000 for x in _percentiles(samples))
        base = base or p50
        print(f"   {size:>7,} entradas: p50 {p50:7.3f} ms · p99 {p99:7.3f} ms · {p50 / base:5.1f}× la de 1k")


def bench_embeddings(days: float = 2.0) -> None:
    from course_lib import connect
    from course_lib.cache import EmbeddingsCache, install_embeddings_cache
    from graders import lab2_replay

    rows = lab2_replay.slice_rows(hidden=False, days=days).head(400)
    client = connect(isolated=True, max_retries=0)
    try:
        cache = install_embeddings_cache(client, cache=EmbeddingsCache())
        for text in rows.text:
            client.embeddings.create(model="text-embedding-3-small", input=[text], dimensions=256)
        provider = [r for r in client.ledger.records() if r.endpoint == "embeddings" and not r.response_cache_hit]
        print("3. Caché de embeddings sobre el tráfico público")
        print(f"   {len(rows)} peticiones, {len(provider)} llegan al proveedor: se ahorra el "
              f"{1 - len(provider) / len(rows):.0%} de las llamadas ({cache.stats.get('hits')} aciertos)")
    finally:
        client.simulator.stop()


if __name__ == "__main__":
    bench_redis()
    bench_scaling()
    bench_embeddings()
