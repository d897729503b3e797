"""Lab 1 in the grading suite: its dependencies and its own adversarial submissions.

Besides the generic cases, lab 1 is graded against answers that look right
but are not (a counter without the priming tokens, an estimator pricing the
output as input) and optimizers that game the cost metric (dropping the
question, sending the baseline unchanged while patching the graders, the
world's ``is_correct`` and the price book).
"""

from __future__ import annotations

from tests.grading.registry import LabCases
from tests.grading.submissions import expected, solutions, student

OPTIMIZER_CELL = "ej4_optimizador"


def _optimizer(body: str) -> str:
    return "def optimizar_peticion(peticion):\n" + "\n".join("    " + line for line in body.strip().split("\n"))


# Each optimizer "wins" tokens in a way that must fail the quality gate or the cost cut.
DROP_QUESTION = _optimizer("""
m = peticion["messages"]
ctx = next(x["content"] for x in m if x["content"].startswith(scenario.CONTEXT_HEADER))
pasajes = context.select_context(m[-1]["content"], context.split_passages(ctx), budget_tokens=600)
return {**peticion, "messages": [{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT + "\\n" + "\\n".join(pasajes)}],
        "max_tokens": 120}
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
DEPENDS = {"ej3_estimar_test": ("ej2_tokens_chat",)}  # the estimator counts with exercise 2's counter


def extra(release_nb, source_nb) -> dict:
    answers = solutions(source_nb)
    wrong_chat = answers["ej2_tokens_chat"].replace("total = 3\n", "total = 0\n")
    wrong_estimate = answers["ej3_estimar"].replace("tokens_salida * p.output", "tokens_salida * p.input")
    assert wrong_chat != answers["ej2_tokens_chat"] and wrong_estimate != answers["ej3_estimar"]
    s = lambda **kw: student(release_nb, source_nb, **kw)  # noqa: E731
    e = lambda *broken: expected(source_nb, broken, depends=DEPENDS)  # noqa: E731
    return {
        # ex. 2 wrong with its test deleted (restored, fails; ex. 3 uses that counter and fails too);
        # ex. 4 drops the question to save tokens
        "sin_pregunta": (s(replace={"ej2_tokens_chat": wrong_chat, OPTIMIZER_CELL: DROP_QUESTION},
                           delete={"ej2_tokens_chat_test"}),
                         e("ej2_tokens_chat", OPTIMIZER_CELL)),
        # ex. 3 wrong with its test rewritten to pass; ex. 4 sends the baseline and patches
        # the graders, the world's scoring and the price book
        "trampas_optimizador": (s(replace={"ej3_estimar": wrong_estimate,
                                           "ej3_estimar_test": "print('✔ Ejercicio 3 correcto')",
                                           OPTIMIZER_CELL: IDENTITY},
                                  insert_after={OPTIMIZER_CELL: MONKEYPATCH}),
                                e("ej3_estimar", OPTIMIZER_CELL)),
    }


CASES = LabCases(lab="lab1", depends=DEPENDS, extra=extra, regrade="sin_pregunta")
