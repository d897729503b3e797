"""Does every lab's lesson file build its notebook, stay in sync with it, and run clean?"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import nbformat
import pytest

from course_lib.course import lessons
from course_lib.course.grading.config import LABS
from course_lib.paths import REPO_ROOT

from .conftest import REGISTRY


def _source(lab: str):
    return REPO_ROOT / "notebooks" / LABS[lab] / f"{LABS[lab]}.ipynb"


def test_is_every_lab_registered_in_the_grading_suite():
    from .registry import unregistered

    missing = unregistered()
    assert not missing, (f"Sin registrar en la suite de corrección: {missing}. Crea tests/grading/labs/<lab>.py "
                         "con CASES = LabCases(...) (ver notebooks/README.md).")
    assert sorted(REGISTRY) == sorted(LABS)
    assert set(LABS.values()) <= {p.stem for p in lessons.lesson_files()}  # each has its lesson


@pytest.mark.parametrize("lab", sorted(LABS))
def test_is_the_committed_notebook_what_the_lesson_file_builds(lab):
    assert lessons.stale([lab]) == [], f"{_source(lab)} está desfasado: regenéralo con {lessons.BUILD_COMMAND}"


@pytest.mark.parametrize("lab", sorted(LABS))
def test_is_the_source_notebook_committed_without_outputs(lab):
    nb = nbformat.read(_source(lab), as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")
    assert "jupytext" not in nb.metadata


@pytest.mark.timeout(900)
@pytest.mark.parametrize("lab", sorted(LABS))
def test_does_the_source_notebook_run_clean_under_nbval(lab, tmp_path):
    """Every cell, solutions and hidden tests included, runs without error (nbval --nbval-lax)."""
    nb = tmp_path / _source(lab).name
    shutil.copy(_source(lab), nb)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]))
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-cell-timeout=120", "-q",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), "-c", os.devnull, str(nb)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


# ------------------------------------------------------------------ the build step itself
LESSON = '''\
# %% [markdown]
# # Un lab
#
# Texto.

# %% nbgrader="setup"
{marker}
from graders import lab1

# %%
x = 1

# %% nbgrader="solution" grade_id="ej1_f"
def f():
    ### BEGIN SOLUTION
    return 1
    ### END SOLUTION

# %% nbgrader="tests" grade_id="ej1_f_test" points=2
### BEGIN HIDDEN TESTS
assert f() == 1
### END HIDDEN TESTS
assert callable(f)

# %% id="mi-celda"
y = 2

# %% nbgrader="comprueba_todo"
print("todo")
'''


def _lesson(tmp_path, text=None, name="labx_demo"):
    folder = tmp_path / "notebooks" / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(text if text is not None else LESSON.format(marker=lessons.SETUP_MARKER), encoding="utf-8")
    return path


def _cells(nb):
    return {c.id: c for c in nb.cells}


def test_do_compact_headers_expand_to_nbgrader_metadata(tmp_path):
    cells = _cells(lessons.build_notebook(_lesson(tmp_path)))
    assert cells["setup"].metadata["nbgrader"]["locked"] and not cells["setup"].metadata["editable"]
    assert cells["setup"].source.startswith(lessons.COMMON_SETUP) and "from graders import lab1" in cells["setup"].source
    assert cells["ej1_f"].metadata["nbgrader"] == {"schema_version": 3, "grade": False, "solution": True,
                                                   "locked": False, "grade_id": "ej1_f"}
    test = cells["ej1_f_test"]
    assert test.metadata["nbgrader"]["points"] == 2 and test.metadata["nbgrader"]["grade"]
    assert test.source.split("\n")[1:5] == lessons.HIDDEN_PRELUDE.split("\n")
    assert "mi-celda" in cells and cells["comprueba-todo"].source == 'print("todo")'
    assert "costlab check labx_demo" in cells["comprueba-todo-texto"].source
    assert all(set(c.metadata) <= {"nbgrader", "deletable", "editable", "tags"} for c in cells.values())


def test_does_inserting_a_cell_keep_every_other_id(tmp_path):
    before = [c.id for c in lessons.build_notebook(_lesson(tmp_path)).cells]
    text = LESSON.format(marker=lessons.SETUP_MARKER).replace("# %%\nx = 1\n", "# %%\nnueva = 0\n\n# %%\nx = 1\n")
    after = [c.id for c in lessons.build_notebook(_lesson(tmp_path, text)).cells]
    assert len(after) == len(before) + 1 and [i for i in after if i in before] == before


def test_is_the_build_deterministic(tmp_path):
    path = _lesson(tmp_path)
    assert lessons.render(path) == lessons.render(path)


@pytest.mark.parametrize("text, message", [
    (LESSON.format(marker="import sys"), "debe empezar con la línea"),
    (LESSON.format(marker=lessons.SETUP_MARKER).replace(" points=2", ""), "necesita points=N"),
    (LESSON.format(marker=lessons.SETUP_MARKER).replace(' grade_id="ej1_f"', ""), "necesita grade_id"),
    (LESSON.format(marker=lessons.SETUP_MARKER).replace('nbgrader="comprueba_todo"', 'nbgrader="otra"'), "no es válido"),
    (LESSON.format(marker=lessons.SETUP_MARKER).replace('id="mi-celda"', 'id="setup"'), "se repite"),
])
def test_is_a_malformed_lesson_refused_with_a_spanish_message(tmp_path, text, message):
    with pytest.raises(lessons.LessonError, match=message):
        lessons.build_notebook(_lesson(tmp_path, text))


def test_does_check_name_the_command_that_regenerates(tmp_path, capsys, monkeypatch):
    path = _lesson(tmp_path)
    monkeypatch.setattr(lessons, "REPO_ROOT", tmp_path)
    assert lessons.main(["check"]) == 1
    assert "make notebooks" in capsys.readouterr().err
    assert lessons.main(["build"]) == 0 and lessons.main(["check"]) == 0
    assert path.with_suffix(".ipynb").exists()


def test_does_the_setup_marker_run_the_common_setup_outside_the_build():
    namespace = {}
    lessons.preparacion(namespace)
    assert {"precios", "cliente", "pd", "plt", "Decimal", "REPO_ROOT"} <= set(namespace)
    assert str(REPO_ROOT) in sys.path


def test_does_a_lesson_open_with_jupytext_as_a_notebook_with_the_same_cells(tmp_path):
    """What an author sees in JupyterLab (jupytext's reader) is the built notebook minus the scaffolding."""
    import jupytext

    path = _lesson(tmp_path)
    seen = jupytext.read(path)
    built = [c for c in lessons.build_notebook(path).cells if c.id != "comprueba-todo-texto"]
    assert [c.cell_type for c in seen.cells] == [c.cell_type for c in built]
    plain = [(a.source, b.source) for a, b in zip(seen.cells, built) if "nbgrader" not in b.metadata]
    assert len(plain) >= 4 and all(a.strip() == b for a, b in plain)


def test_does_the_setup_marker_run_in_a_kernel_as_the_author_runs_the_lesson(tmp_path):
    """JupyterLab runs the .py's cells as jupytext reads them: the marker line runs the common setup."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.reads(f"# %%\n{lessons.SETUP_MARKER}\nprint(type(cliente).__name__, precios.get('gpt-4o').input)\n"
                        "print(plt.get_backend())\n", fmt="py:percent")
    nb.metadata["kernelspec"] = lessons.KERNEL_METADATA["kernelspec"]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "OpenAI 2.50" in out and "inline" in out
