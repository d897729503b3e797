"""Does the instructor's pipeline give every submission the score it deserves?"""

from __future__ import annotations

import csv
import html
import re

import pytest

from .conftest import LAB

# The first test of a session also grades every submission (about two minutes on 2 cores).
pytestmark = pytest.mark.timeout(900)


def test_does_every_exercise_of_every_submission_get_the_points_it_deserves(graded):
    got = {name: {i.name: i.score for i in s.items} for name, s in graded["scores"].items()}
    assert got == graded["expected"]


def test_is_the_maximum_ten_points_in_four_exercises(graded):
    full = graded["scores"]["completo"]
    assert (full.score, full.max_score) == (10, 10)
    assert [(i.name, i.max_score) for i in full.items] == [
        ("ej1_coste_llamada_test", 2), ("ej2_tokens_chat_test", 2),
        ("ej3_estimar_test", 2), ("ej4_optimizador_test", 4)]


def test_does_the_release_version_score_zero(graded):
    assert graded["scores"]["vacio"].score == 0


def test_does_the_csv_have_one_row_per_student_with_exercise_columns(graded):
    with open(graded["csv"], encoding="utf-8") as fh:
        rows = {r["alumno"]: r for r in csv.DictReader(fh)}
    assert set(rows) == set(graded["expected"])
    for name, points in graded["expected"].items():
        assert float(rows[name]["nota"]) == sum(points.values())
        assert all(float(rows[name][k]) == v for k, v in points.items())
    assert rows["completo"]["porcentaje"] == "100.0" and rows["vacio"]["porcentaje"] == "0.0"


def _feedback_text(course, student):
    page = course.feedback_file(LAB, student).read_text(encoding="utf-8")
    return page, html.unescape(re.sub(r"<[^>]+>", "", page))


# Lines of the hidden test regions, paths of grader frames and hidden data files. (A learner's
# own cell may name a hidden check, as the monkeypatching submission does; that is not a leak.)
HIDDEN_MARKERS = ["BEGIN HIDDEN TESTS", "import lab1 as lab1_oculto", "lab1_opt_oculto",
                  "custom_exceptions = ()", "sys.modules", "graders/lab1", "graders/__init__",
                  "lab1_cases.json", "tasks_test"]


def test_does_feedback_never_show_hidden_tests_or_their_tracebacks(course, graded):
    for student in graded["expected"]:
        page, text = _feedback_text(course, student)
        leaked = [m for m in HIDDEN_MARKERS if m in page or m in text]
        assert not leaked, f"{student}: {leaked}"


def test_is_the_feedback_readable_spanish_with_the_hint(course, graded):
    _, text = _feedback_text(course, "bucle_infinito")
    assert "Ejercicio 4" in text and "Pista:" in text
    assert "pasaje con el dato necesario" in text
    assert "pruebas ocultas" in text  # the note that replaces hidden test code
    assert "Celda de test" in text and "Puntos: 4.0 / 10.0" in text and "Score" not in text
    _, text = _feedback_text(course, "sin_pregunta")
    assert "la pregunta del cliente ya no se reconoce" in text


def test_does_a_timed_out_cell_say_so_in_the_feedback(course, graded):
    _, text = _feedback_text(course, "bucle_infinito")
    assert "CellTimeoutError" in text or "KeyboardInterrupt" in text


def test_is_a_deleted_test_cell_restored_and_run(course, graded):
    _, text = _feedback_text(course, "trampas")
    assert "faltaba en la entrega y nbgrader la ha restaurado" in text
    assert graded["scores"]["trampas"].items[1].score == 2  # right answer, restored test passes




def test_are_the_shipped_sample_submissions_current(notebooks):
    """tests/files/lab1_entregas/ must match the lab; refresh with `python -m tests.grading.submissions`."""
    import nbformat

    from .conftest import SAMPLES_DIR
    from .submissions import SAMPLES, build_all

    every = build_all(*notebooks)
    for name in SAMPLES:
        shipped = nbformat.read(SAMPLES_DIR / f"{name}.ipynb", as_version=4)
        assert [c.source for c in shipped.cells] == [c.source for c in every[name][0].cells], name
