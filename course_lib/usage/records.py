"""The ledger's record: one provider attempt, or one call answered by a response cache.

Token fields follow OpenAI's ``usage`` (``input_tokens`` includes
``cached_tokens``, ``output_tokens`` includes ``reasoning_tokens``). Two
different "cache" facts are kept apart on purpose:

* ``cached_tokens`` — input tokens the *provider* served from its prompt
  cache (billed at the cached-input price);
* ``response_cache_hit`` — the *application's* response cache answered and
  the provider was never called (zero tokens, zero cost).

Attempts of one application call share ``call_id`` (a cascade's cheap try and
its escalation are two rows of one call). This module only defines the record;
storing it is ``course_lib.usage.ledger``'s job.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Status = Literal["ok", "error", "incomplete"]
Endpoint = Literal["chat.completions", "embeddings", "batch"]
STATUSES = ("ok", "error", "incomplete")
ENDPOINTS = ("chat.completions", "embeddings", "batch")


def key_id(key: str) -> str:
    """A stable, non-reversible id for an API key, safe to log and to group by.

    Both views of the bill (the client's ledger and the simulator's) use it.

    >>> key_id("sk-test").startswith("key_"), len(key_id("sk-test"))
    (True, 20)
    """
    return "key_" + hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:16]


@dataclass
class CallRecord:
    """One row of the ledger.

    >>> rec = CallRecord(model="gpt-4o", input_tokens=1000, output_tokens=200, cost="0.0045")
    >>> rec.cost, rec.status, rec.response_cache_hit, rec.call_id == rec.request_id
    (Decimal('0.0045'), 'ok', False, True)
    """

    model: str
    input_tokens: int
    output_tokens: int
    cost: Decimal
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    user: str = ""
    team: str = ""
    feature: str = ""
    project: str = ""
    session: str = ""
    api_key_id: str = ""
    response_cache_hit: bool = False
    latency_ms: float = 0.0
    request_id: str = field(default_factory=lambda: f"req_{uuid.uuid4().hex}")
    call_id: str = ""
    attempt: int = 1
    ts: float = field(default_factory=time.time)
    batch: bool = False
    task_id: str = ""
    endpoint: Endpoint = "chat.completions"
    status: Status = "ok"
    error: str = ""
    priced: bool = True

    def __post_init__(self):
        self.cost = Decimal(str(self.cost))
        if not self.model:
            raise ValueError("Un registro de uso necesita el nombre del modelo.")
        if self.status not in STATUSES:
            raise ValueError(f"Estado desconocido {self.status!r}: usa uno de {', '.join(STATUSES)}.")
        if self.endpoint not in ENDPOINTS:
            raise ValueError(f"Endpoint desconocido {self.endpoint!r}: usa uno de {', '.join(ENDPOINTS)}.")
        for name in ("input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens"):
            if int(getattr(self, name)) < 0:
                raise ValueError(f"{name} no puede ser negativo.")
        self.call_id = self.call_id or self.request_id
