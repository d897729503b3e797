"""Evaluate a model-selection strategy on a task set, through the client pipeline.

A *strategy* is a model name (every request goes to it; ``"gpt-5-mini@minimal"``
adds ``reasoning_effort="minimal"``) or a router-slot
middleware ``strategy(call, call_next)`` that picks the model, escalates or
asks a verifier. :func:`evaluate` sends one request per task (``request(task)``
builds its ``create()`` keywords), installs the strategy in the ``"router"``
slot for the run, and reads the bill from the client's ledger, so **every**
provider attempt counts: a failed cheap try, the escalation, a scorer's
samples, a verifier call, and calls the strategy makes on its own. Accuracy
comes from ``is_correct(task, text)``, given by the caller (this library does
not know the course's tasks). An answer that no provider attempt of its call
returned (a strategy writing the text itself) is scored wrong and counted in
``forged``.

Latency per task is the sum of its attempts' latencies: the simulator's
simulated figure when the client has a simulator handle, else the wall-clock
time the recorder measured. Comparing the result with single models is
``frontier``'s job; PGR and friends are ``metrics``'s.
"""

from __future__ import annotations

import statistics
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable

from course_lib.client.pipeline import CallRefused

from .cascade import rung
from .scorers import logprob_confidence

WITNESS = "_evaluation_witness"
STRATEGY = "_evaluation_strategy"


@dataclass(frozen=True)
class TaskOutcome:
    """What one task cost and got."""

    task_id: str
    correct: bool
    cost: Decimal
    models: tuple[str, ...]        # provider attempts of the task, in order
    latency_ms: float
    answer: str
    forged: bool = False
    refused: bool = False
    confidence: float | None = None   # logprob confidence of the answer, when it came with logprobs
    tokens: tuple[int, int, int, int] = (0, 0, 0, 0)   # input, output, cached, reasoning (all rows)


@dataclass(frozen=True)
class Evaluation:
    """A strategy measured on a task set."""

    name: str
    outcomes: tuple[TaskOutcome, ...]
    cost: Decimal                  # every ledger row of the run, attributed to a task or not
    unattributed_cost: Decimal = Decimal(0)
    attempts: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.outcomes)

    @property
    def accuracy(self) -> float:
        return sum(o.correct for o in self.outcomes) / self.n if self.n else 0.0

    @property
    def cost_per_task(self) -> Decimal:
        return self.cost / self.n if self.n else Decimal(0)

    @property
    def correct(self) -> list[bool]:
        return [o.correct for o in self.outcomes]

    @property
    def forged(self) -> int:
        return sum(o.forged for o in self.outcomes)

    def utilization(self) -> dict[str, float]:
        """Share of provider attempts per model."""
        total = sum(self.attempts.values())
        return {m: k / total for m, k in sorted(self.attempts.items())} if total else {}

    def share_calling(self, model: str) -> float:
        """Share of tasks on which ``model`` was called at least once."""
        return sum(model in o.models for o in self.outcomes) / self.n if self.n else 0.0

    def latency_ms(self, q: float = 0.5) -> float:
        """Latency quantile over tasks (``q=0.95`` for p95)."""
        values = sorted(o.latency_ms for o in self.outcomes)
        if not values:
            return 0.0
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1] \
            if 0 < q < 1 else (values[0] if q <= 0 else values[-1])

    def summary(self) -> dict[str, Any]:
        return {"estrategia": self.name, "tareas": self.n, "precision": round(self.accuracy, 4),
                "coste_usd": self.cost, "p50_ms": round(self.latency_ms(0.5), 1),
                "p95_ms": round(self.latency_ms(0.95), 1), "uso": self.utilization()}


def _witness(seen: dict, lock: threading.Lock):
    """Innermost router-slot observer: keeps what each provider attempt really returned,
    by task (``metadata["task_id"]``, else the call id) and by (call id, attempt)."""

    def witness(call, call_next):
        response = call_next(call)
        key = (call.params.get("metadata") or {}).get("task_id") or call.call_id
        texts = {getattr(c.message, "content", None) or "" for c in getattr(response, "choices", None) or []}
        with lock:
            seen.setdefault(("texts", key), set()).update(texts)
            seen[("id", call.call_id, len(call.attempts))] = getattr(response, "id", "")
        return response

    return witness


def _text(response) -> str:
    try:
        return response.choices[0].message.content or ""
    except (AttributeError, IndexError, TypeError):
        return ""


def _has_logprobs(response) -> bool:
    try:
        return bool(response.choices[0].logprobs.content)
    except (AttributeError, IndexError, TypeError):
        return False


def _records_since(ledger, known: set[str]):
    return [r for r in ledger.records() if r.request_id not in known]


def evaluate(client, tasks: Iterable[dict], *, request: Callable[[dict], dict],
             is_correct: Callable[[dict, str], bool], strategy: str | Callable | None = None,
             name: str | None = None, workers: int = 1) -> Evaluation:
    """Run ``strategy`` on every task through ``client`` and measure it.

    ``request(task)`` returns the ``create()`` keywords; a string ``strategy``
    replaces their ``model``. The strategy's own calls (a verifier's) are billed
    to the task when they carry its ``metadata["task_id"]``, and always to the total.
    ``workers > 1`` sends that many tasks at a time (threads): the provider's
    answers do not depend on the order, so a stateless strategy measures the same;
    a strategy that keeps state across calls should be measured with ``workers=1``.
    """
    tasks = list(tasks.to_dict("records") if hasattr(tasks, "to_dict") else tasks)
    pipeline, ledger = client.pipeline, client.ledger
    seen: dict = {}
    lock = threading.Lock()
    known = {r.request_id for r in ledger.records()}
    installed = []
    if strategy is not None and not isinstance(strategy, str):
        if not callable(strategy):
            raise TypeError("La estrategia debe ser el nombre de un modelo o un middleware "
                            f"(call, call_next) -> respuesta; recibí {type(strategy).__name__}.")
        pipeline.use(strategy, slot="router", name=STRATEGY)
        installed.append(STRATEGY)
    pipeline.use(_witness(seen, lock), slot="router", name=WITNESS)
    installed.append(WITNESS)
    answers: list[tuple] = []

    def run(task: dict) -> tuple:
        params = dict(request(task))
        if isinstance(strategy, str):
            model, extra = rung(strategy)
            params.update(model=model, **extra)
        try:
            response = client.chat.completions.create(**params)
            text, refused = _text(response), False
            confidence = logprob_confidence(None, response) if _has_logprobs(response) else None
        except CallRefused:
            text, refused, confidence = "", True, None
        key = (params.get("metadata") or {}).get("task_id")
        with lock:
            texts = set(seen.get(("texts", key), ()))
        forged = not refused and text not in texts
        return task, text, forged, refused, confidence

    try:
        if workers <= 1:
            answers = [run(task) for task in tasks]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                answers = list(pool.map(run, tasks))
    finally:
        for n in installed:
            pipeline.remove(n)
    rows = _records_since(ledger, known)
    return _measure(client, name or str(strategy if isinstance(strategy, str) else
                                        getattr(strategy, "name", None) or
                                        getattr(strategy, "__name__", None) or "estrategia"),
                    answers, rows, is_correct, seen)


def _measure(client, name, answers, rows, is_correct, seen) -> Evaluation:
    by_task: dict[str, list] = {}
    attempts: dict[str, int] = {}
    for r in rows:
        if not r.response_cache_hit:
            attempts[r.model] = attempts.get(r.model, 0) + 1
        by_task.setdefault(r.task_id, []).append(r)
    latency_of = _latencies(client, seen)
    outcomes = []
    for task, text, forged, refused, confidence in answers:
        task_rows = [r for r in by_task.get(str(task.get("task_id", "")), []) if not r.response_cache_hit]
        latency = sum(latency_of(r) for r in task_rows)
        ok = bool(not forged and not refused and is_correct(task, text))
        tokens = tuple(sum(getattr(r, f) for r in task_rows) for f in
                       ("input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens"))
        outcomes.append(TaskOutcome(str(task.get("task_id", "")), ok,
                                    sum((r.cost for r in task_rows), Decimal(0)),
                                    tuple(r.model for r in task_rows), latency, text, forged, refused,
                                    confidence, tokens))
    task_ids = {o.task_id for o in outcomes}
    total = sum((r.cost for r in rows), Decimal(0))
    unattributed = sum((r.cost for r in rows if r.task_id not in task_ids), Decimal(0))
    return Evaluation(name, tuple(outcomes), total, unattributed, attempts)


def _latencies(client, seen: dict) -> Callable:
    """Latency of a ledger row: the simulator's figure for its response id, else the recorder's."""
    sim = getattr(client, "simulator", None)
    provider = {}
    if sim is not None and getattr(sim, "ledger", None) is not None:
        provider = {r.request_id: r.latency_ms for r in sim.ledger.records()}

    def latency(row) -> float:
        response_id = seen.get(("id", row.call_id, row.attempt))
        return float(provider.get(response_id, row.latency_ms))

    return latency
