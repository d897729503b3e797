"""Per registered lab: a throw-away course, its release, and one grading run of every submission.

Grading is slow (a kernel per notebook), so each lab's whole set of
submissions (``submissions.all_cases``) is graded once per session by the
instructor's command (``costlab grade todo``) and the tests read the results:
CSV, gradebook scores and feedback HTML. The ``lab`` fixture is parametrized
over ``registry.registered()``; ``graded_lab("lab1")`` gives one lab's results
to a lab-specific test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from course_lib.course.grading import Course
from course_lib.course.grading.config import LABS
from course_lib.paths import REPO_ROOT

from .registry import registered
from .submissions import all_cases

CELL_TIMEOUT = 45  # per cell, seconds: far above any real cell even on a loaded machine; the loop case waits this long
# Under pytest-xdist (`make test`) two workers already share the cores: one grading process each.
PROCESSES = "1" if os.environ.get("PYTEST_XDIST_WORKER") else "2"
REGISTRY = registered()


def make_course(where: Path, lab: str) -> Course:
    """Copy nbgrader_config.py and the lab's source folder to ``where``."""
    lab_id = LABS[lab]
    shutil.copy(REPO_ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    shutil.copytree(REPO_ROOT / "notebooks" / lab_id, where / "notebooks" / lab_id,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return Course(where, timeout=CELL_TIMEOUT)


class _Session:
    """Courses and grading results built once per lab and session."""

    def __init__(self, factory):
        self.factory = factory
        self.courses: dict[str, Course] = {}
        self.results: dict[str, dict] = {}

    def course(self, lab: str) -> Course:
        if lab not in self.courses:
            course = make_course(self.factory.mktemp(f"curso_{lab}"), lab)
            course.release(lab)
            self.courses[lab] = course
        return self.courses[lab]

    def notebooks(self, lab: str):
        course = self.course(lab)
        return (nbformat.read(course.release_notebook(lab), as_version=4),
                nbformat.read(course.source_notebook(lab), as_version=4))

    def graded(self, lab: str) -> dict:
        """Grade every submission of ``lab`` in one run with ``costlab grade todo``."""
        if lab in self.results:
            return self.results[lab]
        from course_lib.course.cli import main

        cases, course = REGISTRY[lab], self.course(lab)
        entregas = self.factory.mktemp(f"entregas_{lab}")
        expected = {}
        for name, (nb, score) in all_cases(cases, *self.notebooks(lab)).items():
            sample = cases.samples_dir / f"{name}.ipynb"
            if name in cases.samples and sample.exists():  # the shipped samples are graded as shipped
                shutil.copy(sample, entregas / sample.name)
            else:
                nbformat.write(nb, entregas / f"{name}.ipynb")
            expected[name] = score
        csv_path = course.root / "notas.csv"
        code = main(["grade", "todo", lab, "--curso", str(course.root), "--entregas", str(entregas),
                     "--csv", str(csv_path), "--timeout", str(CELL_TIMEOUT), "--procesos", PROCESSES])
        assert code == 0
        self.results[lab] = {"lab": lab, "course": course, "expected": expected, "csv": csv_path,
                             "scores": {s.student: s for s in course.scores(lab)}}
        return self.results[lab]


@pytest.fixture(scope="session")
def grading_session(tmp_path_factory) -> _Session:
    return _Session(tmp_path_factory)


@pytest.fixture(scope="session", params=sorted(REGISTRY))
def lab(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def course(grading_session, lab) -> Course:
    return grading_session.course(lab)


@pytest.fixture(scope="session")
def notebooks(grading_session, lab):
    return grading_session.notebooks(lab)


@pytest.fixture(scope="session")
def graded(grading_session, lab) -> dict:
    return grading_session.graded(lab)


@pytest.fixture(scope="session")
def graded_lab(grading_session):
    """``graded_lab("lab1")``: one lab's grading results, for lab-specific tests."""
    return grading_session.graded
