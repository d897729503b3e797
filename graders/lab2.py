"""Checks for lab 2 «Sistema de caching»: key, exact cache, invalidation tags, comprueba_todo.

Visible checks (``check_*``) run in the learner's kernel on public examples.
Hidden ones (``check_*_oculto(worker)``) run in the grader process
(``graders.verdicts``) on ``graders/hidden/lab2_key_pairs.json``,
``lab2_cases.json`` and ``kb_changes_hidden.jsonl`` with the hidden test tasks:
they send the kernel only the requests, scenario steps and contexts the
learner's code needs, and keep every expected answer here. The semantic cache
replay lives in ``graders.lab2_semantic``, provider prompt caching in
``graders.lab2_prefix`` and the whole cache in the pipeline in
``graders.lab2_pipeline``. Every failure is a Spanish message with a hint.
"""

from __future__ import annotations

import copy
import json
import random

from course_lib.numbers import pct
from graders import RAISED_HINT, call, fail, load_hidden, on_kernel, run_visible_checks
from graders.wire import kind

EJ1, EJ2, EJ5 = "Ejercicio 1 (clave de caché)", "Ejercicio 2 (caché exacta)", "Ejercicio 5 (invalidación)"
HIDDEN = " [prueba oculta]"


def held(value):
    """The value itself, on the learner's side: a hidden check keeps a request there with
    ``worker.keep("graders.lab2:held", peticion)`` and reads it back to see if it changed."""
    return value

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


def _judge_key_pair(case, ka, kb, again, a_after, b_after, exercise: str) -> None:
    """One pair's keys (and the requests after the learner's function saw them)."""
    if type(ka) is not str or not ka:
        fail(exercise, f"la clave debe ser un texto no vacío y recibí {kind(ka)}",
             "devuelve, por ejemplo, el hash sha256 de un JSON canónico de la petición")
    if again != ka:
        fail(exercise, "la misma petición dio dos claves distintas",
             "no metas en la clave nada que cambie entre llamadas (hora, id aleatorio, hash() de Python)")
    if a_after != case["a"] or b_after != case["b"]:
        fail(exercise, "tu función modifica la petición que recibe",
             "trabaja sobre una copia (dict(peticion)) en vez de borrar claves del original")
    if case["same"] and ka != kb:
        fail(exercise, f"dos peticiones que solo difieren en {case['por']} tienen claves distintas",
             f"{case['por']} no cambia la respuesta: déjalo fuera de la clave (o normalízalo)")
    if not case["same"] and ka == kb:
        fail(exercise, f"dos peticiones que difieren en {case['por']} comparten clave",
             f"{case['por']} cambia la respuesta: tiene que formar parte de la clave")


def _check_key_pairs(func, cases, exercise: str) -> None:
    for case in cases:
        a, b = copy.deepcopy(case["a"]), copy.deepcopy(case["b"])
        ka = call(exercise, func, a)
        kb = call(exercise, func, b)
        again = call(exercise, func, copy.deepcopy(case["a"])) if type(ka) is str and ka else None
        _judge_key_pair(case, ka, kb, again, a, b, exercise)


def check_clave_cache(func) -> None:
    _check_key_pairs(func, visible_key_pairs(), EJ1)
    print("✔ Ejercicio 1: tu clave separa lo que cambia la respuesta y junta lo que no.")


def check_clave_cache_oculto(worker) -> None:
    """Hidden check (grader): 63 request pairs; each request is kept in the kernel while the
    learner's ``clave_cache`` reads it, then read back (a key must not change its request)."""
    exercise = EJ1 + HIDDEN

    def key(request):
        kept = worker.keep("graders.lab2:held", request)
        return on_kernel(exercise, worker.call, "clave_cache", kept), kept

    for case in load_hidden("lab2_key_pairs.json"):
        (ka, a), (kb, b) = key(case["a"]), key(case["b"])
        again = key(case["a"])[0] if type(ka) is str and ka else None
        _judge_key_pair(case, ka, kb, again, worker.call("graders.lab2:held", a),
                        worker.call("graders.lab2:held", b), exercise)


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


CLOCK_START = 1_773_000_000.0


class _LocalExact:
    """Exercise 2's scenarios on the learner's class in this process (the visible check)."""

    def __init__(self, cls, exercise: str):
        self.cls, self.exercise = cls, exercise

    def new(self, ttl, size) -> None:
        from course_lib.clock import Clock

        self.clock = Clock(start=CLOCK_START, frozen=True)
        self.cache = call(self.exercise, lambda: self.cls(ttl_s=ttl, max_entradas=size, reloj=self.clock))

    def wait(self, seconds) -> None:
        self.clock.advance(seconds)

    def put(self, request, answer) -> None:
        call(self.exercise, self.cache.guardar, request, answer)

    def get(self, request):
        return call(self.exercise, self.cache.obtener, request)


class _RemoteExact(_LocalExact):
    """The same scenarios on the learner's class kept in the kernel, with a clock kept there
    that only this check moves (the hidden check, in the grader)."""

    def __init__(self, worker, exercise: str):
        self.worker, self.exercise = worker, exercise

    def new(self, ttl, size) -> None:
        self.clock = self.worker.keep("course_lib.clock:Clock", start=CLOCK_START, frozen=True)
        self.cache = on_kernel(self.exercise, self.worker.keep, "CacheExacta", ttl_s=ttl, max_entradas=size,
                               reloj=self.clock)

    def wait(self, seconds) -> None:
        self.worker.method(self.clock, "advance", seconds)

    def put(self, request, answer) -> None:
        on_kernel(self.exercise, self.worker.method, self.cache, "guardar", request, answer,
                  what="el método guardar de tu caché")

    def get(self, request):
        return on_kernel(self.exercise, self.worker.method, self.cache, "obtener", request,
                         what="el método obtener de tu caché")


def _run_exact(cache, seed: int, exercise: str) -> None:
    """Play the scenarios of ``seed`` on ``cache`` (a :class:`_LocalExact` or :class:`_RemoteExact`)."""
    for name, ttl, size, ops in _scenarios(random.Random(seed)):
        cache.new(ttl, size)
        for step, op in enumerate(ops, 1):
            if op[0] == "wait":
                cache.wait(op[1])
                continue
            question = op[1]
            if op[0] == "put":
                cache.put(_req(question), copy.deepcopy(op[2]))
                continue
            got = cache.get(_req(question))
            text = None
            if got is not None:
                try:
                    text = got["choices"][0]["message"]["content"]
                except (KeyError, IndexError, TypeError):
                    text = "(algo que no es una respuesta)"
            if text == op[2] and (text is None or type(text) is str):
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
    _run_exact(_LocalExact(cls, EJ2), 7, EJ2)
    print("✔ Ejercicio 2: tu caché respeta el TTL con el reloj, el tamaño máximo y qué se guarda.")


def check_cache_exacta_oculto(worker) -> None:
    """Hidden check (grader): the scenarios of three hidden seeds on the learner's class, kept in the
    kernel and driven step by step; the grader moves the clock and knows every expected answer."""
    for seed in load_hidden("lab2_cases.json")["exact_seeds"]:
        _run_exact(_RemoteExact(worker, EJ2 + HIDDEN), seed, EJ2 + HIDDEN)


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


def tag_list(tags):
    """The learner's tags as a plain list, on the learner's side (a set does not travel to the
    grader); ``None`` when they are not a collection (a text, ``None``, a number)."""
    if tags is None or isinstance(tags, (str, bytes)):
        return None
    try:
        return list(tags)
    except TypeError:
        return None


def _remote_tagger(worker, exercise: str):
    """``etiquetas`` run in the kernel: its result kept there and read back as a list."""
    def tag(pregunta, respuesta, contexto):
        kept = on_kernel(exercise, worker.keep, "etiquetas", pregunta, respuesta, contexto)
        return worker.call("graders.lab2:tag_list", kept)

    return tag


def measure_invalidation(func, *, hidden: bool, exercise: str = EJ5) -> dict:
    """Tag every entry with ``func``, apply the change, count stale and kept entries.

    ``func`` is the learner's function (visible check) or :func:`_remote_tagger`'s stand-in.
    """
    from course_lib.cache import ExactCache

    entries, facts, changes = invalidation_cases(hidden=hidden)
    cache = ExactCache(max_entries=None)
    for i, entry in enumerate(entries):
        tags = call(exercise, func, entry["pregunta"], entry["respuesta"], copy.deepcopy(entry["contexto"]))
        if isinstance(tags, str) or tags is None or not all(type(t) is str for t in tags):
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


def check_etiquetas_oculto(worker) -> None:
    """Hidden check (grader): the kernel tags each cached answer of the hidden test tasks (question,
    answer and retrieved context); the hidden KB changes and which answers they touch stay here."""
    _check_invalidation(_remote_tagger(worker, EJ5 + HIDDEN), hidden=True, exercise=EJ5 + HIDDEN)


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
