"""One cache entry as it is stored: a JSON document, validated on the way back.

An entry holds the response (the SDK object dumped to plain JSON), when it was
made and when it stops being fresh (seconds on the cache's clock), the tags it
depends on (fact or document ids), and what the original call cost, so a hit
knows the tokens and dollars it saved. Anything that does not parse back into
that shape is *corrupt*: the caches treat it as a miss and delete it. Values
are never pickled. Left out: compression, schema migrations (a new ``v`` is a
miss).

>>> e = Entry(response={"id": "x"}, created=10.0, expires_at=70.0, tags=("F-ENV-008",))
>>> decode(encode(e)) == e
True
>>> decode('{"v": 1, "response": ')
Traceback (most recent call last):
...
course_lib.cache.entry.CorruptEntry: entrada de caché ilegible: JSONDecodeError
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

FORMAT = 1


class CorruptEntry(ValueError):
    """A stored value that is not a valid entry."""


@dataclass(frozen=True)
class Entry:
    response: dict
    created: float
    expires_at: float | None = None
    tags: tuple[str, ...] = ()
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Decimal = Decimal(0)
    question: str = ""
    extra: dict = field(default_factory=dict)

    def fresh(self, now: float) -> bool:
        """Still servable at ``now``?"""
        return self.expires_at is None or now < self.expires_at


def encode(entry: Entry) -> str:
    data = {"v": FORMAT, "response": entry.response, "created": entry.created,
            "expires_at": entry.expires_at, "tags": list(entry.tags),
            "input_tokens": entry.input_tokens, "output_tokens": entry.output_tokens,
            "cost": str(entry.cost), "question": entry.question, "extra": entry.extra}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> Entry:
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise CorruptEntry(f"entrada de caché ilegible: {type(exc).__name__}") from None
    try:
        if not isinstance(data, dict) or data.pop("v", None) != FORMAT:
            raise CorruptEntry("entrada de caché con otro formato")
        if not isinstance(data.get("response"), dict):
            raise CorruptEntry("entrada de caché sin respuesta")
        expires = data.get("expires_at")
        return Entry(response=data["response"], created=float(data["created"]),
                     expires_at=None if expires is None else float(expires),
                     tags=tuple(str(t) for t in data.get("tags") or ()),
                     input_tokens=int(data.get("input_tokens") or 0),
                     output_tokens=int(data.get("output_tokens") or 0),
                     cost=Decimal(str(data.get("cost") or "0")),
                     question=str(data.get("question") or ""),
                     extra=dict(data.get("extra") or {}))
    except CorruptEntry:
        raise
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise CorruptEntry(f"entrada de caché incompleta: {type(exc).__name__}") from None
