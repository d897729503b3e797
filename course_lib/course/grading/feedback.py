"""Feedback that never shows hidden tests: an nbconvert preprocessor for nbgrader.

``HideHiddenTests`` runs inside ``nbgrader generate_feedback`` (see
``nbgrader_config.py``). In every autograder test cell it replaces the region
between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` with a one-line
Spanish note, and it shortens error outputs so that no traceback frame shows
test or grader source: a test cell keeps only ``Error: mensaje``; a learner's
own cell keeps its traceback minus the frames that point into ``graders/``.
A test cell that failed only because it wrote to stderr (nbgrader counts any
stderr output as a failure: a ``warnings.warn`` or a logging message is
enough) gets a Spanish note saying so above that output.
It does not change scores (``GetGrades`` reads those from the gradebook).
The page itself is nbgrader's feedback template with Spanish labels
(``templates/feedback_es``, selected in ``nbgrader_config.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""Holds ``feedback_es``: nbgrader's feedback page with Spanish labels."""

BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"
HIDDEN_NOTE = "# (Aquí se ejecutan pruebas ocultas con datos ocultos; su código no se muestra.)"
STDERR_NOTE = (
    "⚠ Esta celda de test no lanzó ningún error, pero escribió en la salida de errores (stderr) y "
    "nbgrader cuenta eso como un fallo. Suele ser un aviso (warnings.warn) o un mensaje de logging "
    "de tu código; lo que escribió está debajo.\n"
)
"""Prefixed to the stderr output of a test cell whose only failure is that output."""
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_GRADER_FRAME = re.compile(r"[/\\]graders[/\\]|File .*graders")


def hide_hidden_region(source: str, note: str = HIDDEN_NOTE) -> str:
    """Replace each hidden-tests region of a cell's source with ``note``.

    >>> src = "check(f)\\n### BEGIN HIDDEN TESTS\\nsecret(f)\\n### END HIDDEN TESTS"
    >>> print(hide_hidden_region(src, note="# oculto"))
    check(f)
    # oculto
    """
    out, inside = [], False
    for line in source.split("\n"):
        if BEGIN in line:
            inside = True
            out.append(note)
        elif END in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def short_error(ename: str, evalue: str) -> list[str]:
    """The one-line traceback shown for a failed test cell.

    >>> short_error("AssertionError", "Revisa los tokens en caché.")
    ['AssertionError: Revisa los tokens en caché.']
    >>> short_error("CellTimeoutError", "")
    ['CellTimeoutError: la celda superó el tiempo máximo y se interrumpió.']
    """
    if ename == "CellTimeoutError" and not evalue:
        evalue = "la celda superó el tiempo máximo y se interrumpió."
    return [f"{ename}: {evalue}" if evalue else ename]


def strip_grader_frames(traceback: list[str]) -> list[str]:
    """Drop traceback entries that show source from the ``graders`` package.

    >>> strip_grader_frames(["Cell In[3], line 1", "File /c/graders/lab1.py:9, in check", "ValueError: x"])
    ['Cell In[3], line 1', 'ValueError: x']
    """
    return [entry for entry in traceback if not _GRADER_FRAME.search(_ANSI.sub("", entry))]


def failed_by_stderr(cell) -> str | None:
    """The stderr text of a cell that has no error output (what failed it in nbgrader's eyes).

    >>> failed_by_stderr({"outputs": [{"output_type": "stream", "name": "stderr", "text": "aviso"}]})
    'aviso'
    >>> failed_by_stderr({"outputs": [{"output_type": "error", "ename": "E", "evalue": ""},
    ...                               {"output_type": "stream", "name": "stderr", "text": "aviso"}]}) is None
    True
    """
    outputs = cell.get("outputs", [])
    if any(o.get("output_type") == "error" for o in outputs):
        return None
    text = "".join(o.get("text", "") for o in outputs
                   if o.get("output_type") == "stream" and o.get("name") == "stderr")
    return text or None


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


class HideHiddenTests(Preprocessor):
    """Remove hidden test source and grader tracebacks from the feedback notebook."""

    enabled = Bool(True, help="Always on: feedback must never show hidden tests.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        test_cell = _is_test_cell(cell)
        if test_cell:
            cell.source = hide_hidden_region(cell.source)
            if failed_by_stderr(cell):
                first = next(o for o in cell.outputs if o.get("output_type") == "stream" and o.get("name") == "stderr")
                first["text"] = STDERR_NOTE + first.get("text", "")
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if test_cell:
                output["traceback"] = short_error(output.get("ename", "Error"), output.get("evalue", ""))
            else:
                output["traceback"] = strip_grader_frames(list(output.get("traceback", [])))
        return cell, resources
