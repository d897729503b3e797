"""Build student submissions of lab 1 from the release and source notebooks.

A learner's notebook is the release version with some solution cells filled in
(from the source notebook) and, for the adversarial cases, edited the way a
learner might: an infinite loop, a failing import, a deleted or rewritten test
cell, monkeypatched graders, an optimizer that games the metric.
"""

from __future__ import annotations

import copy

import nbformat

OPTIMIZER_CELL = "ej4_optimizador"


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n") if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


def solutions(source_nb) -> dict[str, str]:
    """Solution cell sources of the source notebook, without nbgrader's markers."""
    return {_grade_id(c): _strip_markers(c.source) for c in source_nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def student(release_nb, source_nb, *, solved=None, replace=None, delete=(), insert_after=None):
    """A learner's copy: ``solved`` grade ids filled in (all by default), then edits.

    ``replace`` maps grade ids to new cell sources, ``delete`` removes cells,
    ``insert_after`` maps grade ids to the source of a new (unlocked) cell after it.
    """
    nb = copy.deepcopy(release_nb)
    answers = solutions(source_nb)
    solved = set(answers) if solved is None else set(solved)
    cells = []
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid in delete:
            continue
        if gid in solved:
            cell.source = answers[gid]
        if replace and gid in replace:
            cell.source = replace[gid]
        cells.append(cell)
        if insert_after and gid in insert_after:
            cells.append(nbformat.v4.new_code_cell(insert_after[gid], id=f"extra-{gid}"))
    nb.cells = cells
    return nb


def _optimizer(body: str) -> str:
    return "def optimizar_peticion(peticion):\n" + "\n".join("    " + line for line in body.strip().split("\n"))


# Each optimizer "wins" tokens in a way that must fail the quality gate or the cost cut.
DROP_QUESTION = _optimizer("""
m = peticion["messages"]
ctx = next(x["content"] for x in m if x["content"].startswith(scenario.CONTEXT_HEADER))
pasajes = context.select_context(m[-1]["content"], context.split_passages(ctx), budget_tokens=600)
return {**peticion, "messages": [{"role": "system", "content": compress.CONCISE_SYSTEM_PROMPT + "\\n" + "\\n".join(pasajes)}],
        "max_tokens": 120}
""")
DROP_CONTEXT = _optimizer("""
return {**peticion, "messages": [{"role": "system", "content": compress.CONCISE_SYSTEM_PROMPT},
                                 peticion["messages"][-1]], "max_tokens": 120}
""")
CHEAPER_MODEL_ONLY = _optimizer("""
return {**peticion, "model": "gpt-4.1-nano", "metadata": {"task_id": "otra"}}
""")
IDENTITY = _optimizer("return peticion")
MONKEYPATCH = """
import graders, graders.lab1_optimizer, course_lib.course.world, course_lib.pricing
graders.lab1_optimizer.check_optimizador = lambda f: print("✔ todo correcto")
graders.lab1_optimizer.check_optimizador_oculto = lambda f: None
lab1_opt.check_optimizador = lambda f: print("✔ todo correcto")
course_lib.course.world.is_correct = lambda tarea, texto: True
course_lib.pricing.PriceBook.cost = lambda self, *a, **k: __import__("decimal").Decimal("0.000001")
get_ipython().set_custom_exc((AssertionError, NameError), lambda *a, **k: None)
"""
INFINITE_LOOP = "while True:\n    pass\n"
BAD_IMPORT = "import paquete_que_no_existe\n"


def build_all(release_nb, source_nb) -> dict[str, tuple[object, dict[str, float]]]:
    """Every submission graded by the pipeline tests, with the points each exercise deserves.

    Attacks on different exercises share a notebook, so one nbgrader run covers
    them all; each notebook keeps some exercises right, proving grading went on.
    """
    answers = solutions(source_nb)
    wrong_chat = answers["ej2_tokens_chat"].replace("total = 3\n", "total = 0\n")
    wrong_estimate = answers["ej3_estimar"].replace("tokens_salida * p.output", "tokens_salida * p.input")
    assert wrong_chat != answers["ej2_tokens_chat"] and wrong_estimate != answers["ej3_estimar"]
    s = lambda **kw: student(release_nb, source_nb, **kw)  # noqa: E731
    full = {"ej1_coste_llamada_test": 2, "ej2_tokens_chat_test": 2, "ej3_estimar_test": 2,
            "ej4_optimizador_test": 4}
    score = lambda **zeros: {k: 0 if k in zeros else v for k, v in full.items()}  # noqa: E731
    return {
        "completo": (s(), score()),
        "vacio": (s(solved=[]), {k: 0 for k in full}),
        "parcial": (s(solved=["ej1_coste_llamada", "ej2_tokens_chat"]),
                    score(ej3_estimar_test=0, ej4_optimizador_test=0)),
        # an infinite loop times out, the kernel is interrupted and the rest still runs;
        # ex. 4 drops the knowledge-base context
        "bucle_infinito": (s(replace={"ej1_coste_llamada": INFINITE_LOOP + answers["ej1_coste_llamada"],
                                      OPTIMIZER_CELL: DROP_CONTEXT}),
                           score(ej1_coste_llamada_test=0, ej4_optimizador_test=0)),
        # import error in ex. 1; ex. 2's test deleted (right answer: restored and passed);
        # ex. 3's test rewritten (wrong answer: restored and failed); ex. 4 patched graders
        "trampas": (s(replace={"ej1_coste_llamada": BAD_IMPORT + answers["ej1_coste_llamada"],
                               "ej3_estimar": wrong_estimate,
                               "ej3_estimar_test": "print('✔ Ejercicio 3 correcto')",
                               OPTIMIZER_CELL: IDENTITY},
                      delete={"ej2_tokens_chat_test"}, insert_after={OPTIMIZER_CELL: MONKEYPATCH}),
                    score(ej1_coste_llamada_test=0, ej3_estimar_test=0, ej4_optimizador_test=0)),
        # ex. 2's test deleted with a wrong answer (ex. 3 uses that counter, so it fails too);
        # ex. 4 drops the question to save tokens
        "sin_pregunta": (s(replace={"ej2_tokens_chat": wrong_chat, OPTIMIZER_CELL: DROP_QUESTION},
                           delete={"ej2_tokens_chat_test"}),
                         score(ej2_tokens_chat_test=0, ej3_estimar_test=0, ej4_optimizador_test=0)),
    }


SAMPLES = ("completo", "parcial", "vacio")
"""The sample submissions shipped in tests/files/lab1_entregas/ for instructors to try."""


def write_samples(release_nb, source_nb, folder) -> list:
    """Write the full, partial and empty sample submissions to ``folder``."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    every = build_all(release_nb, source_nb)
    paths = []
    for name in SAMPLES:
        path = folder / f"{name}.ipynb"
        nbformat.write(every[name][0], path)
        paths.append(path)
    return paths


if __name__ == "__main__":  # python -m tests.grading.submissions: refresh the shipped samples
    import tempfile
    from pathlib import Path

    from course_lib.course.grading import Course
    from course_lib.paths import REPO_ROOT
    from tests.grading.conftest import make_course

    with tempfile.TemporaryDirectory() as tmp:
        course = make_course(Path(tmp))
        course.release("lab1")
        release = nbformat.read(course.release_notebook("lab1"), as_version=4)
        source = nbformat.read(course.source_notebook("lab1"), as_version=4)
        for path in write_samples(release, source, REPO_ROOT / "tests" / "files" / "lab1_entregas"):
            print(f"escrito {path}")
