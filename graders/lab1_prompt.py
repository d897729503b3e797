"""Check lab 1's prompt-efficiency exercise: fewer tokens, the same instructions.

The learner writes ``PROMPT_CONCISO``, a system prompt for the assistant that
replaces ``scenario.VERBOSE_SYSTEM_PROMPT``. It is measured through the
simulated provider, against the verbose prompt in the same requests (the
task's documentation and question, no few-shot):

* **tokens** — ``usage.prompt_tokens`` of the prompt alone at most
  ``MAX_RATIO`` of the verbose prompt's (the course's concise prompt reaches
  18 %);
* **brevity kept** — mean output tokens at most ``MAX_OUTPUT_RATIO`` of the
  verbose prompt's (the simulator follows length instructions: the course's
  prompt reaches 8 %, a prompt that does not ask for brevity 61 %);
* **accuracy** at most ``MARGEN_CALIDAD`` accuracy points below the verbose prompt's;
* **the other required instructions** present, read with the course's text
  rules (``course_lib.text``): the role (customer-service assistant), the
  language (Spanish) and answering only from the context.

``check_prompt`` uses ``N_VISIBLE`` public dev tasks in the learner's kernel;
``check_prompt_oculto(worker)`` runs in the grader process: it reads the prompt
(a plain string, handed over by the test cell) with ``worker.value`` and
measures it on ``N_HIDDEN`` hidden test tasks on the grader's own fresh isolated
simulators; the kernel sees no hidden task.
"""

from __future__ import annotations

from graders import fail, harness
from graders.lab1_optimizer import _world, muestra, peticion_base
from graders.wire import kind

EJ4 = "Ejercicio 4 (prompt conciso)"
MAX_RATIO = 1 / 3
MAX_OUTPUT_RATIO = 0.30
MARGEN_CALIDAD = 0.05
N_VISIBLE, N_HIDDEN = 12, 16
REQUIRED = {
    "el rol (asistente de atención al cliente)": (("asistente",), ("atencion al cliente",), ("soporte",),
                                                  ("agente",), ("atiendes",)),
    "el idioma (responder en español)": (("espanol",), ("castellano",)),
    "usar solo la documentación (no inventar)": (("solo", "contexto"), ("solo", "documentacion"),
                                                 ("unicamente", "contexto"), ("unicamente", "documentacion"),
                                                 ("no inventes",), ("exclusivamente",), ("solo", "informacion")),
}


def missing_instructions(prompt: str) -> list[str]:
    """The required instructions (other than brevity) that ``prompt`` does not state.

    >>> missing_instructions("Eres el asistente de la tienda. Responde en español, usando solo el contexto.")
    []
    >>> missing_instructions("Sé breve.")
    ['el rol (asistente de atención al cliente)', 'el idioma (responder en español)', 'usar solo la documentación (no inventar)']
    """
    from course_lib.text import contains

    return [name for name, options in REQUIRED.items()
            if not any(all(contains(prompt, word) for word in option) for option in options)]


def _prompt_tokens(prompt: str) -> int:
    from course_lib.client import connect

    client = connect(isolated=True)
    response = client.chat.completions.create(model="gpt-4o-mini", max_tokens=1,
                                              messages=[{"role": "system", "content": prompt}])
    return response.usage.prompt_tokens


def _requests(prompt: str, tareas, documentos, hechos) -> list[dict]:
    requests = []
    for tarea in tareas:
        base = peticion_base(tarea, documentos, hechos)
        requests.append({"model": base["model"], "metadata": base["metadata"],
                         "messages": [{"role": "system", "content": prompt}, base["messages"][1],
                                      base["messages"][-1]]})
    return requests


_VERBOSE: dict[tuple, object] = {}
"""The verbose prompt's measurement per set of tasks (it never changes)."""


def measure(prompt: str, tareas, documentos, hechos) -> dict:
    """Tokens of ``prompt`` and of the verbose prompt, mean output tokens and accuracy of both."""
    from course_lib.course import scenario

    key = tuple(t["task_id"] for t in tareas)
    if key not in _VERBOSE:
        verbose = scenario.VERBOSE_SYSTEM_PROMPT
        rows = harness.medir(_requests(verbose, tareas, documentos, hechos), tareas, hechos=hechos)
        _VERBOSE[key] = (_prompt_tokens(verbose), float(rows["tokens_salida"].mean()), float(rows["correcta"].mean()))
    v_tokens, v_out, v_acc = _VERBOSE[key]
    rows = harness.medir(_requests(prompt, tareas, documentos, hechos), tareas, hechos=hechos)
    return {"tokens": _prompt_tokens(prompt), "tokens_verboso": v_tokens,
            "salida": float(rows["tokens_salida"].mean()), "salida_verboso": v_out,
            "acierto": float(rows["correcta"].mean()), "acierto_verboso": v_acc}


def _check(prompt, tareas, where: str) -> dict:
    from course_lib.numbers import count, num, pct, points

    if prompt is None or prompt is ... or kind(prompt) == "ellipsis":  # ``...`` arrives from the kernel unsent
        fail(EJ4, "PROMPT_CONCISO aún no tiene valor", "asigna tu prompt (un texto) a PROMPT_CONCISO")
    if not isinstance(prompt, str) or not prompt.strip():
        fail(EJ4, f"PROMPT_CONCISO es {kind(prompt)}, no un texto con contenido",
             "asigna a PROMPT_CONCISO el texto de tu prompt de sistema")
    missing = missing_instructions(prompt)
    if missing:
        fail(EJ4, "a tu prompt le falta " + "; ".join(missing),
             "un prompt corto debe conservar las instrucciones del largo: rol, idioma, brevedad y usar solo "
             "la documentación")
    _, documentos, hechos = _world()
    m = measure(prompt, tareas, documentos, hechos)
    ratio = m["tokens"] / m["tokens_verboso"]
    if ratio > MAX_RATIO:
        fail(EJ4, f"{where} tu prompt ocupa {count(m['tokens'])} tokens, el {pct(ratio, decimals=0)} de los "
                  f"{count(m['tokens_verboso'])} del prompt largo (máximo {pct(MAX_RATIO, decimals=0)})",
             "quita cortesías, repeticiones y explicaciones: deja cada instrucción una vez y en pocas palabras")
    out_ratio = m["salida"] / m["salida_verboso"] if m["salida_verboso"] else 0.0
    if out_ratio > MAX_OUTPUT_RATIO:
        fail(EJ4, f"{where} las respuestas tienen de media {num(m['salida'], decimals=1)} tokens de salida, el "
                  f"{pct(out_ratio, decimals=0)} de los {num(m['salida_verboso'], decimals=1)} del prompt largo "
                  f"(máximo {pct(MAX_OUTPUT_RATIO, decimals=0)})",
             "pide brevedad de forma explícita («responde de forma breve», «en una frase», «en 20 palabras»): "
             "el modelo la sigue y la salida es lo más caro")
    drop = m["acierto_verboso"] - m["acierto"]
    if drop > MARGEN_CALIDAD + 1e-9:
        fail(EJ4, f"{where} el acierto baja {points(drop)} (de {pct(m['acierto_verboso'], decimals=0)} a "
                  f"{pct(m['acierto'], decimals=0)}), más que el margen de {points(MARGEN_CALIDAD, decimals=0)}",
             "mira qué tareas fallan con lab1_opt.medir: el prompt no debe impedir que la respuesta dé el dato")
    return m


def check_prompt(prompt) -> None:
    """Visible check on ``N_VISIBLE`` public dev tasks."""
    from course_lib.numbers import count, pct

    world, _, _ = _world()
    m = _check(prompt, muestra(world.load_tasks(split="dev"), N_VISIBLE), "En las tareas dev")
    print(f"✔ Ejercicio 4: {count(m['tokens'])} tokens frente a {count(m['tokens_verboso'])} "
          f"({pct(1 - m['tokens'] / m['tokens_verboso'], decimals=0)} menos), con las instrucciones del prompt largo.")


def check_prompt_oculto(worker) -> None:
    """Hidden check (grader) on ``N_HIDDEN`` hidden test tasks: ``PROMPT_CONCISO`` read from the kernel."""
    world, _, _ = _world()
    tareas = muestra(world.load_tasks(split="test", include_hidden=True), N_HIDDEN)
    if not tareas:
        fail(EJ4, "no encuentro las tareas ocultas", "esta prueba solo se ejecuta al corregir")
    _check(worker.value("PROMPT_CONCISO"), tareas, "En las tareas ocultas")
