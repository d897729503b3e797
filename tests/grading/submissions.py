"""Build student submissions of any lab from its release and source notebooks.

A learner's notebook is the release version with some solution cells filled in
(from the source notebook) and, for the adversarial cases, edited the way a
learner might. ``generic_cases`` builds the set every lab is graded against,
with the points each test cell deserves, from the notebooks' nbgrader metadata
alone: an infinite loop, an exception at import, deleted test cells, edited
test cells, monkeypatched graders (several attacks share a notebook: each keeps
some exercises right, so one grading run shows that grading went on), and the attacks on hidden
checks that run out of the kernel (a fake ``graders.remote`` loaded at import time, another
``graders`` package first on the path, a look for the hidden files). A lab adds its own cases in
``tests/grading/labs/<lab>.py`` with the same helpers.

``python -m tests.grading.submissions [lab ...]`` rewrites the sample
submissions shipped in ``tests/files/<lab>_entregas/``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

import nbformat

INFINITE_LOOP = "while True:\n    pass\n"
BAD_IMPORT = "import paquete_que_no_existe\n"
# Replaces every check function of every loaded graders module, and swallows every error.
PATCH_GRADERS = """
import sys
for _nombre, _modulo in list(sys.modules.items()):
    if _nombre.split(".")[0] == "graders":
        for _atributo in dir(_modulo):
            if _atributo.startswith("check_"):
                setattr(_modulo, _atributo, lambda *a, **k: print("✔ todo correcto"))
get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)
"""
EDITED_TEST = "print('✔ Ejercicio correcto')"
REMOTE_CHEAT_MARK = "TRAMPA REMOTA ACTIVA"
HIDDEN_LISTING = "CARPETA OCULTA:"
# Every later `from graders import remote` gets a fake that prints success (a finder first on
# sys.meta_path), a second fake `graders` package is first on sys.path, and the cell reports what
# it can see of graders/hidden/ (the sandbox empties it).
FAKE_REMOTE = "def hidden_check(*a, **k):\n    print('✔ Pruebas ocultas superadas.')\n"
REMOTE_CHEATS = f"""
import os, sys, importlib.abc, importlib.util, pathlib
print({REMOTE_CHEAT_MARK!r})
class _Falso(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name == 'graders.remote' else None
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        exec({FAKE_REMOTE!r}, module.__dict__)
sys.meta_path.insert(0, _Falso())
_paquete = os.path.join('otro', 'graders')
os.makedirs(_paquete, exist_ok=True)
open(os.path.join(_paquete, '__init__.py'), 'w').close()
open(os.path.join(_paquete, 'remote.py'), 'w').write({FAKE_REMOTE!r})
sys.path.insert(0, os.path.abspath('otro'))
for _m in list(sys.modules):
    if _m.split('.')[0] == 'graders':
        del sys.modules[_m]
import course_lib.paths
_oculta = course_lib.paths.REPO_ROOT / 'graders' / 'hidden'
print({HIDDEN_LISTING!r}, sorted(os.listdir(_oculta)) if _oculta.is_dir() else 'no existe')
"""


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _grade_id(cell) -> str | None:
    return _meta(cell).get("grade_id")


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n") if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


def solutions(source_nb) -> dict[str, str]:
    """Solution cell sources of the source notebook, without nbgrader's markers."""
    return {_grade_id(c): _strip_markers(c.source) for c in source_nb.cells if _meta(c).get("solution")}


def test_points(source_nb) -> dict[str, float]:
    """``grade_id`` → points of every graded test cell, in notebook order."""
    return {_grade_id(c): _meta(c)["points"] for c in source_nb.cells
            if _meta(c).get("grade") and not _meta(c).get("solution")}


def exercises(source_nb) -> dict[str, list[str]]:
    """Solution grade_id → the test cells after it (up to the next solution cell)."""
    out: dict[str, list[str]] = {}
    current = None
    for cell in source_nb.cells:
        meta = _meta(cell)
        if meta.get("solution"):
            current = meta["grade_id"]
            out[current] = []
        elif meta.get("grade") and current is not None:
            out[current].append(meta["grade_id"])
    return out


def expected(source_nb, broken=(), *, depends: Mapping[str, tuple[str, ...]] = ()) -> dict[str, float]:
    """Points each test cell deserves when the solutions in ``broken`` are wrong or missing."""
    owner = {test: sol for sol, tests in exercises(source_nb).items() for test in tests}
    depends = dict(depends or {})
    broken = set(broken)
    return {test: 0 if ({owner.get(test)} | set(depends.get(test, ()))) & broken else pts
            for test, pts in test_points(source_nb).items()}


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


def lesson_cells_removed(nb):
    """``nb`` without its unlocked lesson code cells (a learner may delete them): only the setup,
    solution, test and locked cells (and those :func:`student` inserted) are left, so a notebook
    that attacks the grading runs in seconds."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or _meta(c).get("solution") or _meta(c).get("grade")
                or _meta(c).get("locked") or str(c.get("id", "")).startswith("extra-")]
    return nb


def generic_cases(release_nb, source_nb, *, depends=()) -> dict[str, tuple[object, dict[str, float]]]:
    """The submissions every lab is graded against, with the points each deserves."""
    answers = solutions(source_nb)
    order = list(exercises(source_nb))
    tests = list(test_points(source_nb))
    first, last = order[0], order[-1]
    half = order[: (len(order) + 1) // 2]
    s = lambda **kw: student(release_nb, source_nb, **kw)  # noqa: E731
    e = lambda broken=(): expected(source_nb, broken, depends=depends)  # noqa: E731
    broken_cells = {first: INFINITE_LOOP + answers[first]}
    broken_cells[last] = BAD_IMPORT + broken_cells.get(last, answers[last])
    return {
        "completo": (s(), e()),
        "vacio": (s(solved=[]), e(order)),
        "parcial": (s(solved=half), e(set(order) - set(half))),
        # the loop times out and is interrupted, the import fails, every test cell was deleted:
        # nbgrader restores the tests and runs them, and the other exercises keep their points
        "bucle_import_sin_tests": (s(replace=broken_cells, delete=set(tests)), e({first, last})),
        # no answers, test cells rewritten to pass, every check patched, every error swallowed
        "trampas": (s(solved=[], replace={t: EDITED_TEST for t in tests}, insert_after={"setup": PATCH_GRADERS}),
                    e(order)),
        # no answers, no lesson cells; every hidden check faked in the kernel: the grader's verdicts still say no
        "trampa_remota": (lesson_cells_removed(s(solved=[], insert_after={"setup": REMOTE_CHEATS})), e(order)),
    }


def all_cases(cases, release_nb, source_nb) -> dict[str, tuple[object, dict[str, float]]]:
    """Generic cases plus the lab's own (``cases`` is its ``LabCases``)."""
    every = generic_cases(release_nb, source_nb, depends=cases.depends)
    extra = cases.extra(release_nb, source_nb) if cases.extra else {}
    clash = set(every) & set(extra)
    assert not clash, f"{cases.lab}: casos propios con nombres genéricos: {clash}"
    return {**every, **extra}


def write_samples(cases, release_nb, source_nb) -> list:
    """Write the lab's sample submissions to ``tests/files/<lab>_entregas/``."""
    folder = cases.samples_dir
    folder.mkdir(parents=True, exist_ok=True)
    every = generic_cases(release_nb, source_nb, depends=cases.depends)
    paths = []
    for name in cases.samples:
        path = folder / f"{name}.ipynb"
        nbformat.write(every[name][0], path)
        paths.append(path)
    return paths


if __name__ == "__main__":  # python -m tests.grading.submissions [lab ...]
    import sys
    import tempfile
    from pathlib import Path

    from tests.grading.conftest import make_course
    from tests.grading.registry import registered

    labs = registered()
    for lab in sys.argv[1:] or sorted(labs):
        with tempfile.TemporaryDirectory() as tmp:
            course = make_course(Path(tmp), lab)
            course.release(lab)
            release = nbformat.read(course.release_notebook(lab), as_version=4)
            source = nbformat.read(course.source_notebook(lab), as_version=4)
            for path in write_samples(labs[lab], release, source):
                print(f"escrito {path}")
