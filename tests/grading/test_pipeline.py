"""Does the instructor's pipeline give every submission of every lab the score it deserves?"""

from __future__ import annotations

import csv
import html
import re

import nbformat
import pytest

from course_lib.course.lessons import HIDDEN_PRELUDE
from course_lib.paths import HIDDEN_DIR

# The first test of each lab also grades all its submissions (minutes on 2 cores).
pytestmark = pytest.mark.timeout(2400)


def test_does_every_exercise_of_every_submission_get_the_points_it_deserves(graded):
    got = {name: {i.name: i.score for i in s.items} for name, s in graded["scores"].items()}
    assert got == graded["expected"]


def test_does_the_release_version_score_zero(graded):
    assert graded["scores"]["vacio"].score == 0


def test_does_the_solution_submitted_as_a_student_score_full_marks(graded, notebooks):
    from .submissions import test_points

    full = graded["scores"]["completo"]
    assert full.score == full.max_score == sum(test_points(notebooks[1]).values()) > 0


def test_does_the_csv_have_one_row_per_student_with_exercise_columns(graded):
    with open(graded["csv"], encoding="utf-8") as fh:
        rows = {r["alumno"]: r for r in csv.DictReader(fh)}
    assert set(rows) == set(graded["expected"])
    for name, points in graded["expected"].items():
        assert float(rows[name]["nota"]) == sum(points.values())
        assert all(float(rows[name][k]) == v for k, v in points.items())
    assert rows["completo"]["porcentaje"] == "100.0" and rows["vacio"]["porcentaje"] == "0.0"


def feedback_text(course, lab, student):
    page = course.feedback_file(lab, student).read_text(encoding="utf-8")
    return page, html.unescape(re.sub(r"<[^>]+>", "", page))


def hidden_markers(source_nb) -> list[str]:
    """Text that only hidden test regions, grader frames and hidden data would put on a page.

    (A learner's own cell may name a hidden check, as a monkeypatching submission does:
    only whole lines of the hidden regions count.)
    """
    prelude = set(HIDDEN_PRELUDE.split("\n"))
    lines = ["BEGIN HIDDEN TESTS", "custom_exceptions = ()", "for _m in [m for m in sys.modules"]
    hidden, shown = [], set()
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and line not in prelude and len(line.strip()) > 12:
                hidden.append(line.strip())
            elif not inside:
                shown.add(line.strip())
    lines += [line for line in hidden if line not in shown]  # a line also shown outside is no secret
    return lines + [p.name.split(".")[0] for p in HIDDEN_DIR.iterdir() if p.is_file()]


def test_does_feedback_never_show_hidden_tests_or_their_tracebacks(course, graded, notebooks, lab):
    markers = hidden_markers(notebooks[1])
    for student in graded["expected"]:
        page, text = feedback_text(course, lab, student)
        leaked = [m for m in markers if m in page or m in text]
        # (a learner's own graders package, as the remote cheat writes in otro/, is not ours)
        frames = re.findall(r"(?<!otro[/\\])graders[/\\]\w+\.py", page + text)
        assert not leaked and not frames, f"{student}: {leaked} {frames}"


def test_is_the_feedback_spanish_with_the_note_that_replaces_hidden_tests(course, graded, lab):
    _, text = feedback_text(course, lab, "completo")
    assert "pruebas ocultas" in text and "Celda de test" in text and "Score" not in text
    assert re.search(r"Puntos: [\d.]+ / [\d.]+", text)


def test_does_a_timed_out_cell_say_so_in_the_feedback(course, graded, lab):
    _, text = feedback_text(course, lab, "bucle_import_sin_tests")
    assert "CellTimeoutError" in text or "KeyboardInterrupt" in text
    assert "ModuleNotFoundError" in text and "paquete_que_no_existe" in text


def test_are_deleted_test_cells_restored_and_run(course, graded, lab):
    _, text = feedback_text(course, lab, "bucle_import_sin_tests")
    assert "faltaba en la entrega y nbgrader la ha restaurado" in text
    scores = graded["scores"]["bucle_import_sin_tests"]
    assert len(scores.items) == len(graded["expected"]["completo"])
    assert scores.score == sum(graded["expected"]["bucle_import_sin_tests"].values())


def test_do_edited_tests_and_patched_graders_earn_nothing(course, graded, lab):
    assert graded["scores"]["trampas"].score == 0
    graded_nb = nbformat.read(course.root / "autograded" / "trampas" / course.lab_id(lab)
                              / f"{course.lab_id(lab)}.ipynb", as_version=4)
    assert "✔ Ejercicio correcto" not in str([c.get("outputs") for c in graded_nb.cells])


def test_does_faking_the_hidden_checks_in_the_kernel_earn_nothing(course, graded, lab):
    """A fake graders.remote (import hook), a second graders package and a look for the hidden
    files: the kernel prints success, the grader process's verdicts give 0, the folder is empty."""
    from course_lib.course.grading.verdicts import remote_specs

    from .submissions import HIDDEN_LISTING, REMOTE_CHEAT_MARK

    assert graded["scores"]["trampa_remota"].score == 0
    lab_id = course.lab_id(lab)
    nb = nbformat.read(course.root / "autograded" / "trampa_remota" / lab_id / f"{lab_id}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert REMOTE_CHEAT_MARK in text and f"{HIDDEN_LISTING} []" in text
    specs = remote_specs(course.source_notebook(lab))
    verdicts = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") in specs]
    assert len(verdicts) == len(specs) and all(
        "✘ Veredicto del corrector" in "".join(o.get("text", "") for o in c.outputs) for c in verdicts)


def test_are_the_shipped_sample_submissions_current(notebooks, lab):
    """tests/files/<lab>_entregas/ must match the lab; refresh with `python -m tests.grading.submissions`."""
    from .conftest import REGISTRY
    from .submissions import generic_cases

    cases = REGISTRY[lab]
    every = generic_cases(*notebooks, depends=cases.depends)
    for name in cases.samples:
        shipped = nbformat.read(cases.samples_dir / f"{name}.ipynb", as_version=4)
        assert [c.source for c in shipped.cells] == [c.source for c in every[name][0].cells], (
            f"{name}: regenera con `python -m tests.grading.submissions {lab}`")
