"""A throw-away copy of the course, its lab 1 release, and one grading run of many submissions.

Grading is slow (a kernel per notebook), so the whole adversarial set is graded
once per session by the instructor's command (``costlab grade todo``) and the
tests read the results: CSV, gradebook scores and feedback HTML.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from course_lib.course.grading import Course
from course_lib.paths import REPO_ROOT

from .submissions import build_all

LAB = "lab1"
SAMPLES_DIR = REPO_ROOT / "tests" / "files" / "lab1_entregas"
CELL_TIMEOUT = 30  # per cell, seconds: far above any real cell, short enough for the loop case


def make_course(where: Path) -> Course:
    """Copy nbgrader_config.py and the lab's source folder to ``where``."""
    shutil.copy(REPO_ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    shutil.copytree(REPO_ROOT / "notebooks" / "lab1_tokens", where / "notebooks" / "lab1_tokens",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return Course(where, timeout=CELL_TIMEOUT)


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Course:
    course = make_course(tmp_path_factory.mktemp("curso"))
    course.release(LAB)
    return course


@pytest.fixture(scope="session")
def notebooks(course):
    release = nbformat.read(course.release_notebook(LAB), as_version=4)
    source = nbformat.read(course.source_notebook(LAB), as_version=4)
    return release, source


@pytest.fixture(scope="session")
def graded(course, notebooks, tmp_path_factory):
    """Grade every submission in one run with ``costlab grade todo``; return what it produced."""
    from course_lib.course.cli import main

    entregas = tmp_path_factory.mktemp("entregas")
    expected = {}
    for name, (nb, score) in build_all(*notebooks).items():
        sample = SAMPLES_DIR / f"{name}.ipynb"
        if sample.exists():  # the shipped samples are graded as shipped
            shutil.copy(sample, entregas / sample.name)
        else:
            nbformat.write(nb, entregas / f"{name}.ipynb")
        expected[name] = score
    csv_path = course.root / "notas.csv"
    code = main(["grade", "todo", LAB, "--curso", str(course.root), "--entregas", str(entregas),
                 "--csv", str(csv_path), "--timeout", str(CELL_TIMEOUT), "--procesos", "2"])
    assert code == 0
    return {"expected": expected, "csv": csv_path,
            "scores": {s.student: s for s in course.scores(LAB)}}
