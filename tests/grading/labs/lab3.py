"""Lab 3 in the grading suite: its own adversarial submissions.

Strategies that must not earn exercise 3 (issue 10): always ``gpt-5-mini``
(a single model never lies above a frontier that holds it), everything to the
cheapest model, one that writes the hidden answers itself, one that routes on
the world's hidden ``difficulty`` (it passes the visible check on dev tasks and
fails on the renamed hidden tasks), and one tuned to the visible tasks only (a
lookup table of the cheapest right model per visible task). Each also breaks
another exercise in a plausible way: the cost of the last attempt only,
the quantile taken from the wrong side, everything sent to the edge model.

The hidden checks run in the grader process, out of the kernel's reach: a
submission whose functions return objects equal to everything gets nothing
for them, and one whose strategy reads ``graders/hidden/`` (the salt and the
hidden answers, to climb the ladder only until an answer is right) finds the
folder empty while graded.
"""

from __future__ import annotations

from tests.grading.registry import LabCases
from tests.grading.submissions import expected, solutions, student

EJ1, EJ2, EJ3, EJ4 = "ej1_evaluar", "ej2_umbral", "ej3_estrategia", "ej4_privacidad"


def _strategy(body: str) -> str:
    return ("def crear_estrategia(medidas):\n" + "\n".join("    " + line for line in body.strip().split("\n"))
            + "\n\n\nestrategia = crear_estrategia(medidas)\n")


ALWAYS_GPT5_MINI = _strategy('return "gpt-5-mini@minimal"')
ALWAYS_CHEAPEST = _strategy('return "gpt-4.1-nano"')
WRITES_ANSWERS = _strategy('''
def tramposa(call, call_next):
    call.params = {**call.params, "model": "gpt-4.1-nano"}
    respuesta = call_next(call)
    tarea = world.get_task(call.params["metadata"]["task_id"])
    respuesta.choices[0].message.content = tarea["answer"]
    return respuesta
return tramposa''')
READS_DIFFICULTY = _strategy('''
def por_dificultad(call, call_next):
    tarea = world.get_task(call.params["metadata"]["task_id"])
    modelo = "gpt-4o-mini" if tarea["difficulty"] < 0.45 else "gpt-4.1"
    call.params = {**call.params, "model": modelo}
    return call_next(call)
return por_dificultad''')
VISIBLE_ONLY = _strategy('''
tabla = {}
for o_id in [o.task_id for o in mediciones["gpt-4.1-nano"].outcomes]:
    for m in ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1", "gpt-4o"]:
        if next(o for o in mediciones[m].outcomes if o.task_id == o_id).correct:
            tabla[o_id] = m
            break
def de_memoria(call, call_next):
    modelo = tabla.get(call.params["metadata"]["task_id"], "gpt-4.1-nano")
    call.params = {**call.params, "model": modelo}
    return call_next(call)
return de_memoria''')
ALL_LOCAL = "def destino(texto, modelo):\n    return lab3_privacy.MODELO_LOCAL\n"
READS_HIDDEN = _strategy('''
import json
from graders import HIDDEN_DIR

def respuestas():
    (casos,), (ocultas,) = HIDDEN_DIR.glob("lab3_*.json"), HIDDEN_DIR.glob("tasks_*.jsonl")
    sal = json.loads(casos.read_text(encoding="utf-8"))["sal"]
    filas = [json.loads(l) for l in ocultas.read_text(encoding="utf-8").splitlines() if l]
    tareas = {lab3_strategy.renombrar(t["task_id"], sal): t for t in filas}
    tareas.update({t["task_id"]: t for t in world.load_tasks().to_dict("records")})
    return tareas

def mira(call, call_next):
    tarea = respuestas().get(call.params["metadata"]["task_id"])
    for modelo in ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1"]:
        call.params = {**call.params, "model": modelo}
        respuesta = call_next(call)
        if tarea is not None and world.is_correct(tarea, respuesta.choices[0].message.content):
            break
    return respuesta
return mira''')
EQUAL_TO_EVERYTHING = """class Siempre(Decimal):
    def __eq__(self, otro):
        return True
    __hash__ = Decimal.__hash__

def evaluar_estrategia(registros, correctas, *, fuerte, precision_debil, precision_fuerte):
    return {k: Siempre(0) for k in ("coste", "precision", "uso", "cuota_fuerte", "pgr")}
"""
EQUAL_TO_EVERY_MODEL = """class Cualquiera(str):
    def __eq__(self, otro):
        return True
    def __ne__(self, otro):
        return False
    __hash__ = str.__hash__

def destino(texto, modelo):
    return Cualquiera(modelo)
"""


def extra(release_nb, source_nb) -> dict:
    answers = solutions(source_nb)
    last_only = answers[EJ1].replace(
        "coste = sum((r.cost for r in registros), Decimal(0))",
        "coste = sum({r.call_id: r.cost for r in registros}.values(), Decimal(0))")
    wrong_side = answers[EJ2].replace("k = round(cuota * len(ordenadas))",
                                      "k = round((1 - cuota) * len(ordenadas))")
    assert last_only != answers[EJ1] and wrong_side != answers[EJ2]
    s = lambda **kw: student(release_nb, source_nb, **kw)  # noqa: E731
    e = lambda *broken: expected(source_nb, broken)  # noqa: E731
    return {
        "siempre_gpt5mini": (s(replace={EJ3: ALWAYS_GPT5_MINI, EJ2: wrong_side}), e(EJ3, EJ2)),
        "todo_barato": (s(replace={EJ3: ALWAYS_CHEAPEST, EJ4: ALL_LOCAL}), e(EJ3, EJ4)),
        "escribe_respuestas": (s(replace={EJ3: WRITES_ANSWERS, EJ1: last_only}), e(EJ3, EJ1)),
        "lee_dificultad": (s(replace={EJ3: READS_DIFFICULTY}), e(EJ3)),
        "solo_visibles": (s(replace={EJ3: VISIBLE_ONLY}), e(EJ3)),
        "lee_ocultos": (s(replace={EJ3: READS_HIDDEN}), e(EJ3)),
        "igual_a_todo": (s(replace={EJ1: EQUAL_TO_EVERYTHING, EJ4: EQUAL_TO_EVERY_MODEL}), e(EJ1, EJ4)),
    }


CASES = LabCases(lab="lab3", extra=extra, regrade="lee_dificultad")
