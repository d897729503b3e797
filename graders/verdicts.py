"""The grader process: runs hidden checks against an untrusted kernel and records verdicts.

During autograding, each kernel gets its own grader process, started by the
pipeline (``course_lib.course.grading.sandbox``) with ``python -I`` and a
``sys.path`` of the course's own folders only, so nothing the learner put on
the kernel's path (another ``graders`` package, a patched module) is imported
here. The grader listens on a Unix socket; a hidden test cell
(``graders.remote.hidden_check``) connects and says which test cell it is; the
grader looks up that cell's check in the spec map it was given (built from the
instructor's source notebook, never from the kernel) and runs it. A check is
``check(worker)``: it sends plain inputs with ``worker.call(name, *args)``,
receives plain outputs (``graders.wire``), compares them with :func:`exact`
and raises ``AssertionError`` with a Spanish hint to fail. Every baseline and
expected value is computed here. The verdict of each session is written to a
JSON file the kernel cannot see; the pipeline scores hidden cells from it.

``LocalWorker`` runs the same check on functions in this process (a course
author's tests, the in-kernel timing comparison). This module does not start
kernels or sandboxes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import socket
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

from graders import wire

ENV_SOCKET = "COSTLAB_GRADER"
"""Environment variable that gives a kernel the path of its grader's socket."""


class LearnerRaised(AssertionError):
    """The learner's function raised; the message says which exception (Spanish).

    ``what`` names the code that raised («tu función f», «el método m de tu
    objeto»), ``type_name`` and ``detail`` are the exception's type and message.
    """

    def __init__(self, what: str, type_name: str, detail: str):
        super().__init__(f"{what} lanzó {type_name}: {detail}")
        self.what, self.type_name, self.detail = what, type_name, detail


def _short(value, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def exact(got, expected) -> bool:
    """Same value AND same exact types, recursively (``True`` is not ``1``, a float not a ``Decimal``).

    >>> exact(Decimal("0.10"), Decimal("0.1")), exact(0.1, Decimal("0.1")), exact(True, 1)
    (True, False, False)
    >>> exact({"a": [1, (2, "x")]}, {"a": [1, (2, "x")]}), exact([1], [1, 2])
    (True, False)
    """
    if type(got) is not type(expected):
        return False
    if type(expected) in (list, tuple):
        return len(got) == len(expected) and all(exact(g, e) for g, e in zip(got, expected))
    if type(expected) is dict:
        return got.keys() == expected.keys() and all(exact(got[k], expected[k]) for k in expected)
    return got == expected


def describe(value) -> str:
    """A value and its type for a hint: ``0.1 (float)``.

    >>> describe(0.1), describe(wire.Unsupported("Trampa"))
    ('0.1 (float)', 'un objeto de tipo Trampa, que no es un valor simple')
    """
    if isinstance(value, wire.Unsupported):
        return f"un objeto de tipo {value.type_name}, que no es un valor simple"
    return f"{_short(value)} ({type(value).__name__})"


class _Worker:
    """What a check can ask of the learner's side: plain calls, and objects kept there.

    ``call(name, *args, **kwargs)`` runs the learner's function ``name`` and
    returns its plain result. ``keep(name, ...)`` runs it and leaves the
    result on the learner's side, returning a :class:`graders.wire.Handle`;
    ``name`` may also be a library object, ``"course_lib.clock:ManualClock"``.
    ``method(handle, name, ...)`` (and ``keep_method``) run a method of a kept
    object; ``attr(handle, name)`` reads one of its attributes and
    ``value(name)`` a plain value the cell handed over (``handle(name)`` a handle to it,
    e.g. the learner's function for a driver that calls it). Handles can be
    passed as arguments. A function that raised becomes :class:`LearnerRaised`.
    """

    def _exchange(self, message: dict) -> dict | None:
        raise NotImplementedError

    def _send(self, name: str, args, kwargs, *, target=None, keep=False, get=False):
        self._next = getattr(self, "_next", 0) + 1
        message = {"op": "call", "id": self._next, "name": name, "args": list(args), "kwargs": kwargs}
        if target is not None:
            message["target"] = target.id
        if keep:
            message["keep"] = True
        if get:
            message["get"] = True
        reply = self._exchange(message)
        if reply is None:
            raise AssertionError("el cuaderno cortó la comunicación con el corrector a mitad de la prueba")
        if reply.get("id") != self._next:
            raise AssertionError("respuesta fuera de orden del cuaderno")
        if reply.get("op") == "raised":
            what = f"tu función {name}" if target is None else f"el método {name} de tu objeto"
            raise LearnerRaised(what, str(reply.get("type"))[:60], str(reply.get("message"))[:300])
        if reply.get("op") != "result" or "value" not in reply:
            raise AssertionError("respuesta no válida del cuaderno")
        value = reply["value"]
        if keep and type(value) is not wire.Handle:
            raise AssertionError("respuesta no válida del cuaderno (esperaba un objeto guardado)")
        return value

    def call(self, name: str, *args, **kwargs):
        return self._send(name, args, kwargs)

    def keep(self, name: str, *args, **kwargs) -> wire.Handle:
        return self._send(name, args, kwargs, keep=True)

    def method(self, handle: wire.Handle, name: str, *args, **kwargs):
        return self._send(name, args, kwargs, target=handle)

    def keep_method(self, handle: wire.Handle, name: str, *args, **kwargs) -> wire.Handle:
        return self._send(name, args, kwargs, target=handle, keep=True)

    def attr(self, handle: wire.Handle, name: str):
        return self._send(name, (), {}, target=handle, get=True)

    def value(self, name: str):
        """A value the test cell handed over by name (``hidden_check(..., PROMPT=PROMPT)``), plain."""
        return self._send(name, (), {}, get=True)

    def handle(self, name: str) -> wire.Handle:
        """A handle to what the cell handed over by name (the learner's function itself), to pass to a driver."""
        return self._send(name, (), {}, keep=True, get=True)


class LocalWorker(_Worker):
    """Runs the learner's side in this process (no isolation): an author's tests, timing baselines.

    Messages still go through ``graders.wire`` and ``graders.remote``, so a
    check sees exactly the values it would see from a kernel.

    >>> w = LocalWorker({"doble": lambda x: 2 * x})
    >>> w.call("doble", 21), w.attr(w.keep("doble", [1]), "__len__") is not None
    (42, True)
    """

    def __init__(self, functions: dict):
        from graders import remote

        self.functions, self.objects, self._answer = dict(functions), {}, remote._answer

    def _exchange(self, message: dict) -> dict:
        sent = wire.loads(wire.dumps(message))
        return wire.loads(wire.dumps(self._answer(sent, self.functions, self.objects)))


class RemoteWorker(_Worker):
    """The kernel at the other end of a connection: sends calls, reads plain results."""

    def __init__(self, stream, names: list[str]):
        self.stream, self.names, self._next = stream, list(names), 0

    def _send(self, name: str, args, kwargs, *, target=None, keep=False, get=False):
        if target is None and ":" not in name and name not in self.names:
            raise AssertionError(f"la celda no entregó la función {name}; vuelve a ejecutar el cuaderno entero")
        return super()._send(name, args, kwargs, target=target, keep=keep, get=get)

    def _exchange(self, message: dict) -> dict | None:
        self.stream.write(wire.dumps(message))
        self.stream.flush()
        return wire.read_message(self.stream)


def load_check(spec: str):
    """``"module:function"`` → the check function (imported from this process's own path)."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def run_check(spec: str, worker) -> tuple[bool, str]:
    """Run one check; ``(passed, Spanish message)``. Never raises."""
    try:
        load_check(spec)(worker)
    except AssertionError as exc:
        return False, str(exc) or "la prueba oculta no se ha superado"
    except wire.WireError as exc:
        return False, f"el cuaderno envió un mensaje no válido al corrector ({exc})"
    except Exception as exc:  # a grader bug: fail the cell, tell the instructor in the log
        print(f"[corrector] error interno en {spec}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return False, f"error interno del corrector ({type(exc).__name__}); avisa a tu docente"
    return True, "pruebas ocultas superadas"


class VerdictBook:
    """Verdicts by test cell, rewritten atomically after every session.

    A cell passes only if it ran at least once and every run passed.
    """

    def __init__(self, path: Path):
        self.path, self.lock, self.cells = Path(path), threading.Lock(), {}

    def record(self, grade_id: str, passed: bool, message: str, seconds: float) -> None:
        with self.lock:
            cell = self.cells.setdefault(grade_id, {"passed": True, "message": "", "runs": []})
            cell["runs"].append({"passed": passed, "message": message, "seconds": round(seconds, 4)})
            if cell["passed"] and not passed or not cell["message"]:
                cell["message"] = message
            cell["passed"] = cell["passed"] and passed
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.cells, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)


def serve_connection(stream, specs: dict[str, str], book: VerdictBook | None) -> tuple[bool, str]:
    """One session: hello → the cell's check → verdict sent back (and recorded)."""
    start = time.perf_counter()
    grade_id = "?"
    try:
        hello = wire.read_message(stream)
        if not hello or hello.get("op") != "hello" or type(hello.get("grade_id")) is not str:
            return False, "saludo no válido"
        grade_id = hello["grade_id"][:200]
        names = [n for n in hello.get("names") or [] if type(n) is str]
        if grade_id not in specs:
            passed, message = False, f"la celda {grade_id} no tiene prueba oculta registrada"
        else:
            passed, message = run_check(specs[grade_id], RemoteWorker(stream, names))
    except wire.WireError as exc:
        passed, message = False, f"el cuaderno envió un mensaje no válido al corrector ({exc})"
    except OSError:
        passed, message = False, "el cuaderno cortó la comunicación con el corrector"
    if book is not None and grade_id in specs:
        book.record(grade_id, passed, message, time.perf_counter() - start)
    try:
        stream.write(wire.dumps({"op": "verdict", "passed": passed, "message": message}))
        stream.flush()
    except OSError:
        pass
    return passed, message


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def serve(socket_path: str, specs: dict[str, str], book: VerdictBook) -> None:
    """Accept kernels' connections on ``socket_path`` until this process is ended."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = socket_path + ".tmp"
    server.bind(tmp)
    os.chmod(tmp, 0o666)
    server.listen(8)
    os.replace(tmp, socket_path)  # the socket appears only once it accepts
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    while True:
        conn, _ = server.accept()
        stream = conn.makefile("rwb")
        threading.Thread(target=lambda s=stream, c=conn: (serve_connection(s, specs, book), s.close(), c.close()),
                         daemon=True).start()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="graders.verdicts", description="Proceso corrector de pruebas ocultas.")
    parser.add_argument("--specs", required=True, help="JSON {grade_id: 'modulo:funcion'}")
    parser.add_argument("--socket", help="ruta del socket Unix donde escuchar")
    parser.add_argument("--verdicts", help="fichero JSON de veredictos")
    parser.add_argument("--stdio", action="store_true", help="una sesión por stdin/stdout (sin registro)")
    args = parser.parse_args(argv)
    specs = json.loads(args.specs)
    if args.stdio:
        class _Duplex:
            def __init__(self):
                self.readline, self.write, self.flush = (sys.stdin.buffer.readline, sys.stdout.buffer.write,
                                                          sys.stdout.buffer.flush)
        passed, _ = serve_connection(_Duplex(), specs, None)
        return 0 if passed else 1
    serve(args.socket, specs, VerdictBook(Path(args.verdicts)))
    return 0


BOOTSTRAP = ("import os, sys; sys.path[:0] = [p for p in sys.argv[1].split(os.pathsep) if p]; "
             "import graders.verdicts as v; sys.exit(v.main(sys.argv[2:]))")
"""What ``python -I -c`` runs: the course's folders first, then this module's ``main``."""


def grader_command(roots: list[str | Path], args: list[str]) -> list[str]:
    """The command that starts a grader with ``sys.path`` = ``roots`` + the interpreter's own libs.

    >>> cmd = grader_command(["/curso"], ["--stdio", "--specs", "{}"])
    >>> cmd[1:3], cmd[4], cmd[5:]
    (['-I', '-c'], '/curso', ['--stdio', '--specs', '{}'])
    """
    return [sys.executable, "-I", "-c", BOOTSTRAP, os.pathsep.join(str(r) for r in roots)] + list(args)
