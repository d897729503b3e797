"""The instructor's grading pipeline on top of nbgrader's converters.

``Course`` wraps one course folder (the repository by default) and runs the
steps an instructor needs: ``release`` (student version without solutions or
hidden tests), ``collect`` (copy a folder of submitted notebooks into nbgrader's
``submitted/`` layout), ``autograde`` (all students in one nbgrader run),
``feedback`` (HTML without hidden tests) and ``scores`` read from the gradebook.
Writing the grades CSV lives in ``course_lib.course.grading.report``. This module does
not talk to nbgrader's exchange or JupyterHub.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log
from traitlets.config import Config

from course_lib.course.grading.config import GradingError, assignment_id, load_config
from course_lib.paths import REPO_ROOT

_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class GradeItem:
    """The score of one graded cell (an exercise's test cell)."""

    name: str
    score: float
    max_score: float


@dataclass(frozen=True)
class StudentScore:
    """A student's autograded result for one lab."""

    student: str
    lab: str
    score: float
    max_score: float
    items: tuple[GradeItem, ...]

    @property
    def percent(self) -> float:
        return round(100.0 * self.score / self.max_score, 1) if self.max_score else 0.0


@contextlib.contextmanager
def grading_environment(root: Path):
    """Environment of a grading run.

    Kernels can import ``graders`` from the course folder (or this repository),
    and this interpreter's ``bin`` comes first on ``PATH`` so nbgrader finds
    ``alembic`` and the right kernel even when the venv is not activated.
    """
    saved = {key: os.environ.get(key) for key in ("PYTHONPATH", "PATH")}
    paths = list(dict.fromkeys([str(root), str(REPO_ROOT)]))
    os.environ["PYTHONPATH"] = os.pathsep.join(paths + ([saved["PYTHONPATH"]] if saved["PYTHONPATH"] else []))
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent)] + ([saved["PATH"]] if saved["PATH"] else []))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class Course:
    """One nbgrader course folder.

    >>> Course().source_notebook("lab1").name
    'lab1_tokens.ipynb'
    """

    def __init__(self, root: str | Path | None = None, *, timeout: int | None = None):
        self.config: Config = load_config(root, timeout=timeout)
        self.root = Path(self.config.CourseDirectory.root)

    # -- paths ------------------------------------------------------------
    def _dir(self, kind: str) -> Path:
        return self.root / self.config.CourseDirectory[f"{kind}_directory"]

    def lab_id(self, lab: str) -> str:
        """nbgrader assignment id of ``lab``: a known lab name, or any folder of ``notebooks/``."""
        if (self._dir("source") / lab).is_dir():
            return lab
        return assignment_id(lab)

    def source_notebook(self, lab: str) -> Path:
        lab_id = self.lab_id(lab)
        return self._dir("source") / lab_id / f"{lab_id}.ipynb"

    def release_notebook(self, lab: str) -> Path:
        lab_id = self.lab_id(lab)
        return self._dir("release") / lab_id / f"{lab_id}.ipynb"

    def feedback_file(self, lab: str, student: str) -> Path:
        lab_id = self.lab_id(lab)
        return self._dir("feedback") / student / lab_id / f"{lab_id}.html"

    @property
    def db_url(self) -> str:
        return self.config.CourseDirectory.get("db_url") or f"sqlite:///{self.root / 'gradebook.db'}"

    # -- steps --------------------------------------------------------------
    def _run(self, converter_cls, lab: str, student: str = ".", **attrs) -> str:
        coursedir = CourseDirectory(config=self.config)
        coursedir.root = str(self.root)
        coursedir.assignment_id = self.lab_id(lab)
        coursedir.student_id = student
        app = converter_cls(coursedir=coursedir, config=self.config)
        for key, value in attrs.items():
            setattr(app, key, value)
        with grading_environment(self.root), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy noise from nbgrader's gradebook
            result = capture_log(app)
        if not result["success"]:
            tail = "\n".join(result.get("log", "").splitlines()[-15:])
            raise GradingError(f"nbgrader falló en {converter_cls.__name__}:\n{tail}\n{result.get('error', '')}")
        return result.get("log", "")

    def release(self, lab: str) -> Path:
        """Build the student version (``release/<lab>/``) and register the lab in the gradebook."""
        from nbgrader.converters import GenerateAssignment

        self._run(GenerateAssignment, lab, force=True, create_assignment=True)
        return self.release_notebook(lab)

    def collect(self, lab: str, folder: str | Path) -> list[str]:
        """Copy submissions from ``folder`` into ``submitted/<student>/<lab>/``.

        Accepted layouts: ``<folder>/<student>.ipynb``, ``<folder>/<student>/<lab>.ipynb``
        and ``<folder>/<student>/<lab>/<lab>.ipynb``. Returns the student ids.
        """
        lab_id = self.lab_id(lab)
        folder = Path(folder)
        if not folder.is_dir():
            raise GradingError(f"La carpeta de entregas {folder} no existe.")
        found: dict[str, Path] = {}
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix == ".ipynb":
                found[path.stem] = path
            elif path.is_dir():
                for candidate in (path / f"{lab_id}.ipynb", path / lab_id / f"{lab_id}.ipynb"):
                    if candidate.is_file():
                        found[path.name] = candidate
                        break
        if not found:
            raise GradingError(
                f"No hay entregas en {folder}: espero <alumno>.ipynb o <alumno>/{lab_id}.ipynb."
            )
        for student, path in found.items():
            if not _STUDENT_ID.match(student):
                raise GradingError(
                    f"Nombre de alumno no válido: {student!r} (usa letras, números, '_', '-' o '.')."
                )
            dest = self._dir("submitted") / student / lab_id / f"{lab_id}.ipynb"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
        return sorted(found)

    def submitted_students(self, lab: str) -> list[str]:
        """Students with a submission of ``lab`` in ``submitted/``."""
        lab_id = self.lab_id(lab)
        return sorted(p.parent.name for p in self._dir("submitted").glob(f"*/{lab_id}") if p.is_dir())

    def autograde(self, lab: str, student: str | None = None, *, jobs: int = 1) -> None:
        """Autograde one student's submission, or all of them.

        With ``jobs > 1`` the students are split into that many shards graded by
        separate processes sharing the gradebook; otherwise one nbgrader run grades all.
        """
        from nbgrader.converters import Autograde

        if self.db_url.startswith("sqlite") and not (self.root / "gradebook.db").exists():
            self.release(lab)
        students = [student] if student else self.submitted_students(lab)
        if jobs > 1 and len(students) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            shards = [students[i::jobs] for i in range(jobs)]
            timeout = self.config.Execute.get("timeout")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                for future in [pool.submit(_autograde_shard, str(self.root), timeout, lab, shard)
                               for shard in shards if shard]:
                    future.result()
            return
        self._run(Autograde, lab, student=student or "*", force=True, create_student=True)

    def feedback(self, lab: str, student: str | None = None) -> list[Path]:
        """Write feedback HTML for one student or all autograded ones; return the files."""
        from nbgrader.converters import GenerateFeedback

        self._run(GenerateFeedback, lab, student=student or "*", force=True)
        base = self._dir("feedback")
        return sorted(base.glob(f"{student or '*'}/{self.lab_id(lab)}/*.html"))

    def scores(self, lab: str) -> list[StudentScore]:
        """Autograded scores of every student with a submission, from the gradebook."""
        from nbgrader.api import Gradebook, MissingEntry

        lab_id = self.lab_id(lab)
        results = []
        with Gradebook(self.db_url, self.config.CourseDirectory.course_id) as gb:
            try:
                submissions = gb.assignment_submissions(lab_id)
            except MissingEntry:
                return []
            for sub in submissions:
                items = tuple(sorted(
                    (GradeItem(g.name, float(g.score or 0), float(g.max_score))
                     for nb in sub.notebooks for g in nb.grades),
                    key=lambda item: item.name,
                ))
                results.append(StudentScore(sub.student.id, lab_id, float(sub.score or 0),
                                            float(sub.max_score), items))
        return sorted(results, key=lambda r: r.student)


def _autograde_shard(root: str, timeout: int | None, lab: str, students: list[str]) -> None:
    """Grade ``students`` one by one (runs in a worker process)."""
    course = Course(root, timeout=timeout)
    for student in students:
        course.autograde(lab, student)
