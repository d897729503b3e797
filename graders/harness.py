"""Measure requests on an isolated simulator: one row per task, scored and priced.

This is the measurement every lab's grader (and its lesson) uses: send a set
of chat requests through the client pipeline, score each answer against its
task with the world's ``is_correct``, and take tokens and cost from the
client-side ledger, so whatever the pipeline does (a response cache answering,
a cascade escalating, a guard refusing) is what gets measured.

API
---
``medir(peticiones, tareas, *, hechos=None, cliente=None, modelo=None)``
    ``peticiones[i]`` are the ``chat.completions.create`` kwargs for
    ``tareas[i]`` (a task dict of ``world.load_tasks``). ``metadata.task_id`` is
    set from the task when missing, so the simulator's quality model answers it.
    ``cliente`` is a client from ``connect()`` (e.g. with a lab's cache or
    router installed in ``cliente.pipeline``); without it a fresh
    ``connect(isolated=True)`` is used, so a measurement is reproducible.
    ``modelo``, when given, replaces every request's model. Returns a
    ``pandas.DataFrame`` with one row per task, in order:

    ``task_id``; ``modelo`` (the model of the call's last provider attempt, or
    the requested one if none); ``tokens_entrada``, ``tokens_salida``,
    ``tokens_cache`` (sums over the call's ledger rows); ``coste_exacto``
    (``Decimal`` USD, sum of the call's ledger rows: every attempt counts, a
    response-cache hit costs 0) and ``coste`` (the same as ``float``);
    ``intentos`` (provider attempts); ``cache_respuesta`` (answered by a
    response cache); ``correcta``; ``motivo`` ("" when right, else
    ``falta_dato``, ``falta_pregunta``, ``respuesta_cortada`` or
    ``fallo_del_modelo``, from the simulator's judge); ``fin`` (finish_reason);
    ``respuesta`` (the answer's text).

``resumen(filas)``
    Totals of a measurement: ``coste`` (Decimal), ``acierto``, ``tareas``.

A request that the pipeline refuses (``course_lib.CallRefused``) is a row with
zero cost, ``correcta=False`` and ``motivo="rechazada"``; any other error
propagates. This module does not decide pass or fail: the labs' check
functions apply their gates to these rows.
"""

from __future__ import annotations

from decimal import Decimal

MOTIVOS = ("falta_dato", "falta_pregunta", "respuesta_cortada", "fallo_del_modelo", "rechazada")
"""Why an answer was wrong, as ``medir`` reports it."""


def _facts_of(tarea: dict, hechos: dict[str, dict]) -> list[dict]:
    return [hechos[f] for f in list(tarea.get("fact_ids") or []) if f in hechos]


def motivo(request: dict, tarea: dict, hechos: dict[str, dict], finish: str | None) -> str:
    """Why ``tarea`` was answered wrong, asking the simulator's own quality model."""
    from course_lib.simulator.quality import judge

    prompt = "\n".join(str(m.get("content") or "") for m in request.get("messages") or [])
    reason = judge(tarea, _facts_of(tarea, hechos), prompt=prompt, model=request["model"], skill=0.5).reason
    if reason == "missing_facts":
        return "falta_dato"
    if reason == "unrecognisable":
        return "falta_pregunta"
    return "respuesta_cortada" if finish == "length" else "fallo_del_modelo"


def _with_task(request: dict, tarea: dict, modelo: str | None) -> dict:
    request = dict(request)
    meta = dict(request.get("metadata") or {})
    meta.setdefault("task_id", tarea["task_id"])
    request["metadata"] = meta
    if modelo:
        request["model"] = modelo
    return request


def _new_rows(ledger, seen: set[str]) -> list:
    rows = [r for r in ledger.records() if r.call_id not in seen]
    seen.update(r.call_id for r in rows)
    return rows


def medir(peticiones: list[dict], tareas: list[dict], *, hechos: dict[str, dict] | None = None,
          cliente=None, modelo: str | None = None):
    """One row per task: tokens, cost from the ledger, correct and why not (see the module doc)."""
    import pandas as pd

    from course_lib import CallRefused
    from course_lib.client import connect
    from course_lib.course import world

    peticiones, tareas = list(peticiones), list(tareas)
    if len(peticiones) != len(tareas):
        raise ValueError(f"Hay {len(peticiones)} peticiones para {len(tareas)} tareas: deben coincidir.")
    if hechos is None:
        hechos = {f["fact_id"]: f for f in world.load_facts().to_dict(orient="records")}
    cliente = cliente or connect(isolated=True)
    seen = {r.call_id for r in cliente.ledger.records()}
    filas = []
    for tarea, request in zip(tareas, peticiones):
        request = _with_task(request, tarea, modelo)
        try:
            response = cliente.chat.completions.create(**request)
        except CallRefused:
            response = None
        rows = _new_rows(cliente.ledger, seen)
        provider_rows = [r for r in rows if not r.response_cache_hit]
        text = (response.choices[0].message.content or "") if response is not None else ""
        finish = response.choices[0].finish_reason if response is not None else None
        correct = response is not None and bool(world.is_correct(tarea, text))
        cost = sum((Decimal(r.cost) for r in rows), Decimal(0))
        if response is None:
            why = "rechazada"
        else:
            why = "" if correct else motivo(request, tarea, hechos, finish)
        filas.append({
            "task_id": tarea["task_id"],
            "modelo": provider_rows[-1].model if provider_rows else request["model"],
            "tokens_entrada": sum(r.input_tokens for r in rows),
            "tokens_salida": sum(r.output_tokens for r in rows),
            "tokens_cache": sum(r.cached_tokens for r in rows),
            "coste_exacto": cost, "coste": float(cost),
            "intentos": len(provider_rows),
            "cache_respuesta": any(r.response_cache_hit for r in rows),
            "correcta": correct, "motivo": why, "fin": finish or "", "respuesta": text,
        })
    return pd.DataFrame(filas)


def resumen(filas) -> dict:
    """Total cost (``Decimal``), accuracy and number of tasks of a measurement.

    >>> import pandas as pd
    >>> resumen(pd.DataFrame({"coste_exacto": [Decimal("0.1"), Decimal("0.2")], "correcta": [True, False]}))
    {'coste': Decimal('0.3'), 'acierto': 0.5, 'tareas': 2}
    """
    n = len(filas)
    return {"coste": sum(filas["coste_exacto"], Decimal(0)),
            "acierto": float(filas["correcta"].mean()) if n else 0.0, "tareas": n}
