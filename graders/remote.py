"""The kernel's side of a hidden check: run the learner's functions on what the grader sends.

A hidden test cell calls ``hidden_check(grade_id, spec, **functions)``. The
kernel is an untrusted worker: it connects to its grader process (the socket
in ``$COSTLAB_GRADER``, set by the grading pipeline), says which test cell it
is, then answers the grader's calls — each a function name and plain inputs
(``graders.wire``) — with the plain result or the exception the function
raised. A call may ask the kernel to *keep* its result (a cache object, a
guard, a client) in this session's table and answer with a ``wire.Handle``;
later calls run a method of a kept object, read one of its attributes, or
pass it as an argument. The grader may also have the kernel build a
``course_lib`` object (``"course_lib.clock:Clock"``), e.g. a client of
the grader's own simulator, or read a plain value the cell handed over
(``hidden_check(..., PROMPT=PROMPT)``). The grader decides pass or fail and sends its verdict; this cell
prints it, or raises ``AssertionError`` with the Spanish hint. What this cell
does or prints does not score: the pipeline reads the verdict the grader
recorded. Around each call the learner's prints, warnings and logging are
captured, so a correct function that warns never fails the cell (nbgrader
fails a cell that writes to stderr).

Outside autograding (an author running the source notebook, with the hidden
data at hand) no socket is set and the cell starts a one-session grader
itself, with ``python -I`` and this package's folder as its path.
This module does not judge anything and holds no hidden data.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import socket
import subprocess
import time
import warnings
from pathlib import Path

from graders import wire

ENV_SOCKET = "COSTLAB_GRADER"  # the same name as graders.verdicts.ENV_SOCKET (not imported: kernel side stays small)


@contextlib.contextmanager
def _captured():
    """Swallow stdout, stderr, warnings and logging of the learner's call."""
    sink = io.StringIO()
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), \
                warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            yield sink
    finally:
        logging.disable(previous)


def _library(name: str):
    """``"course_lib.pkg:attr"`` → that attribute (only the course's library and its visible
    ``graders`` helpers can be named: a driver there runs on the learner's side, so whatever it
    reports is judged like any other answer of the kernel)."""
    import importlib

    module, _, attr = name.partition(":")
    if module.split(".")[0] not in ("course_lib", "graders") or not attr:
        return None
    return getattr(importlib.import_module(module), attr, None)


def _resolve(value, objects: dict):
    """Swap the handles in a decoded value for the kept objects they name."""
    if type(value) is wire.Handle:
        if value.id not in objects:
            raise LookupError(f"no hay objeto {value.id} en el cuaderno")
        return objects[value.id]
    if type(value) is list:
        return [_resolve(v, objects) for v in value]
    if type(value) is tuple:
        return tuple(_resolve(v, objects) for v in value)
    if type(value) is dict:
        return {k: _resolve(v, objects) for k, v in value.items()}
    return value


_MISSING = object()


def _target(message: dict, functions: dict, objects: dict):
    """What a call runs: a kept object's method or attribute, a library name, or a learner's function."""
    name, target = message.get("name"), message.get("target")
    if type(name) is not str:
        return _MISSING
    if target is not None:  # a method or attribute of a kept object; dotted: chat.completions.create
        parts = name.split(".")
        if target not in objects or any(p.startswith("_") and p not in ("__call__", "__len__") for p in parts):
            return _MISSING
        found = objects[target]
        for part in parts:
            found = getattr(found, part, _MISSING)
            if found is _MISSING:
                break
        return found
    if ":" in name:
        found = _library(name)
        return _MISSING if found is None else found
    return functions.get(name, _MISSING)


def _answer(message: dict, functions: dict, objects: dict | None = None) -> dict:
    name, call_id = message.get("name"), message.get("id")
    objects = {} if objects is None else objects
    get = message.get("get") is True
    try:
        func = _target(message, functions, objects)
    except Exception as exc:  # noqa: BLE001 - an attribute that raises is the learner's error
        return {"op": "raised", "id": call_id, "type": type(exc).__name__, "message": str(exc)[:500]}
    if func is _MISSING or not (get or callable(func)):  # get without target: a value the cell handed over
        what = "el atributo" if message.get("target") is not None else "una función"
        return {"op": "raised", "id": call_id, "type": "NameError",
                "message": f"la celda no entregó {what} {name!r}"}
    try:
        args = _resolve(message.get("args") or [], objects)
        kwargs = _resolve(message.get("kwargs") or {}, objects)
    except LookupError as exc:
        return {"op": "raised", "id": call_id, "type": "LookupError", "message": str(exc)}
    try:
        with _captured():
            value = func if get else func(*args, **kwargs)
    except NotImplementedError:
        return {"op": "raised", "id": call_id, "type": "NotImplementedError",
                "message": "la función aún no está implementada (borra la línea raise NotImplementedError())"}
    except BaseException as exc:  # noqa: BLE001 - everything the learner raised goes back to the grader
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {"op": "raised", "id": call_id, "type": type(exc).__name__, "message": str(exc)[:500]}
    if message.get("keep") is True:
        key = len(objects) + 1
        objects[key] = value
        return {"op": "result", "id": call_id, "value": {"$handle": key}}
    return {"op": "result", "id": call_id, "value": wire.encode(value)}


def _session(reader, writer, grade_id: str, functions: dict) -> dict:
    writer.write(wire.dumps({"op": "hello", "grade_id": grade_id, "names": sorted(functions)}))
    writer.flush()
    objects: dict = {}
    while True:
        message = wire.read_message(reader)
        if message is None:
            return {"passed": False, "message": "el corrector terminó sin dar veredicto"}
        if message.get("op") == "verdict":
            return message
        if message.get("op") == "call":
            writer.write(wire.dumps(_answer(message, functions, objects)))
            writer.flush()


def _local_session(grade_id: str, spec: str, functions: dict) -> dict:
    roots = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    roots.append(str(Path(__file__).resolve().parent.parent))
    from graders.verdicts import grader_command

    cmd = grader_command(roots, ["--stdio", "--specs", json.dumps({grade_id: spec})])
    with subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as proc:
        try:
            return _session(proc.stdout, proc.stdin, grade_id, functions)
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)


def _connect(conn, address: str, *, wait: float = 30.0) -> None:
    """Connect to the grader's socket, waiting for it to appear (it starts beside the kernel)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            conn.connect(address)
            return
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                raise AssertionError("no se pudo contactar con el proceso corrector de las pruebas ocultas") from None
            time.sleep(0.02)


def hidden_check(grade_id: str, spec: str, **functions) -> None:
    """Serve the grader's hidden check of test cell ``grade_id`` with the learner's ``functions``.

    ``spec`` (``"module:function"``) is read by the pipeline from the instructor's
    notebook; during autograding the grader ignores what the kernel says it is.
    """
    address = os.environ.get(ENV_SOCKET)
    if address:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            _connect(conn, address)
            stream = conn.makefile("rwb")
            verdict = _session(stream, stream, grade_id, functions)
    else:
        verdict = _local_session(grade_id, spec, functions)
    if verdict.get("passed") is True:
        print("✔ Pruebas ocultas superadas.")
        return
    raise AssertionError(str(verdict.get("message") or "la prueba oculta no se ha superado"))
