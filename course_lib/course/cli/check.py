"""``costlab check``: a learner grades their own copy of a lab and reads the feedback.

``costlab check lab1 --preparar`` writes the student version to ``mis_labs/``
(never overwriting); ``costlab check lab1 [--notebook RUTA]`` autogrades that
copy offline with the same hidden tests as the instructor and saves the
feedback HTML next to it. The work is in ``course_lib.course.grading.selfcheck``.
"""

from __future__ import annotations

import argparse
import sys


def _paths_epilog() -> str:
    """The real default path of each lab's copy (``mis_labs/<lab id>.ipynb``), for ``--help``."""
    from course_lib.course.grading.config import LABS  # light: no nbgrader

    lines = ["Tus copias (por defecto):"]
    lines += [f"  {lab}: mis_labs/{lab_id}.ipynb  (feedback: mis_labs/{lab_id}_feedback.html)"
              for lab, lab_id in LABS.items()]
    return "\n".join(lines)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check", help="corrige tu propia copia de un laboratorio",
        description="Corrige tu cuaderno de un laboratorio (con las pruebas ocultas) y guarda el feedback en HTML.",
        epilog=_paths_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lab", help="laboratorio, p. ej. lab1")
    parser.add_argument("--notebook", "--cuaderno", dest="notebook", default=None,
                        help="ruta de tu cuaderno (por defecto mis_labs/<id del lab>.ipynb, p. ej. "
                             "mis_labs/lab1_tokens.ipynb para lab1)")
    parser.add_argument("--preparar", action="store_true",
                        help="crea tu copia del laboratorio (versión del alumno) si aún no existe")
    parser.add_argument("--timeout", type=int, default=None, help="segundos máximos por celda")
    parser.set_defaults(func=run)


def run(args) -> int:
    from course_lib.course.grading import GradingError, check_notebook, default_notebook, prepare, summary  # nbgrader is slow to import

    try:
        if args.preparar:
            target = args.notebook or default_notebook(args.lab)
            print(f"== {args.lab}: preparando tu copia en {target} (versión del alumno; nunca sobrescribe tu trabajo)...",
                  flush=True)
            path = prepare(args.lab, args.notebook)
            print(f"Tu copia del laboratorio: {path}\nÁbrela en JupyterLab y, al terminar, ejecuta: "
                  f"costlab check {args.lab}" + (f" --notebook {args.notebook}" if args.notebook else ""))
            return 0
        notebook = args.notebook or default_notebook(args.lab)
        print(f"Corrigiendo {notebook} (puede tardar un minuto)...")
        result = check_notebook(args.lab, notebook, timeout=args.timeout)
    except GradingError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(summary(result.score))
    for name, message in result.errors.items():
        print(f"\n{name}:\n  {message}")
    if not result.isolated:
        print("\nNota: este equipo no tiene bubblewrap (bwrap); las pruebas ocultas se han ejecutado sin aislar "
              "tu cuaderno. La nota es la misma; el docente corrige con aislamiento.")
    print(f"\nFeedback detallado: {result.feedback_html}")
    return 0
