"""Grading helpers on top of nbgrader: instructor pipeline and self-paced checks.

``Course`` runs release / collect / autograde / feedback / scores on a course
folder; ``write_grades_csv`` and ``summary`` format the results;
``check_notebook`` and ``prepare`` serve a learner grading their own copy.
The check functions used inside notebooks live in the top-level ``graders``
package, not here.
"""

from course_lib.course.grading.config import LABS, GradingError, assignment_id, load_config
from course_lib.course.grading.pipeline import Course, GradeItem, StudentScore
from course_lib.course.grading.report import summary, write_grades_csv
from course_lib.course.grading.selfcheck import CheckResult, check_notebook, default_notebook, prepare

__all__ = [
    "LABS", "GradingError", "assignment_id", "load_config", "Course", "GradeItem",
    "StudentScore", "summary", "write_grades_csv", "CheckResult", "check_notebook",
    "default_notebook", "prepare",
]
