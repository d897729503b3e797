"""Can a self-paced learner grade their own notebook and read the same result as the instructor?"""

from __future__ import annotations

import nbformat
import pytest

from course_lib.course.cli import main
from course_lib.course.grading import prepare

from .conftest import LAB

# The first test of a session also grades every submission (about two minutes on 2 cores).
pytestmark = pytest.mark.timeout(900)


def test_does_self_check_give_the_instructors_score_and_save_the_feedback(course, graded, tmp_path, capsys):
    """Graded again, in another course folder, the same submission gets the same points."""
    mine = tmp_path / "mi_lab1.ipynb"
    nbformat.write(nbformat.read(course.root / "submitted" / "sin_pregunta" / "lab1_tokens" / "lab1_tokens.ipynb",
                                 as_version=4), mine)
    assert main(["check", LAB, "--notebook", str(mine), "--timeout", "30"]) == 0
    out = capsys.readouterr().out
    instructor = graded["scores"]["sin_pregunta"]
    assert f"Resultado de lab1_tokens: {instructor.score:g} / 10 puntos" in out
    for item in instructor.items:
        assert f"{item.name}: {item.score:g} / {item.max_score:g}" in out
    assert "ej4_optimizador_test:\n  AssertionError: Ejercicio 4" in out and "Pista:" in out
    feedback = tmp_path / "mi_lab1_feedback.html"
    assert feedback.exists() and "Pista:" in feedback.read_text(encoding="utf-8")
    assert str(feedback) in out


def test_does_prepare_write_the_student_version_without_overwriting(tmp_path):
    target = tmp_path / "mis_labs" / "lab1_tokens.ipynb"
    assert prepare(LAB, target) == target
    text = target.read_text(encoding="utf-8")
    assert "raise NotImplementedError()" in text and "BEGIN SOLUTION" not in text
    assert "HIDDEN TESTS" not in text and "_oculto" not in text
    target.write_text("mi trabajo", encoding="utf-8")
    prepare(LAB, target)
    assert target.read_text(encoding="utf-8") == "mi trabajo"


def test_does_check_explain_a_missing_notebook(tmp_path, capsys):
    assert main(["check", LAB, "--notebook", str(tmp_path / "no_existe.ipynb")]) == 2
    assert "--preparar" in capsys.readouterr().err
