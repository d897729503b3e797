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
learner's factory is a lookup of those vectors). The replay is two halves:
:func:`play` runs the cache and says which row each hit served (it needs no
labels: the hidden check runs it on the learner's side, with the vectors the
grader sends through :func:`table_embed`), :func:`score` judges that with the
labels (in the grader for the hidden slice). The visible check and the lesson
use :func:`replay`, both halves in one process.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_lib.course import world
from course_lib.text import normalize
from graders import HIDDEN_DIR

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
    if hidden not in _TABLES:
        path = public_vectors_path()
        table = stored_vectors(path) if path.exists() else {}
        if hidden:
            table.update(stored_vectors(HIDDEN_DIR / VECTORS_FILE))
        _TABLES[hidden] = table
    return _TABLES[hidden]


def _embed_from(table: dict):
    """``embed(texts)`` reading ``table`` (text → vector), encoding and remembering any other text."""
    from course_lib.encoder import default_encoder

    def embed(batch):
        batch = [batch] if isinstance(batch, str) else list(batch)
        if not batch:
            return np.zeros((0, 512), dtype=np.float32)
        missing = sorted({t for t in batch if t not in table})
        if missing:
            table.update(zip(missing, np.asarray(default_encoder().encode(missing), dtype=np.float32)))
        return np.asarray([table[t] for t in batch], dtype=np.float32)

    return embed


def vectors_for(rows: pd.DataFrame | None = None, *, hidden: bool = False):
    """``embed(texts)``: the local encoder's vectors, read from the stored tables when there.

    The lesson's texts (dev pairs, the public replay slices) and the hidden slices were
    encoded once by ``python -m graders.build_lab2_hidden`` (so a notebook run and grading
    do not wait for the encoder, a few hundred ms per text on a busy machine); any other
    text is encoded on the spot and remembered. ``hidden=True`` reads the hidden table
    (the grader only: the learner's kernel cannot read ``graders/hidden``).
    """
    from course_lib.encoder import default_encoder

    table = dict(_table(hidden))
    if rows is not None:
        missing = sorted(set(rows.text) - set(table))
        if missing:
            table.update(zip(missing, np.asarray(default_encoder().encode(missing), dtype=np.float32)))
    return _embed_from(table)


def table_embed(texts: list, vectors):
    """``embed(texts)`` on the learner's side: the public table plus the vectors the grader sent.

    A hidden check builds it in the kernel (``worker.keep("graders.lab2_replay:table_embed",
    texts, vectors)``) with the vectors of the hidden slice's texts, read in the grader.
    """
    table = dict(_table(False))
    table.update(zip(list(texts), np.asarray(vectors, dtype=np.float32)))
    return _embed_from(table)


MISS = None
"""What :func:`play` reports for a request the cache did not answer (its response was stored)."""
NOT_A_ROW = -1
"""What :func:`play` reports for a hit whose response names no stored row."""


def play(cache, texts) -> list:
    """Run ``texts`` in order through ``cache`` (``lookup(params)`` / ``store(params, response)``).

    Returns, per request, :data:`MISS` or the row whose stored response the hit
    served (:data:`NOT_A_ROW` when the response names none). No labels needed.
    """
    served = []
    for i, text in enumerate(texts):
        params = peticion(text)
        hit = cache.lookup(params)
        if hit is None:
            cache.store(params, respuesta_de_fila(i))
            served.append(MISS)
            continue
        response = getattr(getattr(hit, "entry", None), "response", None)
        row = response.get("fila") if isinstance(response, dict) else None
        served.append(row if type(row) is int else NOT_A_ROW)
    return served


def play_cache(cache, texts) -> dict:
    """:func:`play` on the learner's side, for a hidden check: ``{"servidas": [...]}``, or
    ``{"no_es_cache": type name}`` when ``cache`` has no ``lookup()`` and ``store()``."""
    if not (callable(getattr(cache, "lookup", None)) and callable(getattr(cache, "store", None))):
        return {"no_es_cache": type(cache).__name__}
    return {"servidas": play(cache, texts)}


def score(rows: pd.DataFrame, served: list, judge: Judge | None = None) -> dict:
    """Judge a :func:`play` of ``rows``: hit rate over answerable requests and false hits.

    A hit is right when it served an earlier row that was stored (a miss) and
    :meth:`Judge.right` says its answer fits; anything else is a false hit.
    """
    judge = judge or Judge(rows)
    stored_keys: set = set()
    answerable = hits = right = 0
    false_examples = []
    for i, text in enumerate(rows.text):
        if judge.keys[i] & stored_keys:
            answerable += 1
        row = served[i]
        if row is MISS:
            stored_keys |= judge.keys[i]
            continue
        hits += 1
        valid = type(row) is int and 0 <= row < i and served[row] is MISS
        if valid and judge.right(i, row):
            right += 1
        elif len(false_examples) < 3:
            false_examples.append((text, rows.text[row] if valid else "(respuesta inventada)"))
    false = hits - right
    return {"peticiones": len(rows), "respondibles": answerable, "aciertos": hits,
            "aciertos_correctos": right, "falsos": false,
            "tasa_aciertos": right / answerable if answerable else 0.0,
            "tasa_falsos": false / hits if hits else 0.0, "ejemplos_falsos": false_examples}


def replay(cache, rows: pd.DataFrame, judge: Judge | None = None) -> dict:
    """Run ``rows`` through ``cache`` and judge it (:func:`play` then :func:`score`)."""
    return score(rows, play(cache, list(rows.text)), judge)
