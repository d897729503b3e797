"""``costlab grade``: the instructor's nbgrader workflow in a few Spanish verbs.

``publicar`` (release) the student version, ``recoger`` (collect) a folder of
submissions, ``corregir`` (autograde) them, ``feedback`` (HTML without hidden
tests), ``notas`` (grades CSV), or ``todo`` (all of it in order). The work is
done by ``course_lib.course.grading.Course``; this module only parses and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path


ACTIONS = {
    "publicar": ("release", "genera la versión del alumno (sin soluciones ni pruebas ocultas) en release/"),
    "recoger": ("collect", "copia una carpeta de entregas a submitted/<alumno>/<lab>/"),
    "corregir": ("autograde", "corrige automáticamente todas las entregas recogidas"),
    "feedback": ("feedback", "genera el feedback HTML de cada alumno en feedback/"),
    "notas": ("grades", "escribe el CSV de notas (una fila por alumno, una columna por ejercicio)"),
    "todo": ("all", "publicar + recoger + corregir + feedback + notas"),
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "grade", help="corrige entregas con nbgrader (para docentes)",
        description="Flujo del docente: publicar, recoger entregas, corregir, feedback y notas.")
    actions = parser.add_subparsers(dest="accion", metavar="<acción>", required=True)
    for name, (alias, text) in ACTIONS.items():
        sub = actions.add_parser(name, aliases=[alias] if alias != name else [], help=text, description=text)
        sub.add_argument("lab", help="laboratorio, p. ej. lab1")
        sub.add_argument("--curso", default=None, help="carpeta del curso (la de nbgrader_config.py); por defecto, este repositorio")
        sub.add_argument("--timeout", type=int, default=None, help="segundos máximos por celda (por defecto, los de nbgrader_config.py)")
        if name in ("corregir", "todo"):
            sub.add_argument("--procesos", type=int, default=1,
                             help="procesos en paralelo para corregir (por defecto 1; usa tantos como núcleos)")
        if name in ("recoger", "todo"):
            sub.add_argument("--entregas", required=True,
                             help="carpeta con <alumno>.ipynb o <alumno>/<lab>.ipynb")
        if name in ("notas", "todo"):
            sub.add_argument("--csv", default="notas.csv", help="fichero CSV de salida (por defecto notas.csv)")
        sub.set_defaults(func=run, accion=name)


def run(args) -> int:
    from course_lib.course.grading import Course, GradingError, write_grades_csv  # nbgrader is slow to import
    from course_lib.course.grading.report import points_text, progress_line

    try:
        course = Course(args.curso, timeout=args.timeout)
        action = args.accion
        if action in ("publicar", "todo"):
            print(f"Versión del alumno: {course.release(args.lab)}")
        if action in ("recoger", "todo"):
            students = course.collect(args.lab, args.entregas)
            print(f"Entregas recogidas ({len(students)}): {', '.join(students)}")
        if action in ("corregir", "todo"):
            total = len(course.submitted_students(args.lab))
            print(f"Corrigiendo {total} entregas con {max(1, args.procesos)} proceso(s)...", flush=True)

            def progress(done: int, total: int, student: str) -> None:
                print(progress_line(done, total, course.student_score(args.lab, student), student), flush=True)

            course.autograde(args.lab, jobs=args.procesos, progress=progress)
            print("Corrección automática terminada.")
            for student, why in sorted(course.failed.items()):
                last = [line for line in why.splitlines() if line.strip()][-1:] or [""]
                print(f"Aviso: nbgrader no pudo corregir la entrega de {student} (su nota es 0): {last[0][:200]}",
                      file=sys.stderr)
        if action in ("feedback", "todo"):
            files = course.feedback(args.lab)
            print(f"Feedback HTML ({len(files)} ficheros) en {course.root / 'feedback'}")
        if action in ("notas", "todo", "corregir"):
            scores = course.scores(args.lab)
            for s in scores:
                print(f"  {s.student:<20} {points_text(s.score)} / {points_text(s.max_score)}")
            if action != "corregir":
                path = write_grades_csv(scores, Path(args.csv))
                print(f"Notas: {path}")
    except GradingError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    return 0
