"""Lab 2, exercise 4: a request layout that the provider's prompt cache can reuse.

``construir_peticion(pregunta, *, instrucciones, contexto, modelo)`` returns the
``chat.completions.create`` arguments for one question. The check sends a
sequence of FAQ tasks (public dev tasks for the visible check, hidden test tasks
for the hidden one) with the same instructions and knowledge-base context,
through ``graders.harness`` on a fresh isolated simulator, and compares it with
the naive layout (question first, then instructions and context) measured in
the same run. The hidden check, ``check_peticion_cacheable_oculto(worker)``,
runs in the grader process: the kernel only builds the requests (the hidden
questions, the instructions and the context go in, plain dicts come back); the
simulator, the hidden tasks' answers and the measurement stay in the grader. Gates: cached-input share ≥ ``CACHED_GATE``; accuracy no lower than
the naive layout's minus one task; total cost no higher than the naive layout's.
Reference solution (static system message first, question last, a
``prompt_cache_key``): see the lab's note for the measured figures.
"""

from __future__ import annotations

from course_lib.numbers import pct, usd
from graders import call, fail, harness

EJ4 = "Ejercicio 4 (caché de prompts del proveedor)"
CACHED_GATE = 0.50
MODEL = "gpt-4.1-mini"
CATEGORIES = ("envios", "devoluciones", "pagos")
INSTRUCTIONS = ("Eres el asistente de atención al cliente de Mercadela. Responde en español, en una o "
                "dos frases, usando solo la información de los artículos del centro de ayuda.")


def context_text() -> str:
    from course_lib.course import world

    docs = world.load_documents()
    docs = docs[docs.category.isin(CATEGORIES)]
    return "\n\n".join(f"# {d.title}\n{d.text}" for d in docs.itertuples())


def tasks(*, hidden: bool, n: int) -> list[dict]:
    from course_lib.course import world

    facts = world.load_facts().set_index("fact_id")
    docs = world.load_documents().set_index("doc_id")
    table = world.load_tasks(None, include_hidden=hidden)
    table = table[(table.split == ("test" if hidden else "dev")) & (table.type == "faq")]
    chosen = []
    for task in table.to_dict("records"):
        cats = {docs.loc[facts.loc[f, "doc_id"], "category"] for f in task["fact_ids"]}
        if cats and cats <= set(CATEGORIES):
            chosen.append(task)
    return chosen[:n]


def naive(pregunta: str, *, instrucciones: str, contexto: str, modelo: str) -> dict:
    return {"model": modelo, "temperature": 0,
            "messages": [{"role": "user", "content": f"Pregunta: {pregunta}\n\n{instrucciones}\n\n{contexto}"}]}


def _share(rows) -> float:
    total = int(rows.tokens_entrada.sum())
    return int(rows.tokens_cache.sum()) / total if total else 0.0


def measure(func, *, hidden: bool, exercise: str = EJ4) -> dict:
    """``func`` is the learner's function (visible check) or a grader's stand-in that runs it remotely."""
    chosen = tasks(hidden=hidden, n=12 if hidden else 8)
    context = context_text()
    mine = []
    for task in chosen:
        params = call(exercise, func, task["question"], instrucciones=INSTRUCTIONS, contexto=context,
                      modelo=MODEL)
        if not isinstance(params, dict) or not params.get("messages"):
            fail(exercise, "construir_peticion() debe devolver un dict con «model» y «messages»",
                 "devuelve los argumentos de client.chat.completions.create(...)")
        mine.append(params)
    base = [naive(t["question"], instrucciones=INSTRUCTIONS, contexto=context, modelo=MODEL) for t in chosen]
    try:
        rows = harness.medir(mine, chosen)
    except Exception as exc:
        fail(exercise, f"el proveedor rechazó tu petición: {type(exc).__name__}: {exc}",
             "usa solo parámetros de chat.completions.create (model, messages, prompt_cache_key…)")
    base_rows = harness.medir(base, chosen)
    return {"tareas": len(chosen), "cacheado": _share(rows), "cacheado_ingenuo": _share(base_rows),
            "acierto": float(rows.correcta.mean()), "acierto_ingenuo": float(base_rows.correcta.mean()),
            "coste": rows.coste_exacto.sum(), "coste_ingenuo": base_rows.coste_exacto.sum()}


def _check(func, *, hidden: bool, exercise: str) -> dict:
    r = measure(func, hidden=hidden, exercise=exercise)
    if r["cacheado"] < CACHED_GATE:
        fail(exercise, f"solo el {pct(r['cacheado'], decimals=0)} de los tokens de entrada salen de la caché del proveedor "
             f"(mínimo {pct(CACHED_GATE, decimals=0)})",
             "pon primero lo que no cambia (instrucciones y contexto, en el mensaje de sistema) y la "
             "pregunta al final: la caché solo reutiliza un prefijo idéntico de ≥ 1024 tokens")
    if r["acierto"] < r["acierto_ingenuo"] - 1 / r["tareas"] - 1e-9:
        fail(exercise, f"aciertas el {pct(r['acierto'], decimals=0)} de las preguntas y la petición ingenua el "
             f"{pct(r['acierto_ingenuo'], decimals=0)}",
             "no quites el contexto ni la pregunta: solo cambia su orden")
    if r["coste"] > r["coste_ingenuo"]:
        fail(exercise, f"tu petición cuesta {usd(r['coste'], decimals=5)} y la ingenua {usd(r['coste_ingenuo'], decimals=5)}",
             "no añadas relleno para alargar el prefijo: reordena lo que ya envías")
    return r


def check_peticion_cacheable(func) -> None:
    r = _check(func, hidden=False, exercise=EJ4)
    print(f"✔ Ejercicio 4: {pct(r['cacheado'], decimals=0)} de la entrada en caché (la ingenua, {pct(r['cacheado_ingenuo'], decimals=0)}); "
          f"coste {usd(r['coste'], decimals=5)} frente a {usd(r['coste_ingenuo'], decimals=5)}.")


def check_peticion_cacheable_oculto(worker) -> None:
    """Hidden check (grader): 12 hidden FAQ tasks; the kernel builds each request, the grader's own
    simulator measures it against the naive layout."""
    from graders import on_kernel
    from graders.lab2 import HIDDEN

    exercise = EJ4 + HIDDEN

    def build(pregunta, **kwargs):
        return on_kernel(exercise, worker.call, "construir_peticion", pregunta, **kwargs)

    _check(build, hidden=True, exercise=exercise)
