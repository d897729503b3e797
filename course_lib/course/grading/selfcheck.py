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
from course_lib.course.grading.feedback import failed_by_stderr
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
    isolated: bool = True
    """False when hidden checks ran without bubblewrap (not installed here): same points, less isolation."""


def test_cell_errors(notebook: Path) -> dict[str, str]:
    """``grade_id`` → the one-line error of each failed test cell of a graded notebook.

    A cell failed only by what it wrote to stderr says so, quoting that output's first line.
    """
    import nbformat

    errors = {}
    for cell in nbformat.read(notebook, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade") or meta.get("solution"):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors[meta["grade_id"]] = f"{output.get('ename')}: {output.get('evalue')}".rstrip(": ")
        stderr = failed_by_stderr(cell)
        if stderr:
            errors[meta["grade_id"]] = stderr_message(stderr)
    return errors


def stderr_message(stderr: str) -> str:
    """Why a test cell without errors failed: it wrote to stderr.

    >>> print(stderr_message("/x.py:3: UserWarning: modelo desconocido\\n  warnings.warn(...)"))
    La celda no lanzó ningún error, pero escribió en stderr y nbgrader la cuenta como fallida: «/x.py:3: UserWarning: modelo desconocido». Quita ese aviso o mensaje de logging de tu código (o captúralo) y vuelve a corregir.
    """
    first = next((line.strip() for line in stderr.splitlines() if line.strip()), "")[:200]
    return ("La celda no lanzó ningún error, pero escribió en stderr y nbgrader la cuenta como fallida: "
            f"«{first}». Quita ese aviso o mensaje de logging de tu código (o captúralo) y vuelve a corregir.")


def default_notebook(lab: str) -> Path:
    """The learner's copy of a lab in the workspace.

    >>> default_notebook("lab1").name
    'lab1_tokens.ipynb'
    """
    return WORKSPACE / f"{assignment_id(lab)}.ipynb"


def _scratch_course(lab: str, course_root: Path, where: Path, *, timeout: int | None = None,
                    sandbox: str = "required") -> Course:
    source = Course(course_root)
    lab_id = source.lab_id(lab)
    shutil.copy(course_root / "nbgrader_config.py", where / "nbgrader_config.py")
    src = source.source_notebook(lab).parent
    shutil.copytree(src, where / "notebooks" / lab_id,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    course = Course(where, timeout=timeout, sandbox=sandbox)
    course.grader_roots = list(dict.fromkeys([str(where), str(course_root.resolve()), str(REPO_ROOT)]))
    return course


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
    lab_id = Course(course_root or REPO_ROOT).lab_id(lab)
    notebook = Path(notebook) if notebook else default_notebook(lab)
    if not notebook.is_file():
        raise GradingError(
            f"No encuentro tu cuaderno {notebook}. Crea tu copia con `costlab check {lab} --preparar` "
            "o indica la ruta con --notebook."
        )
    with tempfile.TemporaryDirectory(prefix="costlab-check-") as tmp:
        course = _scratch_course(lab, Path(course_root or REPO_ROOT), Path(tmp), timeout=timeout, sandbox="auto")
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
        for grade_id, verdict in course.verdicts.get(_LEARNER, {}).items():  # remote cells: the grader's word
            if verdict.passed:
                errors.pop(grade_id, None)
            else:
                errors[grade_id] = f"AssertionError: {verdict.message}"
    return CheckResult(scores[0], html, errors, course.isolated)
