"""A three-exercise nbgrader course built for the remote-grading mechanism's tests and benchmark.

``build_course(where)`` writes a complete course folder: ``nbgrader_config.py``
(the repository's), the source notebook ``notebooks/lab_mini/lab_mini.ipynb``,
its checks ``minilab_checks.py`` (run by the grader process, from the course
folder) and their hidden data ``graders/hidden/minilab_cases.json``. Each
hidden test cell calls ``graders.remote.hidden_check``; with
``remote=False`` the same checks run inside the kernel instead (the old way,
for timing). The exercises: an exact ``Decimal`` cost, a request «optimizer»
judged on a cut the grader measures itself, and a classifier judged on
hidden labels. ``SUBMISSIONS`` are the solutions' sources a learner might
write, honest and cheating, keyed by name.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat

from course_lib.paths import REPO_ROOT

LAB_ID = "lab_mini"

CHECKS = '''"""Hidden checks of lab_mini, run by the grader process (graders.verdicts)."""
import json
from decimal import Decimal
from pathlib import Path

from graders.verdicts import describe, exact

CASES = Path(__file__).resolve().parent / "graders" / "hidden" / "minilab_cases.json"


def _cases():
    return json.loads(CASES.read_text(encoding="utf-8"))


def check_coste(worker):
    for ti, to, pe, ps in _cases()["coste"]:
        precios = {"entrada": Decimal(pe), "salida": Decimal(ps)}
        esperado = (ti * precios["entrada"] + to * precios["salida"]) / Decimal(1_000_000)
        obtenido = worker.call("coste", ti, to, precios)
        if not exact(obtenido, esperado):
            raise AssertionError(f"Ejercicio 1: con {ti} tokens de entrada y {to} de salida esperaba {esperado} "
                                 f"(Decimal) y devolviste {describe(obtenido)}. Pista: calcula todo en Decimal.")


def _palabras(peticion):
    return sum(len(m["content"].split()) for m in peticion["messages"])


def check_recorte(worker):
    for peticion in _cases()["peticiones"]:
        base = _palabras(peticion)
        obtenida = worker.call("recortar", json.loads(json.dumps(peticion)))
        if type(obtenida) is not dict or type(obtenida.get("messages")) is not list or not all(
                type(m) is dict and type(m.get("content")) is str for m in obtenida["messages"]):
            raise AssertionError(f"Ejercicio 2: esperaba una petición (dict con messages) y devolviste "
                                 f"{describe(obtenida)}. Pista: devuelve un dict como el de entrada.")
        if obtenida["messages"][-1] != peticion["messages"][-1] or obtenida.get("model") != peticion["model"]:
            raise AssertionError("Ejercicio 2: cambiaste la pregunta del usuario o el modelo. Pista: recorta "
                                 "solo el mensaje de sistema.")
        recorte = 1 - _palabras(obtenida) / base
        if recorte < 0.2:
            raise AssertionError(f"Ejercicio 2: el recorte es del {recorte:.0%} y se pide al menos un 20 %. "
                                 "Pista: quita las líneas repetidas del mensaje de sistema.")


def check_pregunta(worker):
    for caso in _cases()["textos"]:
        obtenido = worker.call("es_pregunta", caso["texto"])
        if not exact(obtenido, caso["es_pregunta"]):
            raise AssertionError(f"Ejercicio 3: para {caso['texto']!r} esperaba {caso['es_pregunta']} y devolviste "
                                 f"{describe(obtenido)}. Pista: una pregunta acaba en «?» o empieza por un "
                                 "interrogativo.")
'''

CASES = {
    "coste": [[1234567, 89, "2.50", "10.00"], [1, 1, "0.15", "0.60"], [999999, 333333, "1.10", "4.40"],
              [0, 7, "3", "15"], [70001, 0, "0.075", "0.3"]],
    "peticiones": [
        {"model": "gpt-4o-mini", "messages": [
            {"role": "system", "content": "Eres el asistente de Mercadela.\nResponde en español.\n"
                                          "Eres el asistente de Mercadela.\nSé breve y amable.\nResponde en español."},
            {"role": "user", "content": "¿Cuánto tarda un envío a Canarias?"}]},
        {"model": "gpt-4o", "messages": [
            {"role": "system", "content": "Nunca inventes datos.\n  Cita la política de devoluciones.\n"
                                          "Nunca inventes datos.\nCita la política de devoluciones.\nNunca inventes datos."},
            {"role": "user", "content": "Quiero devolver unas zapatillas."}]},
    ],
    "textos": [{"texto": t, "es_pregunta": v} for t, v in [
        ("¿Cuánto cuesta el envío?", True), ("cómo cambio la dirección", True), ("Gracias por todo.", False),
        ("  ¿Aceptáis Bizum?  ", True), ("Quiero devolver un pedido", False), ("   ", False),
        ("Por qué no llega mi paquete", True), ("El pedido llegó roto?", True)]],
}

SETUP = "from decimal import Decimal\nPRECIOS = {'entrada': Decimal('2.50'), 'salida': Decimal('10.00')}"
SOLUTIONS = {
    "ej1_coste": "def coste(tokens_entrada, tokens_salida, precios):\n"
                 "    return (tokens_entrada * precios['entrada'] + tokens_salida * precios['salida']) / Decimal(1_000_000)",
    "ej2_recorte": "def recortar(peticion):\n    mensajes = []\n    for m in peticion['messages']:\n"
                   "        if m['role'] == 'system':\n"
                   "            lineas = dict.fromkeys(' '.join(l.split()) for l in m['content'].splitlines() if l.strip())\n"
                   "            m = {**m, 'content': '\\n'.join(lineas)}\n        mensajes.append(m)\n"
                   "    return {**peticion, 'messages': mensajes}",
    "ej3_pregunta": "INTERROGATIVOS = ('qué', 'cómo', 'cuándo', 'dónde', 'cuánt', 'cuál', 'quién', 'por qué')\n"
                    "def es_pregunta(texto):\n    t = texto.strip().lower()\n"
                    "    return t.endswith('?') or t.lstrip('¿').startswith(INTERROGATIVOS)",
}
VISIBLE = {
    "ej1_coste": "assert coste(1000, 0, PRECIOS) == Decimal('0.0025'), 'Ejercicio 1: 1000 tokens a 2,50 USD/M son 0,0025 USD.'",
    "ej2_recorte": "_p = {'model': 'm', 'messages': [{'role': 'system', 'content': 'a\\na\\nb'}, {'role': 'user', 'content': 'q'}]}\n"
                   "assert recortar(_p)['messages'][-1] == _p['messages'][-1], 'Ejercicio 2: conserva la pregunta.'",
    "ej3_pregunta": "assert es_pregunta('¿Qué tal?') is True and es_pregunta('Hola.') is False, 'Ejercicio 3: revisa los casos.'",
}
CHECK_OF = {"ej1_coste": ("coste", "check_coste"), "ej2_recorte": ("recortar", "check_recorte"),
            "ej3_pregunta": ("es_pregunta", "check_pregunta")}


def _hidden(exercise: str, remote: bool) -> str:
    name, check = CHECK_OF[exercise]
    test_id = f"{exercise}_test"
    if remote:
        body = f"from graders import remote\nremote.hidden_check({test_id!r}, 'minilab_checks:{check}', {name}={name})"
    else:  # the old way: the same check inside the learner's kernel
        body = (f"import minilab_checks\nfrom graders.verdicts import LocalWorker\n"
                f"minilab_checks.{check}(LocalWorker({{{name!r}: {name}}}))")
    return f"{VISIBLE[exercise]}\n### BEGIN HIDDEN TESTS\n{body}\n### END HIDDEN TESTS"


def _meta(grade_id: str, **kw) -> dict:
    return {"nbgrader": {"schema_version": 3, "grade": False, "solution": False, "locked": False,
                         "grade_id": grade_id, **kw}}


def source_notebook(*, remote: bool = True):
    """The instructor's notebook: setup, then per exercise a solution cell and a 2-point test cell."""
    new = nbformat.v4.new_code_cell
    cells = [nbformat.v4.new_markdown_cell("# Laboratorio mínimo"),
             new(SETUP, id="setup", metadata=_meta("setup", locked=True))]
    for exercise, solution in SOLUTIONS.items():
        cells.append(new(f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION", id=exercise,
                         metadata=_meta(exercise, solution=True)))
        cells.append(new(_hidden(exercise, remote), id=f"{exercise}_test",
                         metadata=_meta(f"{exercise}_test", grade=True, locked=True, points=2)))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return nb


def build_course(where: Path, *, remote: bool = True, timeout: int = 30):
    """Write the mini course to ``where`` and return its ``Course`` (not released yet)."""
    from course_lib.course.grading import Course

    where = Path(where)
    shutil.copy(REPO_ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    (where / "notebooks" / LAB_ID).mkdir(parents=True)
    nbformat.write(source_notebook(remote=remote), where / "notebooks" / LAB_ID / f"{LAB_ID}.ipynb")
    (where / "minilab_checks.py").write_text(CHECKS, encoding="utf-8")
    (where / "graders" / "hidden").mkdir(parents=True)
    (where / "graders" / "hidden" / "minilab_cases.json").write_text(json.dumps(CASES, ensure_ascii=False),
                                                                    encoding="utf-8")
    return Course(where, timeout=timeout)


def submission(release_nb, answers: dict[str, str], *, after_setup: str | None = None):
    """The release notebook with ``answers`` (grade_id → source) and an optional cell after setup."""
    import copy

    nb = copy.deepcopy(release_nb)
    cells = []
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
        cells.append(cell)
        if gid == "setup" and after_setup:
            cells.append(nbformat.v4.new_code_cell(after_setup, id="mi-celda"))
    nb.cells = cells
    return nb
