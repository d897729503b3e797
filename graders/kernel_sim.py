"""A simulator the grader owns, and a client of it on the learner's side.

A hidden check that measures the learner's code through the provider (a cache
that answers hidden traffic, a guard that must stop spending, an optimized
request) cannot let the kernel run the simulator: the kernel cannot read the
hidden tasks, and whatever it reports about its own bill is the learner's to
fake. Instead the grader starts an isolated simulator in its own process
(:func:`grader_simulator`, it reads ``graders/hidden/``), and asks the kernel
to build an ordinary client of it (:func:`kernel_client`, a ``wire.Handle``),
which the learner's pipeline code then uses. The bill is read on the
provider's side, in the grader (:func:`provider_records`), so what counts is
what reached the provider, not what the kernel says it spent; likewise
:func:`served_answers` knows which answers the provider wrote.

This module does not judge anything; the labs' checks do.
"""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal


@contextlib.contextmanager
def grader_simulator(**connect_kwargs):
    """An isolated simulator (and a grader-side client of it), stopped on exit.

    ``connect_kwargs`` go to ``course_lib.client.connect`` (``seed``, ``clock``...).
    """
    from course_lib.client import connect

    client = connect(isolated=True, **connect_kwargs)
    try:
        yield client
    finally:
        client.simulator.stop()


def kernel_client(worker, simulator, **connect_kwargs):
    """A ``connect()`` client built in the learner's kernel whose calls reach ``simulator``.

    ``simulator`` is the grader-side client of :func:`grader_simulator`. The
    kernel's client has its own pipeline and ledger (the learner's
    middlewares go there); retries are off so each call reaches the provider
    once. Returns the ``wire.Handle`` of that client.
    """
    from course_lib.client.connection import DEFAULT_KEY

    connect_kwargs.setdefault("max_retries", 0)
    return worker.keep("course_lib.client:connect", provider="openai", base_url=simulator.simulator.base_url,
                       api_key=DEFAULT_KEY, **connect_kwargs)


@contextlib.contextmanager
def served_answers(simulator):
    """The texts ``simulator`` (from :func:`grader_simulator`) answers while inside, by task id.

    A text a kernel reports that is not among them was never written by the provider.
    """
    served: dict[str, set[str]] = {}
    lock = threading.Lock()

    def observe(record, texts):
        with lock:
            served.setdefault(record.task_id, set()).update(t or "" for t in texts)

    observers = simulator.simulator.state.answer_observers
    observers.append(observe)
    try:
        yield served
    finally:
        observers.remove(observe)


def provider_records(simulator) -> list:
    """Every call the provider billed so far (``CallRecord`` rows of its own ledger)."""
    return list(simulator.simulator.ledger.records())


def provider_cost(simulator, *, since: int = 0) -> Decimal:
    """What the provider billed, in USD, from its ``since``-th record on."""
    return sum((Decimal(r.cost) for r in provider_records(simulator)[since:]), Decimal(0))
