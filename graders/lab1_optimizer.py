"""Measure and check lab 1's request optimizer through the simulated provider.

``medir`` sends each task's baseline request (or the optimizer's version of
it) to a simulator through the shared harness (``graders.harness.medir``) and
returns one row per task: tokens, cost from the client-side ledger, right or
wrong and, when wrong, why (missing fact, unrecognisable question, answer cut
by ``max_tokens``). ``check_optimizador`` applies the quality gate on public
dev tasks, ``check_optimizador_oculto`` on hidden test tasks, each with a
fresh isolated simulator so a submission scores the same every time:

* token cost (input + output, from ``usage``) at least ``MIN_CUT`` lower, and
* accuracy at most ``MARGEN_CALIDAD`` below the baseline's.

The model and the task metadata are always taken from the baseline request:
this lab optimizes tokens, not the choice of model (that is lab 3).
"""

from __future__ import annotations

import copy

from graders import call, fail, harness

EJ4 = "Ejercicio 4 (optimizador de peticiones)"
MODELO = "gpt-4o-mini"
MIN_CUT = 0.20          # the optimized requests must cost at least 20 % less
MARGEN_CALIDAD = 0.05   # and lose at most 5 accuracy points
N_VISIBLE, N_HIDDEN = 30, 60
_ALLOWED = ("messages", "max_tokens", "max_completion_tokens", "stop", "temperature")


def documentos_de(tarea: dict, documentos: list[dict], hechos: dict[str, dict]) -> list[dict]:
    """The documents today's assistant sends: every document of the task's categories.

    The categories are those of the documents holding the task's facts (or the
    task's topic when it needs none), so the baseline has the answer plus the
    rest of its section of the knowledge base.
    """
    doc_ids = {hechos[f]["doc_id"] for f in list(tarea.get("fact_ids") or []) if f in hechos}
    categories = {d["category"] for d in documentos if d["doc_id"] in doc_ids}
    if not categories:
        topic = str((tarea.get("features") or {}).get("topic", ""))
        categories = {d["category"] for d in documentos if d["category"] == topic}
    if not categories:
        categories = {documentos[0]["category"]}
    return [d for d in documentos if d["category"] in categories]


def peticion_base(tarea: dict, documentos: list[dict], hechos: dict[str, dict]) -> dict:
    """The unoptimized request of a task (verbose prompt, whole topic, few-shot)."""
    from course_lib.course.scenario import baseline_request

    return baseline_request(tarea["question"], documentos_de(tarea, documentos, hechos),
                            model=MODELO, task_id=tarea["task_id"])


def _prepare(optimizador, base: dict) -> dict:
    if optimizador is None:
        return base
    new = call(EJ4, optimizador, copy.deepcopy(base))
    if not isinstance(new, dict):
        fail(EJ4, f"tu optimizador devuelve {type(new).__name__}, no una petición (dict)",
             "devuelve un dict con al menos la clave 'messages'")
    messages = new.get("messages")
    if not isinstance(messages, list) or not messages or not all(
            isinstance(m, dict) and "role" in m and "content" in m for m in messages):
        fail(EJ4, "la petición optimizada no tiene una lista 'messages' válida",
             "cada mensaje es un dict con 'role' y 'content'; no la dejes vacía")
    request = {k: v for k, v in new.items() if k in _ALLOWED}
    request["model"], request["metadata"] = base["model"], dict(base.get("metadata") or {})
    return request


_BASELINES: dict[tuple[str, ...], object] = {}
"""Baseline measurements already taken with a fresh simulator, by task ids (they never change)."""


def _requests(optimizador, tareas, documentos, hechos) -> list[dict]:
    return [_prepare(optimizador, peticion_base(t, documentos, hechos)) for t in tareas]


def medir(optimizador, tareas: list[dict], *, documentos: list[dict], hechos: dict[str, dict],
          cliente=None):
    """One row per task: tokens, cost (USD), correct, and why when wrong (``graders.harness``).

    Without ``cliente`` each call uses a fresh isolated simulator, so the
    result is reproducible; the baseline (``optimizador=None``) is then measured
    once per set of tasks and reused.
    """
    key = tuple(t["task_id"] for t in tareas)
    if optimizador is None and cliente is None and key in _BASELINES:
        return _BASELINES[key].copy()
    requests = _requests(optimizador, tareas, documentos, hechos)  # a broken optimizer fails fast
    rows = harness.medir(requests, tareas, hechos=hechos, cliente=cliente)
    if optimizador is None and cliente is None:
        _BASELINES[key] = rows.copy()
    return rows


def comparar(optimizador, tareas, *, documentos, hechos) -> dict:
    """Baseline vs optimized on the same tasks, each measured with a fresh simulator."""
    _requests(optimizador, tareas[:3], documentos, hechos)  # fail fast before any call
    opt = medir(optimizador, tareas, documentos=documentos, hechos=hechos)
    base = medir(None, tareas, documentos=documentos, hechos=hechos)
    return {"base": base, "opt": opt,
            "recorte": 1.0 - opt["coste"].sum() / base["coste"].sum(),
            "acierto_base": float(base["correcta"].mean()), "acierto_opt": float(opt["correcta"].mean())}


def _gate(result: dict, where: str) -> None:
    cut, drop = result["recorte"], result["acierto_base"] - result["acierto_opt"]
    if drop > MARGEN_CALIDAD + 1e-9:
        reasons = result["opt"].loc[~result["opt"]["correcta"], "motivo"].value_counts().to_dict()
        base_reasons = result["base"].loc[~result["base"]["correcta"], "motivo"].value_counts().to_dict()
        extra = {k: v - base_reasons.get(k, 0) for k, v in reasons.items()}
        hints = {
            "falta_pregunta": "la pregunta del cliente ya no se reconoce: conserva el último mensaje del usuario tal cual",
            "falta_dato": "has quitado el pasaje con el dato necesario: sube el presupuesto de contexto o mejora la selección",
            "respuesta_cortada": "max_tokens corta la respuesta antes del dato: súbelo (o pide brevedad en el prompt)",
        }
        worst = max((k for k in extra if k in hints), key=lambda k: extra[k], default=None)
        fail(EJ4, f"{where} el acierto baja {drop:.0%} (de {result['acierto_base']:.0%} a "
                  f"{result['acierto_opt']:.0%}), más que el margen de {MARGEN_CALIDAD:.0%}",
             hints.get(worst, "recorta menos: comprueba qué tareas fallan con lab1_opt.medir"))
    if cut < MIN_CUT:
        fail(EJ4, f"{where} el coste en tokens solo baja un {cut:.1%} (hace falta ≥ {MIN_CUT:.0%})",
             "usa un system prompt conciso, quita los ejemplos few-shot, envía solo los pasajes "
             "relevantes y limita la salida (max_tokens o una instrucción de brevedad)")


def muestra(tareas, n: int) -> list[dict]:
    """``n`` tasks spread evenly over ``tareas`` sorted by id, so every task type is present.

    >>> [t["task_id"] for t in muestra([{"task_id": f"T{i}"} for i in range(10)], 3)]
    ['T0', 'T4', 'T9']
    """
    records = tareas.to_dict(orient="records") if hasattr(tareas, "to_dict") else list(tareas)
    records = sorted(records, key=lambda t: t["task_id"])
    if n >= len(records):
        return records
    return [records[round(i * (len(records) - 1) / (n - 1))] for i in range(n)] if n > 1 else records[:1]


def _world():
    from course_lib.course import world

    documentos = world.load_documents().to_dict(orient="records")
    hechos = {f["fact_id"]: f for f in world.load_facts().to_dict(orient="records")}
    return world, documentos, hechos


def check_optimizador(func) -> None:
    """Visible gate on ``N_VISIBLE`` public dev tasks of every type."""
    world, documentos, hechos = _world()
    tareas = muestra(world.load_tasks(split="dev"), N_VISIBLE)
    result = comparar(func, tareas, documentos=documentos, hechos=hechos)
    _gate(result, "En las tareas dev")
    print(f"✔ Ejercicio 4: recorte del {result['recorte']:.0%} con acierto "
          f"{result['acierto_opt']:.0%} (base {result['acierto_base']:.0%}).")


def check_optimizador_oculto(func) -> None:
    """Hidden gate on ``N_HIDDEN`` hidden test tasks of every type."""
    world, documentos, hechos = _world()
    tareas = muestra(world.load_tasks(split="test", include_hidden=True), N_HIDDEN)
    if not tareas:
        fail(EJ4, "no encuentro las tareas ocultas", "esta prueba solo se ejecuta al corregir")
    result = comparar(func, tareas, documentos=documentos, hechos=hechos)
    _gate(result, "En las tareas ocultas")
    print("✔ Ejercicio 4: supera el listón de coste y calidad en las tareas ocultas.")
