"""The instructor's grading pipeline on top of nbgrader's converters.

``Course`` wraps one course folder (the repository by default) and runs the
steps an instructor needs: ``release`` (student version without solutions or
hidden tests), ``collect`` (copy a folder of submitted notebooks into nbgrader's
``submitted/`` layout), ``autograde`` (one nbgrader run per student, in one
or several processes),
``feedback`` (HTML without hidden tests) and ``scores`` read from the gradebook.
Writing the grades CSV lives in ``course_lib.course.grading.report``. This module does
not talk to nbgrader's exchange or JupyterHub.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log
from traitlets.config import Config

from course_lib.course.grading.config import GradingError, assignment_id, load_config
from course_lib.course.grading.verdicts import (Verdict, annotate_notebook, apply_verdicts, read_verdicts,
                                               remote_specs)
from course_lib.paths import REPO_ROOT

_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

KERNEL_START_ATTEMPTS = 3
"""How many times a student is graded when the kernel dies before running a cell."""
_KERNEL_DID_NOT_START = ("Kernel died before replying to kernel_info", "Address already in use")

Progress = Callable[[int, int, str], None]
"""``progress(done, total, student)``: called as each student's autograding finishes."""


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
    saved = {key: os.environ.get(key) for key in ("PYTHONPATH", "PATH", "COSTLAB_GRADING")}
    os.environ["COSTLAB_GRADING"] = "1"   # checks keep their tracebacks out of the grading console
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

    def __init__(self, root: str | Path | None = None, *, timeout: int | None = None,
                 sandbox: Literal["required", "auto"] = "required"):
        self.config: Config = load_config(root, timeout=timeout)
        self.root = Path(self.config.CourseDirectory.root)
        self.sandbox = sandbox
        self.verdicts: dict[str, dict[str, Verdict]] = {}
        """Per student, the grader's verdicts on the remote hidden cells of the last autograde."""
        self.isolated = True
        """False once an ``auto`` run graded without bubblewrap (no ``bwrap`` on this machine)."""
        self.grader_roots = list(dict.fromkeys([str(self.root), str(REPO_ROOT)]))
        """Folders the grader process imports checks from (and whose ``graders/hidden`` kernels never see)."""
        self.failed: dict[str, str] = {}
        """Students whose notebook nbgrader could not grade in the last autograde, with why."""

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
    def _run(self, converter_cls, lab: str, student: str = ".", *, config: Config | None = None, **attrs) -> str:
        config = config or self.config
        coursedir = CourseDirectory(config=config)
        coursedir.root = str(self.root)
        coursedir.assignment_id = self.lab_id(lab)
        coursedir.student_id = student
        app = converter_cls(coursedir=coursedir, config=config)
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

    def autograde(self, lab: str, student: str | None = None, *, jobs: int = 1,
                  progress: Progress | None = None) -> None:
        """Autograde one student's submission, or all of them, one nbgrader run per student.

        With ``jobs > 1`` this process grades too, beside ``jobs - 1`` worker
        processes (sharing the gradebook); each takes the next student as it
        becomes free. ``progress(done, total, student)`` is called as each
        student's grading finishes, in the order they finish.
        """
        if self.db_url.startswith("sqlite") and not (self.root / "gradebook.db").exists():
            self.release(lab)
        specs = remote_specs(self.source_notebook(lab))
        if student:  # one student asked for: the caller handles a failure
            self._autograde_here(lab, student, specs)
            if progress:
                progress(1, 1, student)
            return
        queue = _StudentQueue(self.submitted_students(lab), self.failed, progress)
        if jobs > 1 and queue.total > 1:
            self._autograde_parallel(lab, queue, specs, min(jobs, queue.total))
        else:
            self._grade_queue(lab, specs, queue)

    def _autograde_here(self, lab: str, student: str, specs: dict[str, str]) -> None:
        """One nbgrader run for ``student``, again if its kernel could not start.

        jupyter_client picks a kernel's ports in this process, and the kernel
        binds them a moment later: another process grading at the same time can
        take one in between, and that kernel dies before running any cell.
        Grading again (with ``force``, so nothing is recorded twice) is safe.
        """
        from nbgrader.converters import Autograde

        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                if specs:
                    self._autograde_remote(lab, student, specs)
                else:
                    self._run(Autograde, lab, student=student, force=True, create_student=True)
                return
            except GradingError as exc:
                if attempt == KERNEL_START_ATTEMPTS or not any(s in str(exc) for s in _KERNEL_DID_NOT_START):
                    raise

    def _autograde_parallel(self, lab: str, queue: _StudentQueue, specs: dict[str, str], jobs: int) -> None:
        """Grade the ``queue`` here and in ``jobs - 1`` worker processes.

        This process grades from the start; the workers are forked from it
        (nbgrader already imported) when it has no other thread, else spawned.
        A thread hands the workers their students; this thread grades its own.
        No student is graded twice, and one that cannot be graded is recorded
        in ``failed``.
        """
        import multiprocessing
        import threading
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        timeout = self.config.Execute.get("timeout")
        # Forking a single-threaded process gives workers with nbgrader already imported (spawn
        # pays ~3 s of imports per worker); with other threads alive, or no fork, spawn is the safe way.
        forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        context = multiprocessing.get_context("fork" if forkable else "spawn")
        running: dict = {}
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context) as pool:
            def submit(name: str) -> None:
                try:
                    running[pool.submit(_autograde_one, str(self.root), timeout, self.sandbox, lab, name)] = name
                except Exception:  # the pool is broken: the student goes back to the queue
                    queue.give_back(name)

            # Submitted from this thread, before it enters a grading environment,
            # so the workers start with the caller's own environment.
            for _ in range(jobs - 1):
                if (name := queue.take()) is not None:
                    submit(name)

            def feed_workers() -> None:
                while running:
                    ready, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in ready:
                        name = running.pop(future)
                        try:
                            verdicts, isolated = future.result()
                        except GradingError as exc:  # one broken notebook never stops the class
                            queue.finished(name, str(exc))
                        except Exception:  # the worker died: this thread grades the student instead
                            queue.give_back(name)
                        else:  # what the worker's Course learnt, as the serial path keeps it
                            if verdicts is not None:
                                self.verdicts[name] = verdicts
                            self.isolated = self.isolated and isolated
                            queue.finished(name)
                            if (following := queue.take()) is not None:
                                submit(following)

            feeder = threading.Thread(target=feed_workers, name="costlab-workers", daemon=True)
            feeder.start()
            self._grade_queue(lab, specs, queue)
            feeder.join()
        self._grade_queue(lab, specs, queue)  # any a dead worker gave back

    def _grade_queue(self, lab: str, specs: dict[str, str], queue: _StudentQueue) -> None:
        """Grade students from ``queue`` in this process until it is empty."""
        while (name := queue.take()) is not None:
            try:
                self._autograde_here(lab, name, specs)
            except GradingError as exc:  # one broken notebook never stops the class
                queue.finished(name, str(exc))
            else:
                queue.finished(name)

    def _autograde_remote(self, lab: str, student: str, specs: dict[str, str]) -> None:
        """Autograde with each kernel sandboxed beside its grader; score remote cells by verdict."""
        from nbgrader.converters import Autograde

        from course_lib.course.grading.sandbox import bwrap_problem, require_bwrap

        if self.sandbox == "required":
            require_bwrap()
        isolate = self.sandbox == "required" or bwrap_problem() is None
        self.isolated = self.isolated and isolate
        lab_id = self.lab_id(lab)
        with tempfile.TemporaryDirectory(prefix="costlab-veredictos-") as private:
            config = copy.deepcopy(self.config)
            config.Execute.kernel_manager_class = "course_lib.course.grading.sandbox.SandboxedKernelManager"
            config.SandboxedKernelManager.grader_roots = self.grader_roots
            config.SandboxedKernelManager.specs_by_lab = {lab_id: specs}
            config.SandboxedKernelManager.verdict_root = private
            config.SandboxedKernelManager.isolate = isolate
            self._run(Autograde, lab, student=student, config=config, force=True, create_student=True)
            verdicts = read_verdicts(Path(private) / student / f"{lab_id}.json", specs)
        apply_verdicts(self.db_url, self.config.CourseDirectory.course_id, lab_id, student, verdicts)
        annotate_notebook(self._dir("autograded") / student / lab_id / f"{lab_id}.ipynb", verdicts)
        self.verdicts[student] = verdicts

    def feedback(self, lab: str, student: str | None = None) -> list[Path]:
        """Write feedback HTML for one student or all autograded ones; return the files."""
        from nbgrader.converters import GenerateFeedback

        self._run(GenerateFeedback, lab, student=student or "*", force=True)
        base = self._dir("feedback")
        return sorted(base.glob(f"{student or '*'}/{self.lab_id(lab)}/*.html"))

    def student_score(self, lab: str, student: str) -> StudentScore | None:
        """One student's autograded score of ``lab``, or ``None`` if not graded yet."""
        return next((s for s in self.scores(lab) if s.student == student), None)

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


class _StudentQueue:
    """The students of one autograde run, taken one at a time by whoever is free (thread-safe).

    ``finished`` counts each student once, records a failure in ``failed`` and
    reports ``progress(done, total, student)`` in the order students finish.
    """

    def __init__(self, students: list[str], failed: dict[str, str], progress: Progress | None):
        import collections
        import threading

        self.total = len(students)
        self._waiting = collections.deque(students)
        self._failed, self._progress = failed, progress
        self._done = 0
        self._lock = threading.Lock()

    def take(self) -> str | None:
        with self._lock:
            return self._waiting.popleft() if self._waiting else None

    def give_back(self, student: str) -> None:
        """A worker could not grade ``student``: it goes first in line again."""
        with self._lock:
            self._waiting.appendleft(student)

    def finished(self, student: str, error: str | None = None) -> None:
        with self._lock:
            if error is not None:
                self._failed[student] = error
            self._done += 1
            if self._progress:
                self._progress(self._done, self.total, student)


def _autograde_one(root: str, timeout: int | None, sandbox: str, lab: str,
                   student: str) -> tuple[dict[str, Verdict] | None, bool]:
    """Grade one student (runs in a worker process); return its verdicts and whether it ran sandboxed."""
    course = Course(root, timeout=timeout, sandbox=sandbox)
    course.autograde(lab, student)
    return course.verdicts.get(student), course.isolated
