"""Lab 1 in the grading suite: its own wrong-but-plausible and correct-other-way submissions.

Besides the generic cases, lab 1 is graded against answers that look right
but are not, each costing only the points of the exercise that made it (a
cost computed in floats and converted at the end, a counter that strips the
text, a prompt that drops the brevity instruction, an optimizer that truncates
the documentation, an ROI in floats; a cost without a ``None`` guard, a counter
mapping the gpt-4.1 family to the wrong encoding, an optimizer dropping the
question), against correct answers written other ways that keep full marks
(plain ``tiktoken`` with a ``warnings.warn``, the library's counter, another
order of operations), and against an optimizer that games the metric
(the baseline unchanged while patching the graders, the world's ``is_correct``
and the price book). The hidden checks run in the grader process, so results
that are «equal to everything» (subclasses of ``Decimal``, ``int`` and ``dict``)
and an optimizer that reads the hidden tasks' facts from ``graders/hidden/``
(emptied in the learner's sandbox) get no points there. No test cell depends on another exercise's solution:
exercise 3 is graded on its own formula (``graders.lab1``), so ``DEPENDS`` is empty.
"""

from __future__ import annotations

from tests.grading.registry import LabCases
from tests.grading.submissions import expected, solutions, student

PROMPT_CELL, OPTIMIZER_CELL, ROI_CELL = "ej4_prompt", "ej5_optimizador", "ej6_retorno"


def _function(name: str, args: str, body: str) -> str:
    return f"def {name}({args}):\n" + "\n".join("    " + line for line in body.strip().split("\n"))


def _optimizer(body: str) -> str:
    return _function("optimizar_peticion", "peticion", body)


# Each optimizer "wins" tokens in a way that must fail the quality gate or the cost cut.
DROP_QUESTION = _optimizer("""
m = peticion["messages"]
ctx = next(x["content"] for x in m if x["content"].startswith(scenario.CONTEXT_HEADER))
pasajes = context.select_context(m[-1]["content"], context.split_passages(ctx), budget_tokens=600)
return {**peticion, "messages": [{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT + "\\n" + "\\n".join(pasajes)}],
        "max_tokens": 120}
""")
TRUNCATE = _optimizer("""
m = peticion["messages"]
ctx = next(x["content"] for x in m if x["content"].startswith(scenario.CONTEXT_HEADER))
return {**peticion, "messages": [{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT + "\\n\\n" + ctx[:1500]}, m[-1]],
        "max_tokens": 150}
""")
IDENTITY = _optimizer("return peticion")
# Patches the lab's own checks, the world's scoring and the prices in the kernel.
MONKEYPATCH = """
import graders, graders.lab1_optimizer, course_lib.course.world, course_lib.pricing
graders.lab1_optimizer.check_optimizador = lambda f: print("✔ todo correcto")
graders.lab1_optimizer.check_optimizador_oculto = lambda f: None
lab1_opt.check_optimizador = lambda f: print("✔ todo correcto")
course_lib.course.world.is_correct = lambda tarea, texto: True
course_lib.pricing.PriceBook.cost = lambda self, *a, **k: __import__("decimal").Decimal("0.000001")
get_ipython().set_custom_exc((AssertionError, NameError), lambda *a, **k: None)
"""
COST_FLOAT = _function("coste_llamada", "uso, modelo, *, batch=False", """
p = precios.get(modelo)
cache = (uso.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
coste = ((uso["prompt_tokens"] - cache) * float(p.input) + cache * float(p.cached_input)
         + uso["completion_tokens"] * float(p.output)) / 1e6
return Decimal(str(coste * (0.5 if batch else 1)))
""")
COST_NO_NONE_GUARD = _function("coste_llamada", "uso, modelo, *, batch=False", """
p = precios.get(modelo)
cache = uso.get("prompt_tokens_details", {}).get("cached_tokens", 0)
coste = ((uso["prompt_tokens"] - cache) * p.input + cache * p.cached_input + uso["completion_tokens"] * p.output) / Decimal(1_000_000)
return coste * p.batch_discount if batch else coste
""")
COUNT_STRIP = _function("contar_tokens_chat", 'mensajes, modelo="gpt-4o"', """
codificacion = encoding_for_model(modelo)
return 3 + sum(3 + sum(len(codificacion.encode(v.strip())) for v in m.values()) + ("name" in m) for m in mensajes)
""")
COUNT_WRONG_FAMILY = _function("contar_tokens_chat", 'mensajes, modelo="gpt-4o"', """
import tiktoken
nombre = "o200k_base" if modelo.startswith(("gpt-4o", "gpt-5", "o")) else "cl100k_base"  # olvida gpt-4.1 y chatgpt-4o
codificacion = tiktoken.get_encoding(nombre)
return 3 + sum(3 + sum(len(codificacion.encode(v)) for v in m.values()) + ("name" in m) for m in mensajes)
""")
COUNT_TIKTOKEN_WARNS = _function("contar_tokens_chat", 'mensajes, modelo="gpt-4o"', """
import logging, warnings
import tiktoken
try:
    codificacion = tiktoken.encoding_for_model(modelo)
except KeyError:
    warnings.warn(f"Modelo {modelo} desconocido: uso o200k_base")
    logging.getLogger("lab1").warning("modelo desconocido")
    codificacion = tiktoken.get_encoding("o200k_base")
total = 3
for mensaje in mensajes:
    total += 3
    for clave, valor in mensaje.items():
        total += len(codificacion.encode(valor))
        total += clave == "name"
return total
""")
ESTIMATE_LIBRARY = _function("estimar_coste", "mensajes, modelo, tokens_salida", """
p = precios.get(modelo)
return (count_chat_tokens(mensajes, modelo) * p.input + tokens_salida * p.output) / 1_000_000
""")
PROMPT_NO_BREVITY = ('PROMPT_CONCISO = "Eres el asistente de atención al cliente de la tienda. '
                     'Responde en español usando solo la documentación."')
PROMPT_OTHER_WORDS = ('PROMPT_CONCISO = "Atiendes a los clientes de Mercadela. Contesta en castellano, en una frase, '
                      'sin inventar: únicamente con la documentación."')
ROI_FLOAT = _function("retorno", "coste_base, coste_opt, peticiones_mes, inversion", """
ahorro = float(coste_base - coste_opt)
mes = ahorro * peticiones_mes
return {"ahorro_mes": mes, "meses_amortizacion": float(inversion) / mes if ahorro > 0 else None,
        "peticiones_equilibrio": float(inversion) / (12 * ahorro) if ahorro > 0 else None,
        "roi_12_meses": (12 * mes - float(inversion)) / float(inversion)}
""")
ROI_OTHER_ORDER = _function("retorno", "coste_base, coste_opt, peticiones_mes, inversion", """
ahorro_mes = peticiones_mes * coste_base - peticiones_mes * coste_opt
sin_ahorro = ahorro_mes <= 0
return {"ahorro_mes": ahorro_mes, "roi_12_meses": 12 * ahorro_mes / inversion - 1,
        "meses_amortizacion": None if sin_ahorro else inversion / ahorro_mes,
        "peticiones_equilibrio": None if sin_ahorro else inversion / 12 / (coste_base - coste_opt)}
""")

# Results equal to everything: they pass any == in the kernel, but reach the grader as objects.
ALWAYS_EQUAL = """
class Siempre(Decimal):
    def __eq__(self, otro):
        return True
    def __ne__(self, otro):
        return False
    __hash__ = Decimal.__hash__

class SiempreEntero(int):
    __eq__, __ne__, __hash__ = Siempre.__eq__, Siempre.__ne__, int.__hash__

class SiemprePeticion(dict):
    __eq__, __ne__, __hash__ = Siempre.__eq__, Siempre.__ne__, None
"""
COST_ALWAYS_EQUAL = ALWAYS_EQUAL + _function("coste_llamada", "uso, modelo, *, batch=False", "return Siempre(0)")
COUNT_ALWAYS_EQUAL = ALWAYS_EQUAL + _function("contar_tokens_chat", 'mensajes, modelo="gpt-4o"',
                                             "return SiempreEntero(count_chat_tokens(mensajes, modelo))")
OPTIMIZER_ALWAYS_EQUAL = ALWAYS_EQUAL + _optimizer("""
m = peticion["messages"]
return SiemprePeticion(messages=[{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT}, m[-1]], max_tokens=150)
""")
ROI_ALWAYS_EQUAL = ALWAYS_EQUAL + _function("retorno", "coste_base, coste_opt, peticiones_mes, inversion", """
return {clave: Siempre(0) for clave in ("ahorro_mes", "meses_amortizacion", "peticiones_equilibrio", "roi_12_meses")}
""")
# Puts in the prompt the very facts each task needs, read from the task's record: public for dev
# tasks (the visible check passes), in graders/hidden/ for the hidden ones (empty in the sandbox).
ORACLE = _optimizer("""
import json
from course_lib.paths import REPO_ROOT
tareas = {t["task_id"]: t for t in world.load_tasks(split="dev").to_dict(orient="records")}
for ruta in (REPO_ROOT / "graders" / "hidden").glob("*.jsonl"):
    for linea in ruta.read_text(encoding="utf-8").splitlines():
        tarea = json.loads(linea) if linea.strip() else None
        if isinstance(tarea, dict) and "task_id" in tarea and "fact_ids" in tarea:
            tareas[tarea["task_id"]] = tarea
hechos = {h["fact_id"]: h["text"] for h in world.load_facts().to_dict(orient="records")}
tarea = tareas.get(peticion["metadata"]["task_id"], {})
datos = "\\n".join(hechos[f] for f in tarea.get("fact_ids") or [] if f in hechos)
return {"messages": [{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT + "\\n\\n" + datos},
                     peticion["messages"][-1]], "max_tokens": 150}
""")


def extra(release_nb, source_nb) -> dict:
    answers = solutions(source_nb)
    wrong_estimate = answers["ej3_estimar"].replace("tokens_salida * p.output", "tokens_salida * p.input")
    assert wrong_estimate != answers["ej3_estimar"]
    s = lambda **kw: student(release_nb, source_nb, **kw)  # noqa: E731
    e = lambda *broken: expected(source_nb, broken, depends=DEPENDS)  # noqa: E731
    return {
        # ex. 1 without a None guard; ex. 2 maps gpt-4.1 to cl100k_base, with its test deleted
        # (restored, fails; ex. 3 is graded on its own formula and keeps its points); ex. 5 drops the question
        "sin_pregunta": (s(replace={"ej1_coste_llamada": COST_NO_NONE_GUARD, "ej2_tokens_chat": COUNT_WRONG_FAMILY,
                                    OPTIMIZER_CELL: DROP_QUESTION},
                           delete={"ej2_tokens_chat_test"}),
                         e("ej1_coste_llamada", "ej2_tokens_chat", OPTIMIZER_CELL)),
        # ex. 3 wrong with its test rewritten to pass; ex. 5 sends the baseline and patches
        # the graders, the world's scoring and the price book
        "trampas_optimizador": (s(replace={"ej3_estimar": wrong_estimate,
                                           "ej3_estimar_test": "print('✔ Ejercicio 3 correcto')",
                                           OPTIMIZER_CELL: IDENTITY},
                                  insert_after={OPTIMIZER_CELL: MONKEYPATCH}),
                                e("ej3_estimar", OPTIMIZER_CELL)),
        # wrong but plausible, one per exercise; ex. 3 uses the stripping counter and keeps its points
        "errores_plausibles": (s(replace={"ej1_coste_llamada": COST_FLOAT, "ej2_tokens_chat": COUNT_STRIP,
                                          PROMPT_CELL: PROMPT_NO_BREVITY, OPTIMIZER_CELL: TRUNCATE,
                                          ROI_CELL: ROI_FLOAT}),
                               e("ej1_coste_llamada", "ej2_tokens_chat", PROMPT_CELL, OPTIMIZER_CELL, ROI_CELL)),
        # right, written other ways: plain tiktoken that warns and logs, the library's counter
        # (an int / 1_000_000 Decimal), another wording of the prompt, another order of operations
        "correctas_de_otra_forma": (s(replace={"ej2_tokens_chat": COUNT_TIKTOKEN_WARNS, "ej3_estimar": ESTIMATE_LIBRARY,
                                               PROMPT_CELL: PROMPT_OTHER_WORDS, ROI_CELL: ROI_OTHER_ORDER}),
                                    e()),
        # results equal to everything (ex. 1, 2, 5, 6): the grader receives objects, not values; ex. 3
        # (right) uses that counter, whose value is the right count, and keeps its points
        "igual_a_todo": (s(replace={"ej1_coste_llamada": COST_ALWAYS_EQUAL, "ej2_tokens_chat": COUNT_ALWAYS_EQUAL,
                                    OPTIMIZER_CELL: OPTIMIZER_ALWAYS_EQUAL, ROI_CELL: ROI_ALWAYS_EQUAL}),
                         e("ej1_coste_llamada", "ej2_tokens_chat", OPTIMIZER_CELL, ROI_CELL)),
        # an optimizer that reads each hidden task's facts from graders/hidden/: empty in the sandbox
        "lee_ocultos": (s(replace={OPTIMIZER_CELL: ORACLE}), e(OPTIMIZER_CELL)),
    }


DEPENDS: dict[str, tuple[str, ...]] = {}
CASES = LabCases(lab="lab1", depends=DEPENDS, extra=extra, regrade="sin_pregunta")
