"""Plain values on the wire between the grader process and the learner's kernel.

A hidden check runs in a separate grader process and talks to the kernel in
JSON lines: one message per line, each a JSON object. Only plain values cross:
``None``, ``bool``, ``int``, ``float``, ``str``, lists and dicts with string
keys, plus three tagged forms — ``{"$decimal": "0.0025"}`` (``Decimal``),
``{"$tuple": [...]}`` and, for anything else, ``{"$unsupported": "TypeName"}``,
which decodes to an :class:`Unsupported` marker that equals nothing. Encoding
is by *exact* type: a subclass of ``int`` or ``Decimal`` (an object rigged to
compare equal to everything) travels as ``$unsupported``, so the grader never
receives an object whose methods the learner wrote. This module does not
open sockets (``graders.remote`` and ``graders.verdicts`` do).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

MAX_LINE = 64 * 1024 * 1024
"""Longest message accepted (bytes): a kernel cannot exhaust the grader's memory."""

_PLAIN = (type(None), bool, int, float, str)


class WireError(ValueError):
    """A message is not valid JSON of the agreed shape."""


class Unsupported:
    """Stands for a value the kernel could not send as a plain value.

    >>> u = Unsupported("Trampa")
    >>> u == u, u == 1, repr(u)
    (False, False, '<objeto de tipo Trampa>')
    """

    __slots__ = ("type_name",)

    def __init__(self, type_name: str):
        self.type_name = str(type_name)[:80]

    def __eq__(self, other) -> bool:
        return False

    __hash__ = None

    def __repr__(self) -> str:
        return f"<objeto de tipo {self.type_name}>"


def encode(value):
    """A JSON-ready form of ``value``, tagging what JSON cannot say.

    >>> encode([1, (2, Decimal("0.10")), {"a": None}])
    [1, {'$tuple': [2, {'$decimal': '0.10'}]}, {'a': None}]
    >>> class Siempre(int):
    ...     def __eq__(self, other): return True
    >>> encode(Siempre(3))
    {'$unsupported': 'Siempre'}
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Decimal:
        return {"$decimal": str(value)}
    if kind is list:
        return [encode(v) for v in value]
    if kind is tuple:
        return {"$tuple": [encode(v) for v in value]}
    if kind is dict and all(type(k) is str for k in value):
        return {k: encode(v) for k, v in value.items()}
    return {"$unsupported": kind.__name__}


def _tagged(obj: dict):
    if len(obj) == 1:
        (key, inner), = obj.items()
        if key == "$decimal":
            if type(inner) is not str:
                raise WireError("$decimal necesita un texto")
            try:
                return Decimal(inner)
            except InvalidOperation as exc:
                raise WireError(f"$decimal no válido: {inner[:40]!r}") from exc
        if key == "$tuple":
            if type(inner) is not list:
                raise WireError("$tuple necesita una lista")
            return tuple(inner)
        if key == "$unsupported":
            return Unsupported(inner)
    return obj


def dumps(message: dict) -> bytes:
    """One message as a JSON line (values already encoded or plain)."""
    return (json.dumps(encode(message), ensure_ascii=False) + "\n").encode("utf-8")


def loads(line: bytes | str):
    """Decode one JSON line into plain values (and the tagged forms).

    >>> loads(dumps({"op": "result", "value": (1, Decimal("2.5"))}))
    {'op': 'result', 'value': (1, Decimal('2.5'))}
    >>> loads(b"no es json")
    Traceback (most recent call last):
    ...
    graders.wire.WireError: mensaje que no es JSON
    """
    if len(line) > MAX_LINE:
        raise WireError("mensaje demasiado largo")
    try:
        message = json.loads(line, object_hook=_tagged)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise WireError("mensaje que no es JSON") from exc
    if type(message) is not dict:
        raise WireError("cada mensaje debe ser un objeto JSON")
    return message


def read_message(stream) -> dict | None:
    """Read one message from a binary file-like ``stream``; ``None`` at end of stream."""
    line = stream.readline(MAX_LINE + 1)
    if not line:
        return None
    return loads(line)
