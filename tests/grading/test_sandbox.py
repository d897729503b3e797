"""Does a hidden check out of the kernel's reach stop each class of cheat, and still score honest work?

One mini course (``sandbox_lab``: three 2-point exercises whose hidden cells use
``graders.remote``) is graded once by ``costlab grade todo --procesos 2``
against honest, wrong and cheating submissions. Each cheat is written to
fool checks that run in the learner's kernel — and, with those answers
(wrong but passing the visible asserts), the kernel side indeed shows no
error — yet earns nothing, because points come from the grader process's
verdicts.
"""

from __future__ import annotations

import os

import nbformat
import pytest

from course_lib.course.grading.sandbox import bwrap_problem
from course_lib.paths import REPO_ROOT

from .sandbox_lab import LAB_ID, SOLUTIONS, build_course, submission

# Skipped on a machine without bubblewrap, except in CI (CI=true), where grading then fails saying why.
pytestmark = [pytest.mark.timeout(600),
              pytest.mark.skipif(bwrap_problem() is not None and not os.environ.get("CI"),
                                 reason=f"sin bubblewrap: {bwrap_problem()}")]

# Wrong but plausible: each passes its visible assert and fails the hidden cases.
NAIVE = {
    "ej1_coste": "def coste(ti, to, precios):\n"
                 "    return Decimal(ti * float(precios['entrada']) + to * float(precios['salida'])) / Decimal(1_000_000)",
    "ej2_recorte": "def recortar(peticion):\n    return peticion",
    "ej3_pregunta": "def es_pregunta(texto):\n    return texto.strip().endswith('?')",
}
WARNS = {  # correct, but warns and logs on every call
    **SOLUTIONS,
    "ej3_pregunta": "import logging, warnings\n" + SOLUTIONS["ej3_pregunta"].replace(
        "    t = texto.strip().lower()",
        "    warnings.warn('compruebo un texto'); logging.getLogger().warning('texto: %s', texto)\n"
        "    t = texto.strip().lower()"),
}
CELL_TIMEOUT = 15  # seconds: every cell of the mini lab takes well under one; the loop case waits this long
MARK = "print('TRAMPA ACTIVA')\n"
FAKE_REMOTE = "def hidden_check(*a, **k):\n    print('✔ Pruebas ocultas superadas.')\n"
CHEATS = {
    # builtins and the helpers a check calls, replaced (not isinstance: it would break the kernel itself)
    "trampa_builtins": MARK + "import builtins\nbuiltins.sum = lambda *a, **k: 0\nbuiltins.round = lambda *a, **k: 0\n"
                              "builtins.abs = lambda x: 0\nimport graders.verdicts as _v\n"
                              "_v.exact = lambda a, b: True\n_v.run_check = lambda spec, worker: (True, 'ok')\n",
    "trampa_parche": MARK + (
        "import sys, types, importlib.abc, importlib.util\n"
        "class _Falso(importlib.abc.MetaPathFinder, importlib.abc.Loader):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        return importlib.util.spec_from_loader(name, self) if name == 'graders.remote' else None\n"
        "    def create_module(self, spec): return None\n"
        f"    def exec_module(self, module): exec({FAKE_REMOTE!r}, module.__dict__)\n"
        "sys.meta_path.insert(0, _Falso())\n"
        "for m in [m for m in sys.modules if m.startswith('graders')]: del sys.modules[m]\n"),
    "trampa_paquete": MARK + (
        "import os, sys\nos.makedirs('otro/graders', exist_ok=True)\n"
        "open('otro/graders/__init__.py', 'w').close()\n"
        f"open('otro/graders/remote.py', 'w').write({FAKE_REMOTE!r})\n"
        "sys.path.insert(0, os.path.abspath('otro'))\n"
        "for m in [m for m in sys.modules if m.startswith('graders')]: del sys.modules[m]\n"),
    "trampa_silencio": MARK + "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: print('✔ bien'))\n",
    "trampa_base": MARK + (  # a baseline that makes any request look cut by 90 %, for a check that asked the kernel
        "import sys, types\n_m = types.ModuleType('minilab_checks')\n"
        "_m._palabras = lambda p: 1 if p.get('_recortada') else 10\n"
        "_m.check_recorte = lambda worker: None\nsys.modules['minilab_checks'] = _m\n"),
}
EQUAL_TO_ALL = {
    "ej1_coste": "class _D(Decimal):\n    def __eq__(self, other): return True\n    __hash__ = Decimal.__hash__\n"
                 "def coste(ti, to, precios):\n    return _D(0)",
    "ej2_recorte": "class _Todo(dict):\n    def __eq__(self, other): return True\n"
                   "    def __getitem__(self, k): return _Todo()\n    def get(self, k, d=None): return _Todo()\n"
                   "def recortar(peticion):\n    return _Todo()",
    "ej3_pregunta": "class _Si:\n    def __eq__(self, other): return True\n    def __bool__(self): return True\n"
                    "def es_pregunta(texto):\n    return _Si()",
}
READS_HIDDEN = {
    **SOLUTIONS,
    "ej3_pregunta": "import json, pathlib\n"
                    "def es_pregunta(texto):\n"
                    f"    for raiz in (pathlib.Path.cwd().parents[2], pathlib.Path({str(REPO_ROOT)!r})):\n"
                    "        f = raiz / 'graders' / 'hidden' / 'minilab_cases.json'\n"
                    "        if f.exists():\n"
                    "            return {c['texto']: c['es_pregunta'] for c in json.loads(f.read_text())['textos']}[texto]\n"
                    "    return texto.strip().endswith('?')",
}
LOOK_AROUND = f"""import os, pathlib
_r = pathlib.Path({str(REPO_ROOT)!r})
def _lee(p):
    try:
        return str(len(open(p).read()))
    except OSError as e:
        return type(e).__name__
def _escribe(p):
    try:
        open(p, 'w').write('x'); return 'escrito'
    except OSError as e:
        return type(e).__name__
print('OCULTOS', sorted(os.listdir(_r / 'graders' / 'hidden')), os.path.exists(_r / '.git' / 'HEAD'),
      _lee(_r / 'graders' / 'build_lab1_hidden.py'), os.listdir(_r / 'worldgen'),
      _escribe(_r / 'graders' / 'lab_mini_trampa.py'), _escribe(_r / 'gradebook_trampa.db'),
      sorted(os.listdir(pathlib.Path.cwd().parents[1])), _lee(pathlib.Path.cwd().parents[2] / 'gradebook.db'))
"""


def _cases(release):
    full = {"ej1_coste_test": 2.0, "ej2_recorte_test": 2.0, "ej3_pregunta_test": 2.0}
    zero = dict.fromkeys(full, 0.0)
    cases = {
        "completo": (submission(release, SOLUTIONS), full),
        "vacio": (submission(release, {}), zero),
        "ingenuo": (submission(release, NAIVE), zero),
        "avisa": (submission(release, WARNS), full),
        "trampa_igual": (submission(release, EQUAL_TO_ALL), zero),
        # the loop times out and is interrupted inside the sandbox; the kernel lives on for the rest
        "bucle": (submission(release, {**SOLUTIONS, "ej1_coste": "def coste(*a):\n    while True:\n        pass"}),
                  {**full, "ej1_coste_test": 0.0}),
        "trampa_ocultos": (submission(release, READS_HIDDEN, after_setup=LOOK_AROUND),
                           {**full, "ej3_pregunta_test": 0.0}),
    }
    for name, cell in CHEATS.items():
        cases[name] = (submission(release, NAIVE, after_setup=cell), zero)
    return cases


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from course_lib.course.cli import main

    root = tmp_path_factory.mktemp("curso_mini")
    course = build_course(root)
    course.release(LAB_ID)
    release = nbformat.read(course.release_notebook(LAB_ID), as_version=4)
    entregas = tmp_path_factory.mktemp("entregas_mini")
    cases = _cases(release)
    for name, (nb, _) in cases.items():
        nbformat.write(nb, entregas / f"{name}.ipynb")
    code = main(["grade", "todo", LAB_ID, "--curso", str(root), "--entregas", str(entregas),
                 "--csv", str(root / "notas.csv"), "--timeout", str(CELL_TIMEOUT), "--procesos", "2"])
    assert code == 0
    scores = {s.student: {i.name: i.score for i in s.items} for s in course.scores(LAB_ID)}
    return {"course": course, "scores": scores, "expected": {n: pts for n, (_, pts) in cases.items()}}


def _outputs(course, student) -> tuple[list, str]:
    nb = nbformat.read(course.root / "autograded" / student / LAB_ID / f"{LAB_ID}.ipynb", as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
             and not c.metadata["nbgrader"].get("solution")]
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return tests, text


def test_does_every_submission_get_the_points_its_work_deserves(graded):
    assert graded["scores"] == graded["expected"]


def test_is_no_sandboxed_kernel_or_grader_left_running(graded):
    import psutil

    root = str(graded["course"].root)
    left = [p.pid for p in psutil.process_iter(["cmdline"]) if root in " ".join(p.info["cmdline"] or [])]
    assert not left


@pytest.mark.parametrize("name", ["trampa_parche", "trampa_paquete"])
def test_would_the_kernel_alone_have_given_full_marks_to_the_cheat(graded, name):
    """The cheat works inside the kernel (no test cell shows an error); the verdicts still give 0."""
    tests, text = _outputs(graded["course"], name)
    assert "TRAMPA ACTIVA" in text and text.count("✔ Pruebas ocultas superadas.") == 3
    assert not [c for c in tests if any(o.get("output_type") == "error" for o in c.outputs)]
    assert sum(graded["scores"][name].values()) == 0


def test_does_swallowing_the_checks_exceptions_earn_nothing(graded):
    _, text = _outputs(graded["course"], "trampa_silencio")
    assert "TRAMPA ACTIVA" in text and "✔ bien" in text  # every failure was swallowed in the kernel
    assert sum(graded["scores"]["trampa_silencio"].values()) == 0


def test_does_the_feedback_show_the_verdict_that_scored_each_hidden_cell(graded):
    import html
    import re

    course = graded["course"]
    page = course.feedback_file(LAB_ID, "trampa_silencio").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert text.count("✘ Veredicto del corrector") == 3 and "Pista: calcula todo en Decimal" in text
    assert "minilab_cases" not in text and "check_coste" not in text  # hidden sources stay hidden
    full = course.feedback_file(LAB_ID, "completo").read_text(encoding="utf-8")
    assert full.count("✔ Veredicto del corrector: pruebas ocultas superadas.") == 3


def test_does_a_correct_solution_that_warns_keep_its_points(graded):
    tests, _ = _outputs(graded["course"], "avisa")
    ej3 = next(c for c in tests if c.metadata["nbgrader"]["grade_id"] == "ej3_pregunta_test")
    assert any(o.get("name") == "stderr" for o in ej3.outputs)  # the visible assert's call warned: nbgrader'd fail it
    assert graded["scores"]["avisa"]["ej3_pregunta_test"] == 2.0


def test_can_the_kernel_neither_read_hidden_data_nor_write_the_course(graded):
    _, text = _outputs(graded["course"], "trampa_ocultos")
    line = next(ln for ln in text.splitlines() if ln.startswith("OCULTOS"))
    generator, gradebook = line.split()[3], line.split()[-1]  # an emptied file reads as "0" or is refused
    assert line == f"OCULTOS [] False {generator} [] OSError OSError ['trampa_ocultos'] {gradebook}", line
    assert {generator, gradebook} <= {"0", "PermissionError"}
    assert not (REPO_ROOT / "graders" / "lab_mini_trampa.py").exists() and not (REPO_ROOT / "gradebook_trampa.db").exists()


def test_does_a_hidden_failure_tell_the_learner_why(graded):
    tests, _ = _outputs(graded["course"], "ingenuo")
    errors = {c.metadata["nbgrader"]["grade_id"]: o["evalue"] for c in tests for o in c.outputs
              if o.get("output_type") == "error"}
    assert "calcula todo en Decimal" in errors["ej1_coste_test"]
    assert "el recorte es del 0%" in errors["ej2_recorte_test"]
    assert "'cómo cambio la dirección'" in errors["ej3_pregunta_test"]


def test_does_a_self_check_report_the_graders_verdicts_even_when_the_kernel_hid_them(graded, tmp_path):
    from course_lib.course.grading import check_notebook

    course = graded["course"]
    mine = tmp_path / "mio.ipynb"
    mine.write_bytes((course.root / "submitted" / "trampa_silencio" / LAB_ID / f"{LAB_ID}.ipynb").read_bytes())
    result = check_notebook(LAB_ID, mine, course_root=course.root, timeout=CELL_TIMEOUT)
    assert result.score.score == 0 and result.isolated
    assert "Pista: calcula todo en Decimal" in result.errors["ej1_coste_test"]
    assert "se pide al menos un 20 %" in result.errors["ej2_recorte_test"]


def _collected(tmp_path, answers: dict[str, dict[str, str]]):
    """A released mini course in ``tmp_path/curso`` with one collected submission per ``answers`` key."""
    (tmp_path / "curso").mkdir()
    course = build_course(tmp_path / "curso")
    course.release(LAB_ID)
    release = nbformat.read(course.release_notebook(LAB_ID), as_version=4)
    entregas = tmp_path / "entregas"
    entregas.mkdir()
    for name, code in answers.items():
        nbformat.write(submission(release, code), entregas / f"{name}.ipynb")
    course.collect(LAB_ID, entregas)
    return course


def test_does_a_parallel_class_grade_each_student_once_and_keep_every_verdict(tmp_path):
    """``jobs=2``: this process and one worker share the queue; every student is graded once,
    reported once, and the worker's verdicts reach the caller's ``Course`` like this process's own."""
    answers = {"a1": SOLUTIONS, "a2": NAIVE, "a3": SOLUTIONS, "a4": {}}
    course = _collected(tmp_path, answers)
    seen = []
    course.autograde(LAB_ID, jobs=2, progress=lambda done, total, name: seen.append((done, total, name)))
    assert sorted(name for _, _, name in seen) == sorted(answers)
    assert [(done, total) for done, total, _ in seen] == [(i, 4) for i in range(1, 5)]
    assert sorted(course.verdicts) == sorted(answers) and not course.failed
    passed = {name: sorted(g for g, v in course.verdicts[name].items() if v.passed) for name in answers}
    assert passed["a1"] == passed["a3"] == sorted(course.verdicts["a1"]) and passed["a2"] == passed["a4"] == []
    scores = {s.student: s.score for s in course.scores(LAB_ID)}
    assert scores == {"a1": 6.0, "a2": 0.0, "a3": 6.0, "a4": 0.0}


def test_is_a_kernel_that_could_not_bind_its_port_graded_again(tmp_path, monkeypatch):
    """Another process took the port jupyter_client chose for this kernel (parallel grading can):
    the kernel dies before any cell, and the student is graded again rather than scored 0."""
    import socket

    from jupyter_client.connect import LocalPortCache

    course = _collected(tmp_path, {"a1": SOLUTIONS})

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    choose = LocalPortCache.find_available_port
    handed = []

    def first_one_taken(self, ip):
        if not handed:
            handed.append(taken.getsockname()[1])
            return handed[0]
        return choose(self, ip)

    monkeypatch.setattr(LocalPortCache, "find_available_port", first_one_taken)
    try:
        course.autograde(LAB_ID, "a1")
    finally:
        taken.close()
    assert handed, "the first kernel never asked for a port"
    assert {s.student: s.score for s in course.scores(LAB_ID)} == {"a1": 6.0}
