"""Check functions behind the labs' test cells, and the hidden data they use.

Each lab has a module (``graders.lab1``...) whose ``check_*`` functions take the
learner's function, run it on data and raise ``AssertionError`` with a Spanish
message that names the fix. Visible checks use public examples; ``*_oculto``
checks use files in ``graders/hidden/`` that the student version of a lab never
shows. This package does not run nbgrader (see ``course_lib.course.grading``).
"""

from __future__ import annotations

import json
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


def fail(exercise: str, problem: str, hint: str) -> None:
    """Raise the standard learner-facing failure.

    >>> fail("Ejercicio 1", "el coste no coincide", "divide entre un millón")
    Traceback (most recent call last):
    ...
    AssertionError: Ejercicio 1: el coste no coincide. Pista: divide entre un millón.
    """
    raise AssertionError(f"{exercise}: {problem}. Pista: {hint}.")


def call(exercise: str, func, *args, **kwargs):
    """Call the learner's ``func``; turn its crashes into a clear failure.

    >>> call("Ejercicio 1", lambda: 1 / 0)
    Traceback (most recent call last):
    ...
    AssertionError: Ejercicio 1: tu función lanzó ZeroDivisionError: division by zero. Pista: ejecútala tú con el ejemplo de la celda anterior y corrige el error.
    """
    if not callable(func):
        fail(exercise, f"esperaba una función y recibí {type(func).__name__}",
             "ejecuta la celda donde la defines antes de esta prueba")
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        fail(exercise, "la función aún no está implementada (lanza NotImplementedError)",
             "escribe tu código y borra la línea raise NotImplementedError()")
    except AssertionError:
        raise
    except Exception as exc:  # the learner's bug, reported without our frames
        fail(exercise, f"tu función lanzó {type(exc).__name__}: {exc}",
             "ejecútala tú con el ejemplo de la celda anterior y corrige el error")


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
