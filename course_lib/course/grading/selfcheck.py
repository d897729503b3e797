"""Self-paced grading: a learner grades their own copy of a lab, offline.

``prepare`` writes the student version of a lab (no solutions, no hidden
tests) to the learner's workspace, never overwriting their work.
``check_notebook`` builds a throw-away nbgrader course in a temporary folder
from the repository's source notebook, autogrades the learner's notebook there
exactly as an instructor would (hidden tests included), and returns the score
and a copy of the feedback HTML saved next to the notebook. Nothing is written
to the repository's ``release/``, ``submitted/`` or ``gradebook.db``.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from course_lib.course.grading.config import GradingError, assignment_id
from course_lib.course.grading.pipeline import Course, StudentScore
from course_lib.paths import REPO_ROOT

WORKSPACE = REPO_ROOT / "mis_labs"
"""Where learners keep their own copies of the labs (ignored by git)."""

_LEARNER = "yo"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of grading one learner notebook: score, feedback file, failure messages."""

    score: StudentScore
    feedback_html: Path
    errors: dict[str, str] = field(default_factory=dict)


def test_cell_errors(notebook: Path) -> dict[str, str]:
    """``grade_id`` → the one-line error of each failed test cell of a graded notebook."""
    import nbformat

    errors = {}
    for cell in nbformat.read(notebook, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade") or meta.get("solution"):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors[meta["grade_id"]] = f"{output.get('ename')}: {output.get('evalue')}".rstrip(": ")
    return errors


def default_notebook(lab: str) -> Path:
    """The learner's copy of a lab in the workspace.

    >>> default_notebook("lab1").name
    'lab1_tokens.ipynb'
    """
    return WORKSPACE / f"{assignment_id(lab)}.ipynb"


def _scratch_course(lab: str, course_root: Path, where: Path, *, timeout: int | None = None) -> Course:
    lab_id = assignment_id(lab)
    shutil.copy(course_root / "nbgrader_config.py", where / "nbgrader_config.py")
    src = Course(course_root).source_notebook(lab).parent
    shutil.copytree(src, where / "notebooks" / lab_id,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return Course(where, timeout=timeout)


def prepare(lab: str, notebook: str | Path | None = None, *, course_root: str | Path | None = None) -> Path:
    """Write the student version of ``lab`` to ``notebook`` unless it already exists."""
    target = Path(notebook) if notebook else default_notebook(lab)
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(prefix="costlab-prepare-") as tmp:
        course = _scratch_course(lab, Path(course_root or REPO_ROOT), Path(tmp))
        released = course.release(lab)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(released, target)
    return target


def check_notebook(lab: str, notebook: str | Path | None = None, *,
                   course_root: str | Path | None = None, timeout: int | None = None) -> CheckResult:
    """Autograde ``notebook`` (default: the workspace copy) and save its feedback HTML beside it."""
    lab_id = assignment_id(lab)
    notebook = Path(notebook) if notebook else default_notebook(lab)
    if not notebook.is_file():
        raise GradingError(
            f"No encuentro tu cuaderno {notebook}. Crea tu copia con `costlab check {lab} --preparar` "
            "o indica la ruta con --notebook."
        )
    with tempfile.TemporaryDirectory(prefix="costlab-check-") as tmp:
        course = _scratch_course(lab, Path(course_root or REPO_ROOT), Path(tmp), timeout=timeout)
        course.release(lab)
        submitted = Path(tmp) / "entregas" / _LEARNER
        submitted.mkdir(parents=True)
        shutil.copyfile(notebook, submitted / f"{lab_id}.ipynb")
        course.collect(lab, submitted.parent)
        course.autograde(lab, _LEARNER)
        course.feedback(lab, _LEARNER)
        scores = course.scores(lab)
        if not scores:
            raise GradingError("nbgrader no produjo ninguna nota; revisa que el cuaderno sea un .ipynb válido.")
        html = notebook.with_name(f"{notebook.stem}_feedback.html")
        shutil.copyfile(course.feedback_file(lab, _LEARNER), html)
        graded = Path(tmp) / "autograded" / _LEARNER / lab_id / f"{lab_id}.ipynb"
        errors = test_cell_errors(graded)
    return CheckResult(scores[0], html, errors)
