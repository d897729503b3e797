"""Measure and check lab 1's request optimizer through the simulated provider.

``medir`` sends each task's baseline request (or the optimizer's version of
it) to a simulator through the shared harness (``graders.harness.medir``) and
returns one row per task: tokens, cost from the client-side ledger, right or
wrong and, when wrong, why (missing fact, unrecognisable question, answer cut
by ``max_tokens``). ``check_optimizador`` applies the quality gate on public
dev tasks in the learner's kernel. ``check_optimizador_oculto(worker)`` applies
it on hidden test tasks in the grader process: it builds each task's baseline
request there, sends it to the kernel's ``optimizar_peticion`` (``worker.call``),
checks the answer is a plain request and measures it on the grader's own
simulator. Each measurement uses a fresh isolated simulator so a submission
scores the same every time:

* the cost of its tokens (input + output from ``usage``, at the model's prices,
  from the client-side ledger) at least ``MIN_CUT`` lower, and
* accuracy at most ``MARGEN_CALIDAD`` accuracy points below the baseline's.

Feedback shows both figures (the cut in cost and the cut in tokens) and names
what this submission did: truncated the documentation instead of selecting
it, dropped the question, cut the answer with ``max_tokens``; the techniques it
suggests for a small cut are the ones the optimized request does not use yet.
With ``N_VISIBLE`` = 40 and ``N_HIDDEN`` = 50 tasks, one task is 2,5 and 2
accuracy points, so the 5-point margin is never decided by a single task (it
takes 3). The baselines of both sets are measured once by
``python -m graders.build_lab1_hidden`` (``graders/hidden/lab1_baseline.json``,
deterministic: fresh isolated simulators) so a test cell only measures the
submission and stays well under the grading timeout.
``medida_de`` lets the lesson reuse the visible check's measurement of the
same function object instead of measuring it again.

The model and the task metadata are always taken from the baseline request:
this lab optimizes tokens, not the choice of model (that is lab 3).
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

from graders import HIDDEN_DIR, fail, harness
from graders.lab1 import Learner, run
from graders.wire import kind

EJ4 = "Ejercicio 5 (optimizador de peticiones)"
MODELO = "gpt-4o-mini"
MIN_CUT = 0.20          # the optimized requests must cost at least 20 % less
MARGEN_CALIDAD = 0.05   # and lose at most 5 accuracy points
N_VISIBLE, N_HIDDEN = 40, 50
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
    new = run(EJ4, optimizador, copy.deepcopy(base))
    if not isinstance(new, dict):
        fail(EJ4, f"tu optimizador devuelve {kind(new)}, no una petición (dict)",
             "devuelve un dict con al menos la clave 'messages'")
    messages = new.get("messages")
    if not isinstance(messages, list) or not messages or not all(
            isinstance(m, dict) and "role" in m and "content" in m for m in messages):
        fail(EJ4, "la petición optimizada no tiene una lista 'messages' válida",
             "cada mensaje es un dict con 'role' y 'content'; no la dejes vacía")
    request = {k: v for k, v in new.items() if k in _ALLOWED}
    odd = _not_plain(request)
    if odd:
        fail(EJ4, f"la petición optimizada lleva {odd}", "usa solo textos, números, listas y diccionarios, "
                                                         "como en la petición que recibes")
    request["model"], request["metadata"] = base["model"], dict(base.get("metadata") or {})
    return request


def _not_plain(value) -> str | None:
    """What in a request is not plain JSON data (an object the kernel could not send), or None.

    >>> _not_plain({"messages": [{"role": "user", "content": "hola"}], "max_tokens": 50})
    >>> from graders.wire import Unsupported
    >>> _not_plain({"messages": [{"role": "user", "content": Unsupported("Trampa")}]})
    'un objeto de tipo Trampa'
    """
    if isinstance(value, dict):
        return next((odd for v in value.values() if (odd := _not_plain(v))), None)
    if isinstance(value, (list, tuple)):
        return next((odd for v in value if (odd := _not_plain(v))), None)
    if value is None or isinstance(value, (bool, int, float, str)):
        return None
    return f"un objeto de tipo {kind(value)}"


def _measure(requests: list[dict], tareas, hechos, cliente=None):
    """``harness.medir`` of the optimized requests; a request the provider rejects fails exercise 5."""
    try:
        return harness.medir(requests, tareas, hechos=hechos, cliente=cliente)
    except Exception as exc:  # noqa: BLE001 - the simulator rejected what the optimizer built
        fail(EJ4, f"el proveedor rechaza una petición optimizada ({type(exc).__name__}: {str(exc)[:200]})",
             "devuelve una petición válida de chat.completions.create: 'messages' con 'role' y 'content', "
             "y max_tokens un entero positivo")


_BASELINES: dict[tuple[str, ...], object] = {}
"""Baseline measurements already taken with a fresh simulator, by task ids (they never change)."""


BASELINE_FILE = "lab1_baseline.json"
"""The baseline rows of the hidden task set (in ``graders/hidden/``), measured by ``build_baselines``."""
PUBLIC_BASELINE = Path(__file__).with_name("lab1_publico.json")
"""The baseline rows of the visible (dev) task set: the learner's kernel reads them, so they are public."""


def _stored_baseline(key: tuple[str, ...]):
    """The stored baseline rows for exactly these tasks, or None (then they are measured)."""
    import pandas as pd

    for path in (PUBLIC_BASELINE, HIDDEN_DIR / BASELINE_FILE):
        if not path.exists():
            continue
        for entry in json.loads(path.read_text(encoding="utf-8")):
            if tuple(entry["tasks"]) == key:
                rows = pd.DataFrame(entry["rows"])
                rows["coste_exacto"] = [Decimal(c) for c in rows["coste_exacto"]]
                return rows
    return None


def build_baselines() -> list[dict]:
    """Measure the baseline of the visible and the hidden task set on fresh simulators (deterministic).

    The first entry (dev tasks) goes to ``PUBLIC_BASELINE``, the second to ``graders/hidden/``.
    """
    world, documentos, hechos = _world()
    out = []
    for tareas in (muestra(world.load_tasks(split="dev"), N_VISIBLE),
                   muestra(world.load_tasks(split="test", include_hidden=True), N_HIDDEN)):
        key = tuple(t["task_id"] for t in tareas)
        rows = harness.medir(_requests(None, tareas, documentos, hechos), tareas, hechos=hechos)
        rows["coste_exacto"] = [str(c) for c in rows["coste_exacto"]]
        out.append({"tasks": list(key), "rows": rows.to_dict(orient="records")})
    return out


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
    if optimizador is None and cliente is None and key not in _BASELINES:
        stored = _stored_baseline(key)
        if stored is not None:
            _BASELINES[key] = stored
    if optimizador is None and cliente is None and key in _BASELINES:
        return _BASELINES[key].copy()
    requests = _requests(optimizador, tareas, documentos, hechos)  # a broken optimizer fails fast
    rows = _measure(requests, tareas, hechos, cliente) if optimizador is not None else \
        harness.medir(requests, tareas, hechos=hechos, cliente=cliente)
    if optimizador is None and cliente is None:
        _BASELINES[key] = rows.copy()
    return rows


def comparar(optimizador, tareas, *, documentos, hechos) -> dict:
    """Baseline vs optimized on the same tasks, each measured with a fresh simulator."""
    requests = _requests(optimizador, tareas, documentos, hechos)  # the optimizer runs once per task
    opt = _measure(requests, tareas, hechos)  # a fresh simulator, as medir
    base = medir(None, tareas, documentos=documentos, hechos=hechos)
    tokens = lambda rows: float((rows["tokens_entrada"] + rows["tokens_salida"]).sum())  # noqa: E731
    return {"base": base, "opt": opt, "muestra": requests[:3],
            "bases": [peticion_base(t, documentos, hechos) for t in tareas[:3]],
            "recorte": 1.0 - opt["coste"].sum() / base["coste"].sum(),
            "recorte_tokens": 1.0 - tokens(opt) / tokens(base),
            "acierto_base": float(base["correcta"].mean()), "acierto_opt": float(opt["correcta"].mean())}


def _docs_part(text: str) -> str | None:
    from course_lib.course.scenario import CONTEXT_HEADER

    return text[text.index(CONTEXT_HEADER):] if CONTEXT_HEADER in text else None


def truncates_documentation(optimized: dict, base: dict) -> bool:
    """Whether the optimized request keeps only the beginning of the baseline's documentation.

    >>> docs = "Documentación de referencia:\\n\\n" + "\\n".join(f"Párrafo {i}: " + f"texto{i} " * 20 for i in range(20))
    >>> base = {"messages": [{"role": "system", "content": docs}]}
    >>> cut = {"messages": [{"role": "system", "content": "Breve. " + docs[:900]}]}
    >>> chosen = {"messages": [{"role": "system", "content": "Breve. " + "\\n".join(docs.splitlines()[:5])}]}
    >>> truncates_documentation(cut, base), truncates_documentation(chosen, base), truncates_documentation(base, base)
    (True, False, False)
    """
    full = next((d for m in base["messages"] if (d := _docs_part(str(m.get("content") or "")))), None)
    if full is None:
        return False
    for message in optimized.get("messages") or []:
        part = (_docs_part(str(message.get("content") or "")) or "").rstrip()
        tail = part[-40:]
        at = full.rfind(tail) if len(part) > 80 and len(part) < 0.9 * len(full) else -1
        # cut in the middle of a paragraph, with more documentation after it: a truncation,
        # not a selection of passages (which always ends at a paragraph boundary)
        rest = full[at + len(tail):].lstrip(" \t") if at >= 0 else ""
        if rest.strip() and not rest.startswith("\n"):
            return True
    return False


def _missing_techniques(sample: list[dict], bases: list[dict]) -> list[str]:
    """The usual savings the optimized requests do not use yet (to suggest only those)."""
    from course_lib.course.scenario import VERBOSE_SYSTEM_PROMPT
    from course_lib.simulator.answers import length_hint

    texts = ["\n".join(str(m.get("content") or "") for m in r["messages"]) for r in sample]
    base_docs = [_docs_part(str(b["messages"][1]["content"])) or "" for b in bases]
    tips = []
    if any(VERBOSE_SYSTEM_PROMPT[:200] in t for t in texts):
        tips.append("un system prompt conciso en vez del largo")
    if any(any(m.get("role") == "assistant" for m in r["messages"]) for r in sample):
        tips.append("quitar los ejemplos few-shot")
    if any(d and d[:3000] in t for d, t in zip(base_docs, texts)):
        tips.append("limpiar la documentación o enviar solo los pasajes relevantes")
    limited = all(r.get("max_tokens") or r.get("max_completion_tokens") for r in sample)
    brief = all(length_hint(t).words or length_hint(t).scale < 1 for t in texts)
    if not (limited or brief):
        tips.append("limitar la salida (pedir brevedad o fijar max_tokens)")
    return tips


def _gate(result: dict, where: str) -> None:
    from course_lib.numbers import pct, points

    cut, drop = result["recorte"], result["acierto_base"] - result["acierto_opt"]
    figures = (f"el coste de los tokens baja un {pct(cut)} (los tokens de entrada + salida, un "
               f"{pct(result['recorte_tokens'])})")
    if drop > MARGEN_CALIDAD + 1e-9:
        reasons = result["opt"].loc[~result["opt"]["correcta"], "motivo"].value_counts().to_dict()
        base_reasons = result["base"].loc[~result["base"]["correcta"], "motivo"].value_counts().to_dict()
        extra = {k: v - base_reasons.get(k, 0) for k, v in reasons.items()}
        truncated = any(truncates_documentation(o, b) for o, b in zip(result["muestra"], result["bases"]))
        limited = [r.get("max_tokens") or r.get("max_completion_tokens") for r in result["muestra"]]
        hints = {
            "falta_pregunta": "la pregunta del cliente ya no se reconoce: conserva el último mensaje del usuario tal cual",
            "falta_dato": ("cortas la documentación por el final y el dato queda fuera: en vez de truncarla, "
                           "límpiala o elige los pasajes que responden a la pregunta (context.select_context)"
                           if truncated else
                           "has quitado el pasaje con el dato necesario: sube el presupuesto de contexto o mejora "
                           "la selección (la de palabras no sabe que «Santa Cruz de Tenerife» está en Canarias)"),
            "respuesta_cortada": (f"max_tokens={max(v for v in limited if v)} corta la respuesta antes del dato: "
                                  "súbelo y pide brevedad en el prompt, que acorta sin cortar"
                                  if any(limited) else
                                  "la respuesta se corta antes del dato: pide una longitud que quepa"),
        }
        worst = max((k for k in extra if k in hints and extra[k] > 0), key=lambda k: extra[k], default=None)
        fail(EJ4, f"{where} el acierto baja {points(drop)} (de {pct(result['acierto_base'])} a "
                  f"{pct(result['acierto_opt'])}), más que el margen de {points(MARGEN_CALIDAD, decimals=0)}; "
                  f"{figures}",
             hints.get(worst, "recorta menos: comprueba qué tareas fallan con lab1_opt.medir"))
    if cut < MIN_CUT:
        tips = _missing_techniques(result["muestra"], result["bases"])
        fail(EJ4, f"{where} {figures}; hace falta que el coste baje al menos un {pct(MIN_CUT, decimals=0)}",
             ("prueba " + ", ".join(tips)) if tips else
             "tu petición ya usa las técnicas habituales: recorta más la documentación (pasajes relevantes bajo un "
             "presupuesto) o la salida")


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


_LAST: dict = {}
"""The visible check's last measurement: ``{"func", "tasks", "rows"}`` (for ``medida_de``)."""


def medida_de(optimizador, tareas, *, documentos, hechos):
    """``medir(optimizador, tareas)``, reusing the visible check's rows for the same function object."""
    key = tuple(t["task_id"] for t in tareas)
    if _LAST.get("func") is optimizador and _LAST.get("tasks") == key:
        return _LAST["rows"].copy()
    return medir(optimizador, tareas, documentos=documentos, hechos=hechos)


def check_optimizador(func) -> None:
    """Visible gate on ``N_VISIBLE`` public dev tasks of every type."""
    from course_lib.numbers import pct

    world, documentos, hechos = _world()
    tareas = muestra(world.load_tasks(split="dev"), N_VISIBLE)
    result = comparar(func, tareas, documentos=documentos, hechos=hechos)
    _LAST.clear()
    _LAST.update(func=func, tasks=tuple(t["task_id"] for t in tareas), rows=result["opt"].copy())
    _gate(result, "En las tareas dev")
    print(f"✔ Ejercicio 5: el coste de los tokens baja un {pct(result['recorte'])} (los tokens, un "
          f"{pct(result['recorte_tokens'])}) con acierto {pct(result['acierto_opt'])} "
          f"(base {pct(result['acierto_base'])}).")


def check_optimizador_oculto(worker) -> None:
    """Hidden gate (grader) on ``N_HIDDEN`` hidden test tasks of every type.

    The kernel receives each task's baseline request (the question and its documentation, never
    the expected answer) and returns its optimized request; both are measured here, the baseline
    from ``graders/hidden/lab1_baseline.json``.
    """
    world, documentos, hechos = _world()
    tareas = muestra(world.load_tasks(split="test", include_hidden=True), N_HIDDEN)
    if not tareas:
        fail(EJ4, "no encuentro las tareas ocultas", "esta prueba solo se ejecuta al corregir")
    result = comparar(Learner(worker, "optimizar_peticion"), tareas, documentos=documentos, hechos=hechos)
    _gate(result, "En las tareas ocultas")
