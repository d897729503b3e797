"""Hidden test cells scored by the grader process's verdicts, not by whether the kernel raised.

A *remote* hidden test cell has, inside its ``### BEGIN HIDDEN TESTS`` region,
``remote.hidden_check("<its grade_id>", "<module>:<check>", name=function, ...)``
(``graders.remote``). ``remote_specs`` reads these from the instructor's source
notebook — the only place the pipeline trusts — as ``{grade_id: spec}``.
After nbgrader's autograde of a submission, ``apply_verdicts`` sets each remote
cell's points in the gradebook from the verdict file its grader process wrote:
full points if the verdict says passed, 0 otherwise (a missing verdict, a
missing file, a cell the kernel never reached, are all fails), and
``annotate_notebook`` writes that verdict under the cell, for the feedback. Cells without a
remote check keep nbgrader's own score. The sandbox that runs the kernel and
its grader is ``course_lib.course.grading.sandbox``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from course_lib.course.grading.config import GradingError

_CALL = re.compile(r"""remote\.hidden_check\(\s*["']([^"']+)["']\s*,\s*["']([\w.]+:\w+)["']""")


@dataclass(frozen=True)
class Verdict:
    """What the grader process decided for one hidden test cell."""

    grade_id: str
    passed: bool
    message: str
    seconds: float = 0.0


def _hidden_region(source: str) -> str:
    out, inside = [], False
    for line in source.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            out.append(line)
    return "\n".join(out)


def specs_of_cells(cells) -> dict[str, str]:
    """``{grade_id: "module:check"}`` of the test cells with a remote hidden check.

    >>> cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "grade_id": "ej1_test"}},
    ...         "source": '### BEGIN HIDDEN TESTS\\nremote.hidden_check("ej1_test", "graders.lab9:check_ej1", f=f)\\n'
    ...                   '### END HIDDEN TESTS'}
    >>> specs_of_cells([cell])
    {'ej1_test': 'graders.lab9:check_ej1'}
    """
    specs = {}
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        for grade_id, spec in _CALL.findall(_hidden_region(cell.get("source", ""))):
            if grade_id != meta.get("grade_id"):
                raise GradingError(f"La celda de test {meta.get('grade_id')} llama a hidden_check con "
                                   f"{grade_id!r}: debe ser su propio grade_id.")
            specs[grade_id] = spec
    return specs


def remote_specs(source_notebook: Path) -> dict[str, str]:
    """Remote hidden checks of a source notebook (``{}`` for a lab that has none)."""
    import nbformat

    return specs_of_cells(nbformat.read(source_notebook, as_version=4).cells)


def read_verdicts(path: Path, specs: dict[str, str]) -> dict[str, Verdict]:
    """One verdict per remote cell; a cell missing from the file (or no file) has failed."""
    try:
        recorded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    verdicts = {}
    for grade_id in specs:
        cell = recorded.get(grade_id)
        if not isinstance(cell, dict) or not cell.get("runs"):
            verdicts[grade_id] = Verdict(grade_id, False, "la prueba oculta no llegó a ejecutarse (sin veredicto "
                                                          "del corrector): se cuenta como no superada")
            continue
        seconds = sum(float(r.get("seconds", 0)) for r in cell["runs"])
        verdicts[grade_id] = Verdict(grade_id, cell.get("passed") is True, str(cell.get("message", "")), seconds)
    return verdicts


def annotate_notebook(path: Path, verdicts: dict[str, Verdict]) -> None:
    """Append the grader's verdict to each remote cell's outputs in the autograded notebook.

    The feedback is built from this notebook, so it shows the verdict that scored the cell
    even when the kernel hid or faked its own output.
    """
    import nbformat

    path = Path(path)
    if not path.is_file():
        return
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        verdict = verdicts.get(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
        if verdict is None or cell.get("cell_type") != "code":
            continue
        text = ("✔ Veredicto del corrector: pruebas ocultas superadas." if verdict.passed
                else f"✘ Veredicto del corrector: {verdict.message}")
        cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text + "\n"))
    nbformat.write(nb, path)


def apply_verdicts(db_url: str, course_id: str, lab_id: str, student: str,
                   verdicts: dict[str, Verdict]) -> None:
    """Set each remote cell's ``auto_score`` in the gradebook from its verdict."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        for grade_id, verdict in verdicts.items():
            try:
                grade = gb.find_grade(grade_id, lab_id, lab_id, student)
            except MissingEntry:
                continue  # nbgrader did not grade this notebook at all: it scores 0 anyway
            grade.auto_score = float(grade.max_score) if verdict.passed else 0.0
        gb.db.commit()
