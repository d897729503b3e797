"""Work done in separate processes by the cache tests (importable by a spawned child)."""

from __future__ import annotations

from course_lib.cache import ExactCache, RedisBackend

QUESTION = {"model": "gpt-4o-mini", "temperature": 0,
            "messages": [{"role": "user", "content": "¿Envían a Canarias?"}]}
BODY = 40_000


def answer(writer: int) -> dict:
    text = f"{writer}:" + "x" * BODY
    return {"choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": text}}]}


def store_and_read(url: str, prefix: str, writer: int, rounds: int, out) -> None:
    """Like a kernel: overwrite the shared entry with large answers and read it back."""
    cache = ExactCache(backend=RedisBackend(url=url, prefix=prefix), max_entries=None)
    hits = torn = 0
    for _ in range(rounds):
        cache.store(QUESTION, answer(writer))
        entry = cache.lookup(QUESTION)
        if entry is None:
            continue
        hits += 1
        content = entry.response["choices"][0]["message"]["content"]
        head, _, body = content.partition(":")
        torn += not (head.isdigit() and body == "x" * BODY)
    out.put((hits, torn, cache.stats.get("corrupt")))
