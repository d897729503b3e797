"""Throughput of ``count_tokens`` against raw ``tiktoken`` encode on the same Spanish corpus.

Baseline: tiktoken's own ``Encoding.encode`` on the same encoding object, measured
in the same run. Target: ratio >= 0.9 (our wrapper costs at most 10 %).
"""

import gzip
import json
import time

import tiktoken

from course_lib.paths import TOKENIZER_DIR, WORLD_DIR
from course_lib.tokens import ENCODINGS, _read_ranks, count_tokens


def spanish_corpus() -> list[str]:
    """Lines of the course's knowledge base and task bank: short and long Spanish texts."""
    texts = []
    kb = WORLD_DIR / "kb_documents.jsonl"
    for line in kb.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)["text"]
        texts.append(doc)
        texts.extend(p for p in doc.split("\n") if p.strip())
    tasks = WORLD_DIR / "tasks.jsonl"
    texts.extend(json.loads(line)["question"] for line in tasks.read_text(encoding="utf-8").splitlines())
    return texts


def best_times(fns: dict, repeats: int = 9) -> dict:
    """Best time of each function, runs interleaved so machine noise hits all alike."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    corpus = spanish_corpus()
    spec = ENCODINGS["o200k_base"]
    raw = tiktoken.Encoding("o200k_base", pat_str=spec["pat_str"], special_tokens=spec["special_tokens"],
                            mergeable_ranks=_read_ranks("o200k_base", TOKENIZER_DIR))
    total = sum(len(raw.encode(t)) for t in corpus)
    assert total == sum(count_tokens(t, "gpt-4o") for t in corpus), "counts differ from tiktoken"

    times = best_times({
        "encode": lambda: [len(raw.encode(t)) for t in corpus],
        "encode_ordinary": lambda: [len(raw.encode_ordinary(t)) for t in corpus],
        "count_tokens": lambda: [count_tokens(t, "gpt-4o") for t in corpus],
    })
    print(f"corpus: {len(corpus)} textos en español, {total:,} tokens (o200k_base)")
    print(f"tiktoken encode (base):          {total / times['encode']:12,.0f} tokens/s")
    print(f"tiktoken encode_ordinary:        {total / times['encode_ordinary']:12,.0f} tokens/s")
    print(f"count_tokens:                    {total / times['count_tokens']:12,.0f} tokens/s")
    print(f"ratio count_tokens/encode = {times['encode'] / times['count_tokens']:.2f} (objetivo >= 0.90); "
          f"frente a encode_ordinary = {times['encode_ordinary'] / times['count_tokens']:.2f}")


if __name__ == "__main__":
    main()
