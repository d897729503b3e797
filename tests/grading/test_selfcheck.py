"""Can a self-paced learner grade their own notebook of any lab and read the instructor's result?"""

from __future__ import annotations

import nbformat
import pytest

from course_lib.course.cli import main
from course_lib.course.grading import prepare

from .conftest import REGISTRY
from .test_pipeline import hidden_markers

# The first test of each lab also grades all its submissions (minutes on 2 cores).
pytestmark = pytest.mark.timeout(1200)


def test_does_grading_twice_give_the_same_points_and_save_the_feedback(course, graded, lab, tmp_path, capsys):
    """Graded again, self-paced, in another course folder, the same submission gets the same points."""
    name, lab_id = REGISTRY[lab].regrade, course.lab_id(lab)
    mine = tmp_path / f"mi_{lab}.ipynb"
    nbformat.write(nbformat.read(course.root / "submitted" / name / lab_id / f"{lab_id}.ipynb", as_version=4), mine)
    assert main(["check", lab, "--notebook", str(mine), "--timeout", "45"]) == 0
    out = capsys.readouterr().out
    instructor = graded["scores"][name]
    assert f"Resultado de {lab_id}: {instructor.score:g} / {instructor.max_score:g} puntos" in out
    for item in instructor.items:
        assert f"{item.name}: {item.score:g} / {item.max_score:g}" in out
        if item.score == 0:
            assert f"\n{item.name}:\n  " in out  # each failed exercise prints its message
    feedback = tmp_path / f"mi_{lab}_feedback.html"
    assert feedback.exists() and str(feedback) in out


def test_does_prepare_write_the_student_version_without_overwriting(lab, notebooks, tmp_path):
    target = tmp_path / "mis_labs" / f"{lab}.ipynb"
    assert prepare(lab, target) == target
    text = target.read_text(encoding="utf-8")
    assert "raise NotImplementedError()" in text and "BEGIN SOLUTION" not in text
    assert "HIDDEN TESTS" not in text
    assert not [m for m in hidden_markers(notebooks[1]) if m in text]
    target.write_text("mi trabajo", encoding="utf-8")
    prepare(lab, target)
    assert target.read_text(encoding="utf-8") == "mi trabajo"


def test_does_the_release_leave_out_the_lesson_source(course, lab):
    folder = course.release_notebook(lab).parent
    assert course.release_notebook(lab).exists() and not list(folder.rglob("*.py"))


def test_does_check_explain_a_missing_notebook(lab, tmp_path, capsys):
    assert main(["check", lab, "--notebook", str(tmp_path / "no_existe.ipynb")]) == 2
    assert "--preparar" in capsys.readouterr().err
