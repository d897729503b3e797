"""What does grading add to running a notebook, and do two processes grade a class faster?

1. **Overhead** — ``costlab grade corregir`` of one solved submission of a lab
   (lab 1 by default) against executing the same cells (the source notebook:
   solutions and hidden tests, what autograde runs) with plain nbclient: same
   kernel, same per-cell timeout, same kernel arguments and environment.
   Target: ≤ 1,1×.
2. **A class** — 30 submissions of the mini lab built for the remote-grading
   tests (``tests/grading/sandbox_lab``: three exercises, hidden checks in a
   grader process, kernels under bubblewrap) graded with ``--procesos 1`` and
   ``--procesos 2``, with the progress lines ``costlab grade`` prints.
   Target: 2 processes ≤ 0,6× the time of 1.
3. **Out of the kernel's reach** — one hidden check's time in the grader
   process (from its verdict) against the same check run in-process, and a
   whole submission graded with remote hidden cells against the same
   notebook with the checks in the kernel (the old way).

Run ``python benchmarks/bench_autograde.py [--lab lab1] [--alumnos 30]``;
it takes several minutes (it is not part of ``make test``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_lib import numbers  # noqa: E402
from course_lib.course.cli import main as costlab  # noqa: E402
from course_lib.course.grading import Course  # noqa: E402
from course_lib.course.grading.config import LABS  # noqa: E402
from course_lib.course.grading.pipeline import grading_environment  # noqa: E402
from course_lib.paths import REPO_ROOT  # noqa: E402
from tests.grading import sandbox_lab  # noqa: E402
from tests.grading.submissions import student  # noqa: E402

OVERHEAD_TARGET = 1.1
PARALLEL_TARGET = 0.6


def _lab_course(where: Path, lab: str) -> Course:
    lab_id = LABS[lab]
    shutil.copy(REPO_ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    shutil.copytree(REPO_ROOT / "notebooks" / lab_id, where / "notebooks" / lab_id,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.py"))
    return Course(where)


def plain_run(course: Course, lab: str) -> float:
    """Seconds to execute the source notebook with nbclient as autograde would (kernel, timeout, args, env)."""
    from nbclient import NotebookClient

    nb = nbformat.read(course.source_notebook(lab), as_version=4)
    with tempfile.TemporaryDirectory(prefix="bench-plano-") as work, grading_environment(course.root):
        start = time.perf_counter()
        NotebookClient(nb, timeout=course.config.Execute.timeout, kernel_name="python3", allow_errors=True,
                       extra_arguments=list(course.config.Execute.extra_arguments),
                       resources={"metadata": {"path": work}}).execute()
        return time.perf_counter() - start


def graded_run(course: Course, lab: str, who: str = "alumno") -> tuple[float, float]:
    """Seconds of ``costlab grade corregir`` on one solved submission, and its score."""
    release = nbformat.read(course.release_notebook(lab), as_version=4)
    source = nbformat.read(course.source_notebook(lab), as_version=4)
    entregas = course.root / "entregas_una"
    entregas.mkdir(exist_ok=True)
    nbformat.write(student(release, source), entregas / f"{who}.ipynb")
    course.collect(lab, entregas)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        assert costlab(["grade", "corregir", lab, "--curso", str(course.root)]) == 0
    seconds = time.perf_counter() - start
    return seconds, Course(course.root).student_score(lab, who).score


def overhead(lab: str, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp:
        course = _lab_course(Path(tmp), lab)
        course.release(lab)
        plain = min(plain_run(course, lab) for _ in range(repeat))
        runs = [graded_run(course, lab) for _ in range(repeat)]
        graded, score = min(r[0] for r in runs), runs[0][1]
    ratio = graded / plain
    print(f"{lab}: ejecutar el cuaderno con nbclient {numbers.num(plain)} s; costlab grade corregir "
          f"{numbers.num(graded)} s (nota {numbers.num(score, decimals=0)})")
    print(f"  sobrecoste de corregir: {numbers.num(ratio)}× (objetivo ≤ {numbers.num(OVERHEAD_TARGET, decimals=1)}×)"
          f" {'✔' if ratio <= OVERHEAD_TARGET else '✘'}")


def _mini_class(where: Path, pupils: int) -> Course:
    course = sandbox_lab.build_course(where)
    course.release(sandbox_lab.LAB_ID)
    release = nbformat.read(course.release_notebook(sandbox_lab.LAB_ID), as_version=4)
    answers = sandbox_lab.SOLUTIONS
    kinds = [answers, {"ej1_coste": answers["ej1_coste"]}, {}]
    entregas = where / "entregas"
    entregas.mkdir()
    for i in range(pupils):
        nbformat.write(sandbox_lab.submission(release, kinds[i % 3]), entregas / f"alumno{i + 1:02d}.ipynb")
    course.collect(sandbox_lab.LAB_ID, entregas)
    return course


def a_class(pupils: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-clase-") as tmp:
        course = _mini_class(Path(tmp), pupils)
        times = {}
        for jobs in (1, 2):
            print(f"== {pupils} entregas de {sandbox_lab.LAB_ID}, --procesos {jobs}")
            start = time.perf_counter()
            assert costlab(["grade", "corregir", sandbox_lab.LAB_ID, "--curso", tmp, "--procesos", str(jobs)]) == 0
            times[jobs] = time.perf_counter() - start
    ratio = times[2] / times[1]
    print(f"clase de {pupils}: 1 proceso {numbers.num(times[1])} s, 2 procesos {numbers.num(times[2])} s "
          f"→ {numbers.num(ratio)}× (objetivo ≤ {numbers.num(PARALLEL_TARGET, decimals=1)}×) "
          f"{'✔' if ratio <= PARALLEL_TARGET else '✘'}   [núcleos: {os.cpu_count()}]")


def out_of_reach() -> None:
    from graders.verdicts import LocalWorker, load_check

    seconds = {}
    for remote in (True, False):
        with tempfile.TemporaryDirectory(prefix="bench-remoto-") as tmp:
            course = sandbox_lab.build_course(Path(tmp), remote=remote)
            course.release(sandbox_lab.LAB_ID)
            seconds[remote], score = graded_run(course, sandbox_lab.LAB_ID)
            if remote:
                graded = Course(tmp)
                graded.autograde(sandbox_lab.LAB_ID, "alumno")
                in_grader = {g: v.seconds for g, v in graded.verdicts["alumno"].items()}
                sys.path.insert(0, tmp)
                namespace: dict = {}
                exec(sandbox_lab.SETUP + "\n" + "\n".join(sandbox_lab.SOLUTIONS.values()), namespace)
                in_process = {}
                for exercise, (name, check) in sandbox_lab.CHECK_OF.items():
                    start = time.perf_counter()
                    load_check(f"minilab_checks:{check}")(LocalWorker({name: namespace[name]}))
                    in_process[f"{exercise}_test"] = time.perf_counter() - start
                sys.path.remove(tmp)
    for grade_id, remote_s in in_grader.items():
        print(f"  {grade_id}: en el proceso corrector {numbers.num(remote_s * 1000, decimals=1)} ms; "
              f"la misma comprobación en el mismo proceso {numbers.num(in_process[grade_id] * 1000, decimals=1)} ms")
    print(f"entrega completa de {sandbox_lab.LAB_ID}: comprobaciones ocultas fuera del núcleo (bwrap + proceso "
          f"corrector) {numbers.num(seconds[True])} s; dentro del núcleo {numbers.num(seconds[False])} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", default="lab1", choices=sorted(LABS), help="laboratorio del sobrecoste")
    parser.add_argument("--repeat", type=int, default=1, help="repeticiones (se toma la mejor)")
    parser.add_argument("--alumnos", type=int, default=30, help="entregas de la clase")
    parser.add_argument("--solo", choices=("sobrecoste", "clase", "remoto"), default=None)
    args = parser.parse_args(argv)
    if args.solo in (None, "sobrecoste"):
        overhead(args.lab, args.repeat)
    if args.solo in (None, "clase"):
        a_class(args.alumnos)
    if args.solo in (None, "remoto"):
        out_of_reach()
    return 0


if __name__ == "__main__":
    sys.exit(main())
