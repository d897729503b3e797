"""Checks for lab 2 «Sistema de caching»: key, exact cache, invalidation tags, comprueba_todo.

Visible checks (``check_*``) use public examples; hidden ones (``*_oculto``)
use ``graders/hidden/lab2_key_pairs.json`` and ``kb_changes_hidden.jsonl`` with
the hidden test tasks. The semantic cache replay lives in ``graders.lab2_semantic``,
provider prompt caching in ``graders.lab2_prefix`` and the whole cache in the
pipeline in ``graders.lab2_pipeline``. Every failure is a Spanish message with a hint.
"""

from __future__ import annotations

import copy
import json
import random

from course_lib.numbers import pct
from graders import HIDDEN_DIR, call, fail, load_hidden, run_visible_checks

EJ1, EJ2, EJ5 = "Ejercicio 1 (clave de caché)", "Ejercicio 2 (caché exacta)", "Ejercicio 5 (invalidación)"

# -- exercise 1: the cache key ---------------------------------------------------------------

_SYSTEM = "Eres el asistente de atención al cliente de Mercadela."


def _req(question="¿Cuánto cuesta el envío a Canarias?", **params) -> dict:
    return {"model": "gpt-4o-mini", "temperature": 0,
            "messages": [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": question}],
            **params}


def visible_key_pairs() -> list[dict]:
    """Pairs shown in the lesson: (a, b, must share a key?, what differs)."""
    a = _req()
    msgs = a["messages"]
    return [
        {"a": a, "b": _req(user="cli-00042"), "same": True, "por": "el usuario"},
        {"a": a, "b": _req(metadata={"team": "ecommerce", "feature": "chat_web"}), "same": True,
         "por": "los metadatos de atribución"},
        {"a": a, "b": _req(stream=True), "same": True, "por": "stream"},
        {"a": a, "b": {**a, "messages": [{"content": m["content"], "role": m["role"]} for m in msgs]},
         "same": True, "por": "el orden de las claves"},
        {"a": a, "b": _req(model="gpt-4o"), "same": False, "por": "el modelo"},
        {"a": a, "b": _req(temperature=0.7), "same": False, "por": "la temperatura"},
        {"a": a, "b": _req(max_tokens=50), "same": False, "por": "max_tokens"},
        {"a": a, "b": _req("¿Cuánto cuesta el envío a Madrid?"), "same": False, "por": "la pregunta"},
        {"a": a, "b": {**a, "messages": [{"role": "system", "content": "Eres breve."}, msgs[1]]},
         "same": False, "por": "el prompt de sistema"},
        {"a": a, "b": {**a, "messages": [msgs[0], {"role": "user", "content": "Hola"},
                                         {"role": "assistant", "content": "¡Hola!"}, msgs[1]]},
         "same": False, "por": "el historial de la conversación"},
    ]


def _check_key_pairs(func, cases, exercise: str) -> None:
    for case in cases:
        a, b = copy.deepcopy(case["a"]), copy.deepcopy(case["b"])
        ka = call(exercise, func, a)
        kb = call(exercise, func, b)
        if not isinstance(ka, str) or not ka:
            fail(exercise, f"la clave debe ser un texto no vacío y recibí {type(ka).__name__}",
                 "devuelve, por ejemplo, el hash sha256 de un JSON canónico de la petición")
        if call(exercise, func, copy.deepcopy(case["a"])) != ka:
            fail(exercise, "la misma petición dio dos claves distintas",
                 "no metas en la clave nada que cambie entre llamadas (hora, id aleatorio, hash() de Python)")
        if a != case["a"] or b != case["b"]:
            fail(exercise, "tu función modifica la petición que recibe",
                 "trabaja sobre una copia (dict(peticion)) en vez de borrar claves del original")
        if case["same"] and ka != kb:
            fail(exercise, f"dos peticiones que solo difieren en {case['por']} tienen claves distintas",
                 f"{case['por']} no cambia la respuesta: déjalo fuera de la clave (o normalízalo)")
        if not case["same"] and ka == kb:
            fail(exercise, f"dos peticiones que difieren en {case['por']} comparten clave",
                 f"{case['por']} cambia la respuesta: tiene que formar parte de la clave")


def check_clave_cache(func) -> None:
    _check_key_pairs(func, visible_key_pairs(), EJ1)
    print("✔ Ejercicio 1: tu clave separa lo que cambia la respuesta y junta lo que no.")


def check_clave_cache_oculto(func) -> None:
    _check_key_pairs(func, load_hidden("lab2_key_pairs.json"), EJ1 + " [prueba oculta]")


# -- exercise 2: an exact cache with TTL and a size bound ------------------------------------

def _answer(text: str, finish: str = "stop") -> dict:
    return {"id": "chatcmpl-x", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": text}}]}


def _scenarios(rng: random.Random):
    """(name, ttl_s, max_entradas, ops); ops: ("put", q, answer) | ("get", q, expected) | ("wait", s)."""
    qs = [f"Pregunta {rng.randint(100, 999)} sobre {w}" for w in
          ("envíos", "devoluciones", "pagos", "garantías", "cuentas", "cupones", "Plus", "facturas")]
    ttl = rng.choice([60, 300, 900])
    ttl_ops = [("put", qs[0], _answer("A0")), ("wait", ttl // 2), ("get", qs[0], "A0"),
               ("put", qs[1], _answer("A1")), ("wait", ttl // 2 - 1), ("get", qs[0], "A0"),
               ("wait", 2), ("get", qs[0], None), ("get", qs[1], "A1"),
               ("wait", ttl // 2), ("get", qs[1], None), ("put", qs[1], _answer("A1b")),
               ("get", qs[1], "A1b")]
    size = rng.choice([2, 3, 4])
    lru_ops = [("put", q, _answer(f"B{i}")) for i, q in enumerate(qs[:size])]
    lru_ops += [("get", qs[0], "B0"), ("put", qs[size], _answer(f"B{size}")),
                ("get", qs[1], None), ("get", qs[0], "B0"), ("get", qs[size], f"B{size}")]
    lru_ops += [("put", q, _answer(f"C{i}")) for i, q in enumerate(qs)]
    lru_ops += [("get", q, f"C{i}" if i >= len(qs) - size else None) for i, q in enumerate(qs)]
    bad = [("put", qs[0], {"error": {"message": "Rate limit", "type": "rate_limit_error"}}),
           ("get", qs[0], None), ("put", qs[1], _answer("cortada a medias", finish="length")),
           ("get", qs[1], None), ("put", qs[2], _answer("")), ("get", qs[2], None),
           ("put", qs[3], _answer("D3")), ("get", qs[3], "D3")]
    return [("caducidad", ttl, 100, ttl_ops), ("tamaño", 10**6, size, lru_ops),
            ("qué se guarda", 3600, 100, bad)]


def _describe(name, ttl, size) -> str:
    return f"escenario «{name}» (ttl_s={ttl}, max_entradas={size})"


def _run_exact(cls, seed: int, exercise: str) -> None:
    from course_lib.clock import Clock

    for name, ttl, size, ops in _scenarios(random.Random(seed)):
        clock = Clock(start=1_773_000_000.0, frozen=True)
        cache = call(exercise, lambda: cls(ttl_s=ttl, max_entradas=size, reloj=clock))
        for step, op in enumerate(ops, 1):
            if op[0] == "wait":
                clock.advance(op[1])
                continue
            question = op[1]
            if op[0] == "put":
                call(exercise, cache.guardar, _req(question), copy.deepcopy(op[2]))
                continue
            got = call(exercise, cache.obtener, _req(question))
            text = None
            if got is not None:
                try:
                    text = got["choices"][0]["message"]["content"]
                except (KeyError, IndexError, TypeError):
                    text = "(algo que no es una respuesta)"
            if text == op[2]:
                continue
            where = f"{_describe(name, ttl, size)}, paso {step}"
            if text == "(algo que no es una respuesta)" and op[2] is not None:
                fail(exercise, f"{where}: obtener() devolvió algo que no es la respuesta guardada",
                     "devuelve el mismo dict que recibiste en guardar() (o None si no hay)")
            if op[2] is None and name == "caducidad":
                fail(exercise, f"{where}: devolviste una entrada que ya había caducado",
                     "compara reloj() con el momento en que se guardó + ttl_s; leerla no alarga su vida")
            if op[2] is None and name == "tamaño":
                fail(exercise, f"{where}: la caché guarda más entradas de las permitidas o expulsa la equivocada",
                     "al superar max_entradas expulsa la usada hace más tiempo; obtener() cuenta como uso "
                     "(collections.OrderedDict.move_to_end te ayuda)")
            if op[2] is None:
                fail(exercise, f"{where}: guardaste una respuesta que no se debe guardar",
                     "no guardes errores, respuestas vacías ni respuestas con finish_reason «length»")
            fail(exercise, f"{where}: esperaba la respuesta «{op[2]}» y obtuve «{text}»",
                 "guarda la respuesta con la clave de la petición y devuélvela mientras no caduque")


def check_cache_exacta(cls) -> None:
    _run_exact(cls, 7, EJ2)
    print("✔ Ejercicio 2: tu caché respeta el TTL con el reloj, el tamaño máximo y qué se guarda.")


def check_cache_exacta_oculto(cls) -> None:
    seeds = load_hidden("lab2_cases.json")["exact_seeds"]
    for seed in seeds:
        _run_exact(cls, seed, EJ2 + " [prueba oculta]")


# -- exercise 5: tags for invalidation --------------------------------------------------------

def kb_changes(*, hidden: bool) -> list[dict]:
    """The dated knowledge-base changes (public for the lesson, hidden for grading)."""
    from course_lib.paths import WORLD_DIR

    if hidden:
        return load_hidden("kb_changes_hidden.jsonl")
    lines = (WORLD_DIR / "kb_changes.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def context_facts(task: dict, facts: list[dict], *, extra: int = 2) -> list[dict]:
    """What a retriever would put in the prompt: the task's facts and the ``extra`` closest others."""
    from course_lib.text import content_words

    own = [f for f in facts if f["fact_id"] in set(task.get("fact_ids") or [])]
    words = content_words(task["question"])
    others = sorted((f for f in facts if f not in own),
                    key=lambda f: (-len(words & content_words(f["text"])), f["fact_id"]))
    return own + others[:extra]


def invalidation_cases(*, hidden: bool) -> tuple[list[dict], list[dict], list[dict]]:
    """``(entries, facts, changes)``: one cached entry per task that needs facts."""
    from course_lib.course import world

    facts = world.load_facts().to_dict("records")
    tasks = world.load_tasks(None, include_hidden=hidden)
    tasks = tasks[tasks.split == ("test" if hidden else "dev")]
    entries = []
    for task in tasks.to_dict("records"):
        if not list(task.get("fact_ids") or []):
            continue
        entries.append({"task_id": task["task_id"], "pregunta": task["question"],
                        "respuesta": f"Te confirmo: {task['answer']}.",
                        "contexto": context_facts(task, facts), "fact_ids": list(task["fact_ids"])})
    return entries, facts, kb_changes(hidden=hidden)


def measure_invalidation(func, *, hidden: bool, exercise: str = EJ5) -> dict:
    """Tag every entry with ``func``, apply the change, count stale and kept entries."""
    from course_lib.cache import ExactCache

    entries, facts, changes = invalidation_cases(hidden=hidden)
    cache = ExactCache(max_entries=None)
    for i, entry in enumerate(entries):
        tags = call(exercise, func, entry["pregunta"], entry["respuesta"], copy.deepcopy(entry["contexto"]))
        if isinstance(tags, str) or tags is None or not all(isinstance(t, str) for t in tags):
            fail(exercise, "etiquetas() debe devolver un conjunto (o lista) de identificadores de texto",
                 "devuelve, por ejemplo, {'F-ENV-008', 'ENV-02'}")
        cache.store(_req(entry["pregunta"]), _answer(entry["respuesta"]), tags=sorted(set(tags)))
    changed = {c["fact_id"] for c in changes} | {c["doc_id"] for c in changes}
    cache.invalidate(sorted(changed))
    affected = [e for e in entries if set(e["fact_ids"]) & {c["fact_id"] for c in changes}]
    unaffected = [e for e in entries if e not in affected]
    stale = [e for e in affected if cache.lookup(_req(e["pregunta"])) is not None]
    kept = sum(cache.lookup(_req(e["pregunta"])) is not None for e in unaffected)
    return {"entradas": len(entries), "afectadas": len(affected), "obsoletas_servidas": len(stale),
            "conservadas": kept / len(unaffected) if unaffected else 1.0,
            "ejemplo_obsoleta": stale[0]["pregunta"] if stale else ""}


KEPT_GATE = 0.90


def _check_invalidation(func, *, hidden: bool, exercise: str) -> dict:
    result = measure_invalidation(func, hidden=hidden, exercise=exercise)
    if result["obsoletas_servidas"]:
        fail(exercise, f"tras el cambio se siguen sirviendo {result['obsoletas_servidas']} respuestas "
             f"obsoletas (por ejemplo a «{result['ejemplo_obsoleta'][:80]}»)",
             "etiqueta cada respuesta con los hechos del contexto de los que depende (fact_id), "
             "no solo con los que ves en el texto de la respuesta")
    if result["conservadas"] < KEPT_GATE:
        fail(exercise, f"solo se conservan el {pct(result['conservadas'], decimals=0)} de las respuestas que no "
             f"dependían del cambio (mínimo {pct(KEPT_GATE, decimals=0)})",
             "no etiquetes con todos los hechos ni con documentos enteros: quédate con los hechos del "
             "contexto que la pregunta o la respuesta usan")
    return result


def check_etiquetas(func) -> None:
    r = _check_invalidation(func, hidden=False, exercise=EJ5)
    print(f"✔ Ejercicio 5: ninguna respuesta obsoleta y se conservan el {pct(r['conservadas'], decimals=0)} de las demás.")


def check_etiquetas_oculto(func) -> None:
    _check_invalidation(func, hidden=True, exercise=EJ5 + " [prueba oculta]")


# -- comprueba todo ------------------------------------------------------------------------------

def comprueba_todo(namespace: dict) -> bool:
    """Run every visible check of lab 2 on the learner's names and print a summary (never raises)."""
    from graders import lab2_pipeline, lab2_prefix, lab2_semantic

    checks = [("Ejercicio 1", "clave_cache", check_clave_cache),
              ("Ejercicio 2", "CacheExacta", check_cache_exacta),
              ("Ejercicio 3", "crear_cache_semantica", lab2_semantic.check_cache_semantica),
              ("Ejercicio 4", "construir_peticion", lab2_prefix.check_peticion_cacheable),
              ("Ejercicio 5", "etiquetas", check_etiquetas),
              ("Ejercicio 6", "instalar_cache", lab2_pipeline.check_cache_en_pipeline)]
    return run_visible_checks(namespace, checks)
