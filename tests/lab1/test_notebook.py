"""Does the lab 1 source notebook run clean, top to bottom, under nbval?"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from course_lib.paths import REPO_ROOT

SOURCE = REPO_ROOT / "notebooks" / "lab1_tokens" / "lab1_tokens.ipynb"


def test_is_the_source_notebook_committed_without_outputs():
    import nbformat

    nb = nbformat.read(SOURCE, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")


def test_is_the_committed_notebook_what_the_lesson_file_builds():
    from course_lib.course import lessons

    assert lessons.stale(["lab1"]) == [], f"regenera con: {lessons.BUILD_COMMAND}"


def test_does_the_source_notebook_run_clean_under_nbval(tmp_path):
    """Every cell, solutions and hidden tests included, runs without error (nbval --nbval-lax)."""
    nb = tmp_path / SOURCE.name
    shutil.copy(SOURCE, nb)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]))
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-cell-timeout=120", "-q",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), "-c", os.devnull, str(nb)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
