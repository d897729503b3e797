"""The labs the grading suite covers, and what each adds to the generic cases.

Every lab of ``course_lib.course.grading.config.LABS`` must have a module
``tests/grading/labs/<lab>.py`` defining ``CASES = LabCases(...)``. The suite
(``tests/grading/test_*.py``) then runs, for each lab: the lesson builds and
its source notebook runs clean, the release scores 0, the solution scores full
marks, the generic adversarial set (``submissions.generic_cases``) gets what it
deserves, the lab's own extra submissions get their expected points, and
grading a submission again in another folder gives the same points.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from course_lib.course.grading.config import LABS
from course_lib.paths import REPO_ROOT

Builder = Callable[[object, object], dict]
"""``extra(release_nb, source_nb) -> {name: (notebook, {test grade_id: expected points})}``."""


@dataclass(frozen=True)
class LabCases:
    """How one lab joins the grading suite.

    ``depends`` maps a test cell's grade_id to the *other* solution cells it
    uses (exercise 3's test calls exercise 2's counter), so a broken solution
    also zeroes the tests that depend on it. ``extra`` builds the lab's own
    submissions (wrong-but-plausible answers, gaming of its metric).
    ``regrade`` is the submission graded a second time, self-paced, in another
    folder (pick one with mixed points). ``samples`` are the generic cases
    shipped in ``tests/files/<lab>_entregas/`` for instructors to try.
    """

    lab: str
    depends: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    extra: Builder | None = None
    regrade: str = "parcial"
    samples: tuple[str, ...] = ("completo", "parcial", "vacio")

    @property
    def lab_id(self) -> str:
        return LABS[self.lab]

    @property
    def samples_dir(self) -> Path:
        return REPO_ROOT / "tests" / "files" / f"{self.lab}_entregas"


def _module(lab: str):
    try:
        return importlib.import_module(f"tests.grading.labs.{lab}")
    except ModuleNotFoundError as exc:
        if exc.name != f"tests.grading.labs.{lab}":
            raise
        return None


def unregistered() -> list[str]:
    """Labs of ``LABS`` without ``tests/grading/labs/<lab>.py`` (a test fails naming them)."""
    return [lab for lab in sorted(LABS) if _module(lab) is None]


def registered() -> dict[str, LabCases]:
    """``{lab: LabCases}`` for every lab of ``LABS`` that has its module."""
    found = {}
    for lab in sorted(LABS):
        module = _module(lab)
        if module is None:
            continue
        cases = module.CASES
        if cases.lab != lab:
            raise LookupError(f"tests/grading/labs/{lab}.py registra {cases.lab!r}, no {lab!r}.")
        found[lab] = cases
    return found
