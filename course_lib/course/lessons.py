"""Build the nbgrader source notebooks from the labs' jupytext lesson files.

Each lab's source is ``notebooks/<lab_id>/<lab_id>.py`` in jupytext's percent
format; ``build`` turns it into ``notebooks/<lab_id>/<lab_id>.ipynb``, the file
nbgrader reads (deterministic, no outputs, no jupytext metadata). Cell headers
carry nbgrader metadata in a compact form (``nbgrader="solution"``,
``nbgrader="tests"`` with ``points=``, ``nbgrader="locked"``, ``nbgrader="setup"``,
``nbgrader="comprueba_todo"``) or in full (``nbgrader={...}``). Cell ids are
explicit (``id=``), the ``grade_id``, or derived from the content, never from
the position. The scaffolding every lab shares (common setup code, the prelude
of hidden tests, the closing «Comprueba todo» section) is defined here once.
The authoring guide is ``notebooks/README.md``. This module does not run
notebooks or nbgrader (see ``course_lib.course.grading``).

>>> expand_hidden("### BEGIN HIDDEN TESTS\\ncheck(f)\\n### END HIDDEN TESTS").count("custom_exceptions")
1
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from course_lib.paths import REPO_ROOT

SETUP_MARKER = "from course_lib.course.lessons import preparacion; preparacion(globals())"
"""First line of every lab's setup cell: expanded by the build, executed as-is in JupyterLab."""

COMMON_SETUP = """\
# Preparación (no modifiques esta celda)
%matplotlib inline
import sys
from decimal import Decimal

import matplotlib.pyplot as plt
import pandas as pd

from course_lib import PriceBook, connect
from course_lib.paths import REPO_ROOT

sys.path.append(str(REPO_ROOT))  # las comprobaciones (graders/) están en la raíz del curso
precios = PriceBook.default()
cliente = connect(isolated=True)  # proveedor simulado (con connect() usarías el configurado)"""
"""The part of the setup cell every lab shares."""

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_PRELUDE = """\
get_ipython().custom_exceptions = ()
import sys
for _m in [m for m in sys.modules if m.split('.')[0] == 'graders']:
    del sys.modules[_m]"""
"""Runs first in every hidden region: undo a custom exception handler, re-import the graders."""

CLOSING_MARKDOWN = """\
## {section}Comprueba todo

Ejecuta esta celda al final: repasa todas las comprobaciones visibles y te dice qué falta. Para la
nota completa (con las pruebas ocultas), ejecuta en una terminal `costlab check {lab}`."""
"""The text of the closing section; ``{lab}`` is the lab's short name."""

KERNEL_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
_KINDS = ("setup", "solution", "tests", "locked", "comprueba_todo")
_KEEP = ("deletable", "editable", "tags")  # other cell metadata jupytext may keep; all else dropped


class LessonError(ValueError):
    """A lesson file cannot be built; the message (Spanish) says which cell and why."""


def preparacion(namespace: dict) -> None:
    """Run the common setup code in ``namespace`` (an author running the ``.py`` in JupyterLab)."""
    from IPython import get_ipython
    from IPython.core.inputtransformer2 import TransformerManager

    shell = get_ipython()
    if shell is None:  # plain Python: no magics
        source = "\n".join(line for line in COMMON_SETUP.splitlines() if not line.startswith("%"))
    else:
        namespace.setdefault("get_ipython", get_ipython)
        source = TransformerManager().transform_cell(COMMON_SETUP)
    exec(compile(source, "<preparación común>", "exec"), namespace)  # noqa: S102


def expand_hidden(source: str) -> str:
    """Insert the hidden-test prelude after each ``### BEGIN HIDDEN TESTS`` line."""
    lines = []
    for line in source.split("\n"):
        lines.append(line)
        if line.strip() == HIDDEN_BEGIN:
            lines.append(HIDDEN_PRELUDE)
    return "\n".join(lines)


def _nbgrader(kind, meta: dict, where: str) -> dict:
    base = {"schema_version": 3, "grade": False, "solution": False, "locked": False}
    if isinstance(kind, dict):
        return {**base, **kind}
    if kind not in _KINDS:
        raise LessonError(f"{where}: nbgrader={kind!r} no es válido; usa uno de {', '.join(_KINDS)} o un dict.")
    grade_id = meta.get("grade_id") or ("setup" if kind == "setup" else None)
    if not grade_id and kind != "comprueba_todo":
        raise LessonError(f"{where}: nbgrader={kind!r} necesita grade_id=\"...\" en la cabecera.")
    if kind in ("setup", "locked"):
        return {**base, "grade_id": grade_id, "locked": True}
    if kind == "solution":
        return {**base, "grade_id": grade_id, "solution": True}
    if kind == "tests":
        if not isinstance(meta.get("points"), (int, float)) or meta["points"] <= 0:
            raise LessonError(f"{where}: la celda de test {grade_id} necesita points=N (N > 0).")
        return {**base, "grade_id": grade_id, "grade": True, "locked": True, "points": meta["points"]}
    return {}


def _content_id(cell_type: str, source: str) -> str:
    prefix = "md" if cell_type == "markdown" else "code"
    return f"{prefix}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:8]}"


def build_notebook(path: str | Path, *, lab: str | None = None):
    """The nbgrader source notebook (``NotebookNode``) described by the lesson file ``path``."""
    import jupytext
    import nbformat

    path = Path(path)
    lab = lab or _short_name(path.parent.name)
    text = jupytext.read(path, fmt="py:percent")
    cells, ids = [], set()

    def add(cell, explicit_id=None):
        cell_id = explicit_id or _content_id(cell.cell_type, cell.source)
        base, n = cell_id, 2
        while cell_id in ids:
            if explicit_id:
                raise LessonError(f"{path.name}: el id {cell_id!r} se repite; los ids deben ser únicos.")
            cell_id, n = f"{base}-{n}", n + 1
        ids.add(cell_id)
        cell["id"] = cell_id
        cells.append(cell)

    for number, raw in enumerate(text.cells, start=1):
        meta = dict(raw.metadata)
        where = f"{path.name}, celda {number}"
        kind = meta.pop("nbgrader", None)
        explicit = meta.pop("id", None)
        source = raw.source.strip("\n")
        if raw.cell_type == "markdown":
            cell = nbformat.v4.new_markdown_cell(source)
        elif raw.cell_type == "code":
            cell = nbformat.v4.new_code_cell(source)
        else:
            raise LessonError(f"{where}: tipo de celda {raw.cell_type!r} no admitido.")
        cell.metadata.update({k: v for k, v in meta.items() if k in _KEEP})
        if kind is None:
            add(cell, explicit)
            continue
        if kind == "setup":
            if SETUP_MARKER not in source.split("\n"):
                raise LessonError(f"{where}: la celda de preparación debe empezar con la línea\n    {SETUP_MARKER}")
            cell.source = source.replace(SETUP_MARKER, COMMON_SETUP, 1)
        if kind == "tests" or (isinstance(kind, dict) and kind.get("grade")):
            cell.source = expand_hidden(source)
        if kind == "comprueba_todo":
            section = f"{meta['section']}. " if meta.get("section") else ""
            add(nbformat.v4.new_markdown_cell(CLOSING_MARKDOWN.format(section=section, lab=lab)),
                "comprueba-todo-texto")
            add(cell, explicit or "comprueba-todo")
            continue
        cell.metadata["nbgrader"] = _nbgrader(kind, meta, where)
        if cell.metadata["nbgrader"].get("locked"):
            cell.metadata["deletable"] = False
            cell.metadata["editable"] = False
        add(cell, explicit or cell.metadata["nbgrader"].get("grade_id"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = json.loads(json.dumps(KERNEL_METADATA))
    nbformat.validate(nb)
    return nb


def _short_name(lab_id: str) -> str:
    from course_lib.course.grading.config import LABS

    return next((short for short, full in LABS.items() if full == lab_id), lab_id)


def lesson_files(labs=(), *, root: str | Path | None = None) -> list[Path]:
    """The lesson sources ``notebooks/<id>/<id>.py`` of ``labs`` (short or folder names; all by default)."""
    from course_lib.course.grading.config import LABS

    notebooks = Path(root or REPO_ROOT) / "notebooks"
    found = sorted(p for p in notebooks.glob("*/*.py") if p.stem == p.parent.name)
    if not labs:
        return found
    wanted = {LABS.get(lab, lab) for lab in labs}
    matches = lambda stem, name: stem == name or stem.startswith(f"{name}_")  # noqa: E731  lab3 → lab3_cascades
    chosen = [p for p in found if any(matches(p.stem, name) for name in wanted)]
    missing = {name for name in wanted if not any(matches(p.stem, name) for p in chosen)}
    if missing:
        raise LessonError(f"No encuentro la lección de {', '.join(sorted(missing))}: "
                          f"espero notebooks/<lab>/<lab>.py.")
    return chosen


def render(path: str | Path) -> str:
    """The exact text of the ``.ipynb`` built from lesson ``path``."""
    import nbformat

    return nbformat.writes(build_notebook(path)) + "\n"


def stale(labs=(), *, root: str | Path | None = None) -> list[Path]:
    """Built notebooks that are missing or differ from what their lesson file gives."""
    out = []
    for path in lesson_files(labs, root=root):
        target = path.with_suffix(".ipynb")
        if not target.exists() or target.read_text(encoding="utf-8") != render(path):
            out.append(target)
    return out


BUILD_COMMAND = "make notebooks  (o: python -m course_lib.course.lessons build)"


def main(argv: list[str] | None = None) -> int:
    """``build [lab...]`` writes the notebooks; ``check [lab...]`` exits 1 if one is out of date."""
    args = list(sys.argv[1:] if argv is None else argv)
    command, labs = (args[0], args[1:]) if args else ("build", [])
    try:
        if command == "build":
            for path in lesson_files(labs):
                path.with_suffix(".ipynb").write_text(render(path), encoding="utf-8")
                print(f"escrito {path.with_suffix('.ipynb')}")
            return 0
        if command == "check":
            old = stale(labs)
            for target in old:
                print(f"{target} no corresponde a su lección .py; regenéralo con: {BUILD_COMMAND}", file=sys.stderr)
            print("" if old else "Todos los cuadernos están al día con sus lecciones.")
            return 1 if old else 0
    except LessonError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print("Uso: python -m course_lib.course.lessons build|check [lab ...]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
