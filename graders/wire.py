"""Plain values on the wire between the grader process and the learner's kernel.

A hidden check runs in a separate grader process and talks to the kernel in
JSON lines: one message per line, each a JSON object. Only plain values cross:
``None``, ``bool``, ``int``, ``float``, ``str``, lists and dicts with string
keys, plus tagged forms — ``{"$decimal": "0.0025"}`` (``Decimal``),
``{"$tuple": [...]}``, ``{"$handle": 3}`` (an object kept in the kernel, see
:class:`Handle`), the data types a lab passes around (``$datetime``,
``$timestamp``, ``$array`` for a numpy array, ``$series`` and ``$frame`` for
pandas) and, for anything else, ``{"$unsupported": "TypeName"}``, which
decodes to an :class:`Unsupported` marker that equals nothing. Encoding is by
*exact* type: a subclass of ``int``, ``Decimal`` or ``DataFrame`` (an object
rigged to compare equal to everything) travels as ``$unsupported``, so the
grader never receives an object whose methods the learner wrote; numpy's
scalars travel as the Python number they hold, and the ``openai`` SDK's
response objects as their plain data (``model_dump``). pandas and numpy objects are
rebuilt from plain values by this module, never unpickled. This module does
not open sockets (``graders.remote`` and ``graders.verdicts`` do).
"""

from __future__ import annotations

import datetime as dt
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


def kind(value) -> str:
    """The type name of a learner's result, for a message (an unsendable object: its own type).

    >>> kind(Unsupported("Trampa")), kind(1.5)
    ('Trampa', 'float')
    """
    return value.type_name if isinstance(value, Unsupported) else type(value).__name__


class Handle:
    """An object that stays in the kernel, named by its number in that kernel's table.

    The grader gets one back from ``worker.keep(...)`` and passes it to later
    calls (as the object a method runs on, or as an argument); the kernel
    swaps it for the object. It carries no behaviour of the learner's.

    >>> Handle(2), Handle(2) == Handle(2)
    (<objeto 2 del cuaderno>, True)
    """

    __slots__ = ("id",)

    def __init__(self, id: int):
        self.id = int(id)

    def __eq__(self, other) -> bool:
        return type(other) is Handle and other.id == self.id

    def __hash__(self) -> int:
        return hash(("handle", self.id))

    def __repr__(self) -> str:
        return f"<objeto {self.id} del cuaderno>"


def _numpy_scalar(value, kind):
    """A numpy scalar of an exact numpy type as the Python value it holds (else ``None``)."""
    import numpy as np

    if kind in (np.bool_,):
        return bool(value)
    if kind in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64):
        return int(value)
    if kind in (np.float16, np.float32, np.float64):
        return float(value)
    if kind is np.str_:
        return str(value)
    return None


def _encode_data(value, kind):
    """numpy and pandas values of exact types; ``None`` for anything else."""
    module = kind.__module__.split(".")[0]
    if module == "numpy":
        import numpy as np

        if kind is np.ndarray and value.dtype.kind in "biuf":
            return {"$array": encode(value.tolist())}
        plain = _numpy_scalar(value, kind)
        return None if plain is None else plain
    if module == "pandas":
        import pandas as pd

        if kind is pd.Timestamp:
            return {"$timestamp": value.isoformat()}
        if kind is pd.Series:
            return {"$series": {"name": encode(value.name), "index": encode(value.index.tolist()),
                                "data": encode(value.tolist())}}
        if kind is pd.DataFrame and all(type(c) is str for c in value.columns):
            return {"$frame": {"index": encode(value.index.tolist()),
                               "columns": {c: encode(value[c].tolist()) for c in value.columns}}}
    return None


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
    if kind is Handle:
        return {"$handle": value.id}
    if kind is dt.datetime:
        return {"$datetime": value.isoformat()}
    if kind is dt.date:
        return {"$date": value.isoformat()}
    top = kind.__module__.split(".")[0]
    if top in ("numpy", "pandas"):
        data = _encode_data(value, kind)
        if data is not None:
            return data
    if top == "openai" and hasattr(value, "model_dump"):  # an SDK response: its data, as plain values
        return encode(value.model_dump(mode="json"))
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
        if key in _DATA:
            try:
                return _DATA[key](inner)
            except WireError:
                raise
            except Exception as exc:  # a malformed tagged value is the sender's fault, said plainly
                raise WireError(f"{key} no válido: {type(exc).__name__}") from exc
    return obj


def _handle(inner):
    if type(inner) is not int:
        raise WireError("$handle necesita un entero")
    return Handle(inner)


def _array(inner):
    import numpy as np

    if type(inner) is not list:
        raise WireError("$array necesita una lista")
    return np.array(inner)


def _series(inner):
    import pandas as pd

    if type(inner) is not dict or type(inner.get("data")) is not list:
        raise WireError("$series necesita data")
    return pd.Series(inner["data"], index=inner.get("index"), name=inner.get("name"), dtype=None)


def _frame(inner):
    import pandas as pd

    if type(inner) is not dict or type(inner.get("columns")) is not dict:
        raise WireError("$frame necesita columns")
    return pd.DataFrame(inner["columns"], index=inner.get("index"))


def _text(kind):
    def build(inner):
        if type(inner) is not str:
            raise WireError("necesita un texto ISO")
        return kind(inner)
    return build


def _timestamp(inner):
    import pandas as pd

    if type(inner) is not str:
        raise WireError("$timestamp necesita un texto ISO")
    return pd.Timestamp(inner)


_DATA = {"$handle": _handle, "$array": _array, "$series": _series, "$frame": _frame,
         "$timestamp": _timestamp, "$datetime": _text(dt.datetime.fromisoformat),
         "$date": _text(dt.date.fromisoformat)}


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
