"""Our semantic cache against GPTCache on the same encoder, the same traffic and the same judge.

Both caches start empty and replay the first two days of the public traffic
(``graders.lab2_replay``): GPTCache 0.1.44 with its defaults (sqlite + faiss,
``SearchDistanceEvaluation``, similarity threshold 0.8, which on unit vectors
means cosine ≥ 0.6) and at 0.95, and ``course_lib.cache.SemanticCache`` with the
lab's reference settings (cosine 0.90, ``DetailGuard(swaps=True)``). Printed:
hit rate over answerable requests, false-hit rate, lookup p50 / p99.
Needs ``pip install -r benchmarks/requirements.txt``. Not part of ``make test``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class GPTCacheAdapter:
    """GPTCache behind the replay's ``lookup(params)`` / ``store(params, response)``."""

    def __init__(self, embed, *, threshold: float, folder: str):
        from gptcache import Cache, Config
        from gptcache.manager import CacheBase, VectorBase, get_data_manager
        from gptcache.processor.pre import get_prompt
        from gptcache.similarity_evaluation.distance import SearchDistanceEvaluation

        self.cache = Cache()
        manager = get_data_manager(CacheBase("sqlite", sql_url=f"sqlite:///{folder}/gpt.db"),
                                   VectorBase("faiss", dimension=512, index_path=f"{folder}/faiss.index"))
        self.cache.init(pre_embedding_func=get_prompt, embedding_func=lambda text, **_: embed([text])[0].astype("float32"),
                        data_manager=manager, similarity_evaluation=SearchDistanceEvaluation(),
                        config=Config(similarity_threshold=threshold))
        self.times = []

    def lookup(self, params):
        from gptcache.adapter.api import get

        from course_lib.cache import Entry, SemanticHit

        question = params["messages"][-1]["content"]
        t0 = time.perf_counter()
        answer = get(question, cache_obj=self.cache)
        self.times.append(time.perf_counter() - t0)
        if answer is None:
            return None
        return SemanticHit(Entry(response={"fila": int(answer)}, created=0.0), 1.0, "")

    def store(self, params, response):
        from gptcache.adapter.api import put

        put(params["messages"][-1]["content"], str(response["fila"]), cache_obj=self.cache)


class Timed:
    def __init__(self, cache):
        self.cache, self.times = cache, []

    def lookup(self, params):
        t0 = time.perf_counter()
        hit = self.cache.lookup(params)
        self.times.append(time.perf_counter() - t0)
        return hit

    def store(self, params, response):
        self.cache.store(params, response)


def main() -> None:
    from course_lib.cache import DetailGuard, SemanticCache
    from graders import lab2_replay

    rows = lab2_replay.slice_rows(hidden=False, days=2.0)
    judge = lab2_replay.Judge(rows)
    embed = lab2_replay.vectors_for(rows)
    print(f"Tráfico público, {len(rows)} peticiones, mismo codificador y mismo juez\n")
    results = []
    for name, build in [
        ("GPTCache 0.8 (por defecto)", lambda d: GPTCacheAdapter(embed, threshold=0.8, folder=d)),
        ("GPTCache 0.95", lambda d: GPTCacheAdapter(embed, threshold=0.95, folder=d)),
        ("course_lib 0.90 + guardas", lambda d: Timed(SemanticCache(
            embed=embed, threshold=0.90, guards=[DetailGuard(swaps=True)], max_entries=None))),
    ]:
        folder = tempfile.mkdtemp(prefix="bench-gptcache-")   # GPTCache flushes faiss at exit
        if True:
            cache = build(folder)
            r = lab2_replay.replay(cache, rows, judge)
            p50, p99 = (float(np.percentile(np.asarray(cache.times) * 1000, q)) for q in (50, 99))
            results.append((name, r, p50))
            print(f"{name:28s} aciertos {r['tasa_aciertos']:6.1%} · falsos {r['tasa_falsos']:6.1%} de los "
                  f"aciertos · búsqueda p50 {p50:6.2f} ms · p99 {p99:6.2f} ms")
    ours, default = results[-1], results[0]
    print(f"\nRazón de latencia p50 (course_lib / GPTCache por defecto): {ours[2] / default[2]:.3f}× "
          f"({default[2] / ours[2]:.0f} veces más rápida)")


if __name__ == "__main__":
    main()
