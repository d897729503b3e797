"""Which labs exist and how nbgrader is configured for a course folder.

``load_config`` reads the course's ``nbgrader_config.py`` (the repository root
by default) into a traitlets ``Config`` and applies per-run overrides such as a
shorter cell timeout. It does not run nbgrader; see ``course_lib.course.grading.pipeline``.
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from course_lib.paths import REPO_ROOT

LABS = {
    "lab1": "lab1_tokens",
    "lab2": "lab2_caching",
    "lab3": "lab3_cascades",
    "lab4": "lab4_budgets",
}
"""Short lab names used on the command line → nbgrader assignment ids.

A new lab adds one line here; its lesson is ``notebooks/<id>/<id>.py`` and it joins
the grading test suite with ``tests/grading/labs/<lab>.py`` (see ``notebooks/README.md``).
"""


class GradingError(RuntimeError):
    """A grading step could not run; the message says what to do (in Spanish)."""


def assignment_id(lab: str) -> str:
    """The nbgrader assignment id of a lab, accepting either spelling.

    >>> assignment_id("lab1"), assignment_id("lab1_tokens")
    ('lab1_tokens', 'lab1_tokens')
    """
    if lab in LABS:
        return LABS[lab]
    if lab in LABS.values():
        return lab
    known = ", ".join(sorted(LABS))
    raise GradingError(f"No conozco el laboratorio {lab!r}. Laboratorios disponibles: {known}.")


def load_config(course_root: str | Path | None = None, *, timeout: int | None = None) -> Config:
    """nbgrader configuration of ``course_root`` (default: the repository).

    ``timeout`` overrides the per-cell execution limit in seconds.

    >>> cfg = load_config(timeout=5)
    >>> cfg.CourseDirectory.source_directory, cfg.Execute.timeout
    ('notebooks', 5)
    """
    root = Path(course_root or REPO_ROOT).resolve()
    config_file = root / "nbgrader_config.py"
    if not config_file.exists():
        raise GradingError(
            f"No encuentro {config_file}. Indica la carpeta del curso (la que contiene nbgrader_config.py)."
        )
    config = PyFileConfigLoader(config_file.name, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    if timeout is not None:
        config.Execute.timeout = int(timeout)
        config.ExecutePreprocessor.timeout = int(timeout)
    return config
