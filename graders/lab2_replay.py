"""Replaying Mercadela's traffic through a learner's semantic cache, and judging each hit.

The replay walks a slice of the traffic log in time order. Each request asks
the cache; on a miss the request's answer is stored (a response that names its
row), on a hit the served row is judged:

- **right** if it has the same meaning group, the same text once normalized
  (identical questions have identical answers), or both rows are tasks with the
  same gold answer (two tickets of one intent, two sums with one result);
- **false** otherwise (a near-miss: «Canarias» for «Madrid»).

A request is *answerable* when an earlier stored row would be a right answer.
Hit rate = right hits / answerable; false-hit rate = false hits / hits. The
encoder runs once per distinct text of the slice (``embed`` passed to the
learner's factory is a lookup of those vectors). Graders only; the visible
check replays public traffic, the hidden one the hidden slice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_lib.course import world
from course_lib.text import normalize

SYSTEM = ("Eres el asistente de atención al cliente de Mercadela. Responde en español, en pocas "
          "frases y solo con datos de la base de conocimiento.")
MODEL = "gpt-4o-mini"


def peticion(texto: str, *, task_id: str = "") -> dict:
    """The chat request the assistant sends for one traffic row."""
    params = {"model": MODEL, "temperature": 0,
              "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": texto}]}
    if task_id:
        params["metadata"] = {"task_id": task_id}
    return params


def respuesta_de_fila(i: int, texto: str = "") -> dict:
    """A stored response that says which row it answered."""
    return {"id": f"fila-{i}", "object": "chat.completion", "created": 0, "model": MODEL, "fila": int(i),
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": f"Respuesta a la petición {i}."}}]}


def slice_rows(*, hidden: bool, days: float = 2.0) -> pd.DataFrame:
    """The first ``days`` of the public or the hidden traffic, in time order."""
    traffic = world.load_traffic(include_hidden=hidden)
    rows = traffic[traffic.split == ("hidden" if hidden else "public")].sort_values("ts", kind="stable")
    rows = rows[rows.ts < rows.ts.min() + pd.Timedelta(days=days)]
    return rows.reset_index(drop=True)


class Judge:
    """Decides whether the answer stored for one row is right for another."""

    def __init__(self, rows: pd.DataFrame):
        answers = {}
        for task_id in set(rows.task_id.fillna("")) - {""}:
            try:
                answers[task_id] = normalize(world.get_task(task_id)["answer"])
            except (KeyError, LookupError):
                pass
        self.keys = []
        for text, group, task_id in zip(rows.text, rows.group_id, rows.task_id.fillna("")):
            keys = {("grupo", group), ("texto", normalize(text))}
            if task_id in answers:
                keys.add(("respuesta", answers[task_id]))
            self.keys.append(frozenset(keys))

    def right(self, i: int, served: int) -> bool:
        return bool(self.keys[i] & self.keys[served])


_MEMO: dict = {}
VECTORS_FILE = "lab2_vectors_hidden.npz"


def stored_vectors(path) -> dict:
    """Text → vector from an ``.npz`` written by ``graders.build_lab2_hidden`` (no pickle)."""
    with np.load(path, allow_pickle=False) as data:
        return dict(zip(data["texts"].tolist(), data["vectors"].astype(np.float32)))


def vectors_for(rows: pd.DataFrame, *, hidden: bool = False):
    """``embed(texts)`` backed by one encoder pass over the slice's distinct texts.

    The hidden slice's vectors are read from ``graders/hidden`` (built once, so grading
    does not wait for the encoder); the public ones are encoded once per process.
    """
    from course_lib.encoder import default_encoder
    from graders import HIDDEN_DIR

    texts = sorted(set(rows.text))
    memo_key = tuple(texts)
    if memo_key not in _MEMO:
        table = stored_vectors(HIDDEN_DIR / VECTORS_FILE) if hidden else {}
        missing = [t for t in texts if t not in table]
        if missing:
            table.update(zip(missing, np.asarray(default_encoder().encode(missing), dtype=np.float32)))
        _MEMO.clear()
        _MEMO[memo_key] = table
    table = dict(_MEMO[memo_key])

    def embed(batch):
        batch = list(batch)
        missing = [t for t in batch if t not in table]
        if missing:
            table.update(zip(missing, default_encoder().encode(missing)))
        return np.asarray([table[t] for t in batch], dtype=np.float32)

    return embed


def replay(cache, rows: pd.DataFrame, judge: Judge | None = None) -> dict:
    """Run ``rows`` through ``cache`` (``lookup(params)`` / ``store(params, response)``)."""
    judge = judge or Judge(rows)
    stored_keys: set = set()
    answerable = hits = right = 0
    false_examples = []
    for i, text in enumerate(rows.text):
        params = peticion(text)
        if judge.keys[i] & stored_keys:
            answerable += 1
        hit = cache.lookup(params)
        if hit is None:
            cache.store(params, respuesta_de_fila(i))
            stored_keys |= judge.keys[i]
            continue
        hits += 1
        response = getattr(getattr(hit, "entry", None), "response", None)
        served = response.get("fila") if isinstance(response, dict) else None
        if isinstance(served, int) and 0 <= served < i and judge.right(i, served):
            right += 1
        elif len(false_examples) < 3:
            false_examples.append((text, rows.text[served] if isinstance(served, int)
                                   and 0 <= served < len(rows) else "(respuesta inventada)"))
    false = hits - right
    return {"peticiones": len(rows), "respondibles": answerable, "aciertos": hits,
            "aciertos_correctos": right, "falsos": false,
            "tasa_aciertos": right / answerable if answerable else 0.0,
            "tasa_falsos": false / hits if hits else 0.0, "ejemplos_falsos": false_examples}
