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


_TABLES: dict = {}
VECTORS_FILE = "lab2_vectors_hidden.npz"
PUBLIC_VECTORS_FILE = "lab2_vectors_public.npz"


def stored_vectors(path) -> dict:
    """Text → vector from an ``.npz`` written by ``graders.build_lab2_hidden`` (no pickle)."""
    with np.load(path, allow_pickle=False) as data:
        return dict(zip(data["texts"].tolist(), data["vectors"].astype(np.float32)))


def public_vectors_path():
    from pathlib import Path

    return Path(__file__).with_name(PUBLIC_VECTORS_FILE)


def _table(hidden: bool) -> dict:
    """The stored vectors (public, plus the hidden slice's when ``hidden``), read once per process."""
    from graders import HIDDEN_DIR

    if hidden not in _TABLES:
        path = public_vectors_path()
        table = stored_vectors(path) if path.exists() else {}
        if hidden:
            table.update(stored_vectors(HIDDEN_DIR / VECTORS_FILE))
        _TABLES[hidden] = table
    return _TABLES[hidden]


def vectors_for(rows: pd.DataFrame | None = None, *, hidden: bool = False):
    """``embed(texts)``: the local encoder's vectors, read from the stored tables when there.

    The lesson's texts (dev pairs, the public replay slices) and the hidden slices were
    encoded once by ``python -m graders.build_lab2_hidden`` (so a notebook run and grading
    do not wait for the encoder, a few hundred ms per text on a busy machine); any other
    text is encoded on the spot and remembered. The tables are read here, before any
    learner code runs (the hidden-read guard would otherwise flag the grader's own read).
    """
    from course_lib.encoder import default_encoder

    table = dict(_table(hidden))
    if rows is not None:
        missing = sorted(set(rows.text) - set(table))
        if missing:
            table.update(zip(missing, np.asarray(default_encoder().encode(missing), dtype=np.float32)))

    def embed(batch):
        batch = [batch] if isinstance(batch, str) else list(batch)
        if not batch:
            return np.zeros((0, 512), dtype=np.float32)
        missing = sorted({t for t in batch if t not in table})
        if missing:
            table.update(zip(missing, np.asarray(default_encoder().encode(missing), dtype=np.float32)))
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
