"""Grades as a CSV file and as a short Spanish summary.

The CSV has one row per student: ``alumno, laboratorio, nota, maximo,
porcentaje`` and one column per graded cell (exercise). The summary is what
``costlab check`` prints to a learner. Scores come from
``course_lib.course.grading.pipeline.Course.scores``; this module only formats them.
"""

from __future__ import annotations

import csv
from pathlib import Path

from course_lib import numbers
from course_lib.course.grading.pipeline import GradeItem, StudentScore


def _fmt(x: float) -> str:
    return f"{x:g}"


def points_text(x: float) -> str:
    """Points as a Spanish reader reads them: no decimals when whole, else up to two.

    >>> points_text(10), points_text(8.5), points_text(2.25), points_text(1234)
    ('10', '8,5', '2,25', '1.234')
    """
    if float(x).is_integer():
        return numbers.count(x)
    return numbers.num(x, decimals=2).rstrip("0")


def progress_line(done: int, total: int, score: StudentScore | None, student: str) -> str:
    """The line ``costlab grade`` prints as each student's grading finishes.

    >>> s = StudentScore("ana", "lab1_tokens", 8.5, 10.0, ())
    >>> progress_line(3, 30, s, "ana")
    '[ 3/30] ana… 8,5 / 10'
    >>> progress_line(4, 30, None, "luis")
    '[ 4/30] luis… sin nota (nbgrader no la registró)'
    """
    width = len(str(total))
    text = (f"{points_text(score.score)} / {points_text(score.max_score)}" if score
            else "sin nota (nbgrader no la registró)")
    return f"[{done:>{width}}/{total}] {student}… {text}"


def write_grades_csv(scores: list[StudentScore], path: str | Path) -> Path:
    """Write one row per student, exercise columns in notebook order; return the path.

    >>> import tempfile, os
    >>> s = StudentScore("ana", "lab1_tokens", 3.0, 4.0, (GradeItem("ej1", 1, 2), GradeItem("ej2", 2, 2)))
    >>> p = write_grades_csv([s], os.path.join(tempfile.mkdtemp(), "notas.csv"))
    >>> print(open(p, encoding="utf-8").read().strip())
    alumno,laboratorio,nota,maximo,porcentaje,ej1,ej2
    ana,lab1_tokens,3,4,75.0,1,2
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns: list[str] = []
    for s in scores:
        for item in s.items:
            if item.name not in columns:
                columns.append(item.name)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["alumno", "laboratorio", "nota", "maximo", "porcentaje", *columns])
        for s in scores:
            by_name = {item.name: item.score for item in s.items}
            writer.writerow([s.student, s.lab, _fmt(s.score), _fmt(s.max_score), s.percent,
                             *(_fmt(by_name.get(c, 0.0)) for c in columns)])
    return path


def summary(score: StudentScore) -> str:
    """A learner-facing table of points per exercise.

    >>> s = StudentScore("yo", "lab1_tokens", 2.0, 4.0, (GradeItem("ej1", 2, 2), GradeItem("ej2", 0, 2)))
    >>> print(summary(s))
    Resultado de lab1_tokens: 2 / 4 puntos (50,0 %)
      ✔ ej1: 2 / 2
      ✘ ej2: 0 / 2
    """
    lines = [f"Resultado de {score.lab}: {points_text(score.score)} / {points_text(score.max_score)} puntos "
             f"({numbers.pct(score.percent / 100)})"]
    for item in score.items:
        mark = "✔" if item.score >= item.max_score else ("◐" if item.score > 0 else "✘")
        lines.append(f"  {mark} {item.name}: {points_text(item.score)} / {points_text(item.max_score)}")
    return "\n".join(lines)
