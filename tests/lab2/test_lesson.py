"""Is lab 2's nbgrader notebook what its lesson source builds, without outputs?"""

import json

from course_lib.course import lessons
from course_lib.paths import REPO_ROOT

SOURCE = REPO_ROOT / "notebooks" / "lab2_caching" / "lab2_caching.py"


def test_is_the_ipynb_built_from_the_py():
    built = lessons.render(SOURCE)
    assert SOURCE.with_suffix(".ipynb").read_text(encoding="utf-8") == built, (
        "lab2_caching.ipynb está desfasado: python -m course_lib.course.lessons build lab2_caching")


def test_does_the_lesson_have_six_graded_exercises_worth_fourteen_points():
    nb = json.loads(lessons.render(SOURCE))
    tests = [c["metadata"]["nbgrader"] for c in nb["cells"]
             if c["metadata"].get("nbgrader", {}).get("grade") and c["cell_type"] == "code"]
    assert len(tests) == 6 and sum(t["points"] for t in tests) == 14
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
