"""How long does nbgrader take to autograde lab 1, against a trivial one-cell notebook?

Both are graded in this same run, in throw-away course folders, with the
course's nbgrader_config.py: the trivial notebook (one test cell,
``assert 1 + 1 == 2``) measures nbgrader's fixed cost (kernel start,
sanitizing, gradebook); lab 1 adds running the lesson and its hidden checks.
Prints both times (best of ``--repeat``) and their ratio; the target is ≤ 2.0.
It also runs the source notebook (solutions and hidden tests, the same work)
with plain nbclient, to separate what nbgrader adds from what the lesson costs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course_lib.course.grading import Course
from course_lib.paths import REPO_ROOT

TARGET = 2.0
TRIVIAL = REPO_ROOT / "tests" / "files" / "trivial.ipynb"


def _course(where: Path, lab_id: str, source: Path) -> Course:
    shutil.copy(REPO_ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    if source.is_dir():
        shutil.copytree(source, where / "notebooks" / lab_id,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    else:
        (where / "notebooks" / lab_id).mkdir(parents=True)
        shutil.copy(source, where / "notebooks" / lab_id / f"{lab_id}.ipynb")
    return Course(where)


def _solved(course: Course, lab: str) -> nbformat.NotebookNode:
    """The release version with every solution cell filled in from the source."""
    release = nbformat.read(course.release_notebook(lab), as_version=4)
    source = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source
              for c in nbformat.read(course.source_notebook(lab), as_version=4).cells}
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = "\n".join(line for line in source[meta["grade_id"]].split("\n")
                                    if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
    return release


def time_plain_run(lab_id: str, source: Path) -> float:
    """Wall time of executing the source notebook (solutions + hidden tests) with nbclient."""
    import os

    from nbclient import NotebookClient

    from course_lib.course.grading.pipeline import grading_environment

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        course = _course(Path(tmp), lab_id, source)
        nb = nbformat.read(course.source_notebook(lab_id), as_version=4)
        with grading_environment(course.root):
            start = time.perf_counter()
            NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                           extra_arguments=list(course.config.Execute.extra_arguments),
                           resources={"metadata": {"path": os.fspath(tmp)}}).execute()
            return time.perf_counter() - start


def time_autograde(lab_id: str, source: Path, *, repeat: int) -> tuple[float, float]:
    """Best wall time of autograding one solved submission, and its score."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        course = _course(Path(tmp), lab_id, source)
        course.release(lab_id)
        entregas = Path(tmp) / "entregas"
        entregas.mkdir()
        nbformat.write(_solved(course, lab_id), entregas / "alumno.ipynb")
        course.collect(lab_id, entregas)
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            course.autograde(lab_id, "alumno")
            best = min(best, time.perf_counter() - start)
        return best, course.scores(lab_id)[0].score


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    trivial, _ = time_autograde("trivial", TRIVIAL, repeat=args.repeat)
    lab, score = time_autograde("lab1_tokens", REPO_ROOT / "notebooks" / "lab1_tokens", repeat=args.repeat)
    plain = time_plain_run("lab1_tokens", REPO_ROOT / "notebooks" / "lab1_tokens")
    ratio = lab / trivial
    print(f"nbgrader autograde, cuaderno trivial de 1 celda: {trivial:6.2f} s")
    print(f"nbgrader autograde, lab1_tokens (nota {score:g}/10): {lab:6.2f} s")
    print(f"lab1_tokens (fuente) ejecutado con nbclient, sin nbgrader: {plain:6.2f} s")
    print(f"ratio lab1 / trivial: {ratio:.2f} (objetivo ≤ {TARGET})")
    print(f"sobrecoste de corregir frente a solo ejecutar: {lab / plain:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
