"""Check functions behind the labs' test cells, and the hidden data they use.

Each lab has a module (``graders.lab1``...) whose ``check_*`` functions take the
learner's function, run it on data and raise :class:`CheckFailed` (an
``AssertionError``) with a Spanish message that names the fix. In JupyterLab a
failed check shows that message alone (IPython renders ``_render_traceback_``);
the full traceback goes to the kernel's own stderr, the server's log.
:func:`call` runs the learner's code with its warnings, logging and stderr
captured, so a correct function that warns never fails a cell; :func:`on_kernel`
is its twin in the grader process, for code a hidden check runs in the kernel. Visible checks use public examples; ``*_oculto``
checks use files in ``graders/hidden/`` that the student version of a lab never
shows. This package does not run nbgrader (see ``course_lib.course.grading``).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
import traceback
import warnings
from pathlib import Path

HIDDEN_DIR = Path(__file__).resolve().parent / "hidden"


def load_hidden(name: str):
    """Read a JSON or JSONL file from ``graders/hidden``.

    >>> isinstance(load_hidden("lab1_cases.json"), dict)
    True
    """
    path = HIDDEN_DIR / name
    if not path.exists():
        raise AssertionError(
            f"Faltan los datos ocultos de corrección ({name}). Esta prueba solo se ejecuta al corregir."
        )
    text = path.read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


class CheckFailed(AssertionError):
    """A check that did not pass: the Spanish message is all a learner needs to read.

    IPython calls ``_render_traceback_`` instead of printing the traceback, so
    the notebook shows the hint alone; nbgrader's feedback and ``str()`` still
    carry the whole message, and the full traceback goes to the kernel
    process's own stderr (``sys.__stderr__``: the Jupyter server's log, not
    the notebook's output).

    >>> lines = CheckFailed("Ejercicio 1: falta. Pista: defínela.")._render_traceback_(log=False)
    >>> len(lines), "✘ Ejercicio 1: falta. Pista: defínela." in lines[0]
    (1, True)
    """

    def _render_traceback_(self, *, log: bool = True) -> list[str]:
        # While a class is graded the feedback carries the message: no traceback per failed check
        # in the instructor's console.
        if log and sys.__stderr__ is not None and not os.environ.get("COSTLAB_GRADING"):
            with contextlib.suppress(Exception):
                sys.__stderr__.write("".join(traceback.format_exception(self)))
        return [f"\x1b[1;31m✘ {self}\x1b[0m"]


def fail(exercise: str, problem: str, hint: str) -> None:
    """Raise the standard learner-facing failure (a :class:`CheckFailed`).

    >>> fail("Ejercicio 1", "el coste no coincide", "divide entre un millón")
    Traceback (most recent call last):
    ...
    graders.CheckFailed: Ejercicio 1: el coste no coincide. Pista: divide entre un millón.
    """
    raise CheckFailed(f"{exercise}: {problem}. Pista: {hint}.")


@contextlib.contextmanager
def quiet():
    """Capture warnings, logging and stderr of the learner's code (a warning never fails a cell).

    nbgrader scores 0 a test cell that writes to stderr; the learner's own
    ``warnings.warn`` or ``logging.warning`` would do so from inside a check.

    >>> with quiet():
    ...     warnings.warn("modelo desconocido"); print("a stderr", file=sys.stderr)
    """
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings(record=True), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("always")
            yield
    finally:
        logging.disable(previous)


def call(exercise: str, func, *args, **kwargs):
    """Call the learner's ``func``; turn its crashes into a clear failure.

    >>> call("Ejercicio 1", lambda: 1 / 0)
    Traceback (most recent call last):
    ...
    graders.CheckFailed: Ejercicio 1: tu función lanzó ZeroDivisionError: division by zero. Pista: ejecútala tú con el ejemplo de la celda anterior y corrige el error.
    """
    if not callable(func):
        fail(exercise, f"esperaba una función y recibí {type(func).__name__}",
             "ejecuta la celda donde la defines antes de esta prueba")
    try:
        with quiet():
            return func(*args, **kwargs)
    except NotImplementedError:
        fail(exercise, "la función aún no está implementada (lanza NotImplementedError)",
             "escribe tu código y borra la línea raise NotImplementedError()")
    except CheckFailed:
        raise
    except Exception as exc:  # the learner's bug (their own assert included), reported without our frames
        fail(exercise, f"tu función lanzó {type(exc).__name__}: {exc}",
             "ejecútala tú con el ejemplo de la celda anterior y corrige el error")


RAISED_HINT = "ejecútala tú con el ejemplo de la celda anterior y corrige el error"


def on_kernel(exercise: str, send, name, *args, what: str | None = None, hint: str = RAISED_HINT, **kwargs):
    """:func:`call`'s twin for a hidden check in the grader process.

    ``send(name, *args, **kwargs)`` is a worker's ``call``, ``keep`` or
    ``method`` (``graders.verdicts``); when the learner's code raised in the
    kernel, the check fails as :func:`call` fails in the kernel: not
    implemented, not defined, or «``what`` lanzó Tipo: mensaje» with ``hint``
    (``what`` defaults to the code that raised, «tu función f»).
    """
    from graders.verdicts import LearnerRaised

    try:
        return send(name, *args, **kwargs)
    except LearnerRaised as exc:
        if exc.type_name == "NotImplementedError":
            fail(exercise, "la función aún no está implementada (lanza NotImplementedError)",
                 "escribe tu código y borra la línea raise NotImplementedError()")
        if exc.type_name == "NameError" and "no entregó" in exc.detail:
            fail(exercise, f"no encuentro {name} en tu cuaderno", "ejecuta la celda donde la defines antes de esta prueba")
        fail(exercise, f"{what or exc.what} lanzó {exc.type_name}: {exc.detail}", hint)


def run_visible_checks(namespace: dict, checks) -> bool:
    """The «Comprueba todo» cell of every lab: run each visible check, print ✔/✘ and a total.

    ``checks`` are ``(label, name, check)``: ``check`` receives ``namespace.get(name)``.
    Never raises: it is the lab's final self-check, not a graded cell.

    >>> run_visible_checks({"f": 1}, [("Ejercicio 1", "f", lambda v: None),
    ...                               ("Ejercicio 2", "g", lambda v: fail("Ejercicio 2", "falta", "defínela"))])
    ✔ Ejercicio 1 (f)
    ✘ Ejercicio 2 (g): falta. Pista: defínela.
    <BLANKLINE>
    1 de 2 ejercicios superan las comprobaciones visibles.
    False
    """
    import contextlib
    import io

    passed = 0
    for label, name, check in checks:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                check(namespace.get(name))
        except AssertionError as exc:
            print(f"✘ {label} ({name}): {str(exc).split(': ', 1)[-1]}")
        except Exception as exc:  # a broken environment should not hide the other results
            print(f"✘ {label} ({name}): error inesperado {type(exc).__name__}: {exc}")
        else:
            passed += 1
            print(f"✔ {label} ({name})")
    print(f"\n{passed} de {len(checks)} ejercicios superan las comprobaciones visibles.")
    return passed == len(checks)
