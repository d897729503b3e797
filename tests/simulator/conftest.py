"""Fixtures for the simulator tests: isolated servers reached through the openai SDK."""

import httpx2
import pytest

from course_lib.client import connect
from course_lib.simulator.taskindex import TaskIndex

TOY_FACTS = [
    {"fact_id": "F-TOY-1", "doc_id": "D1", "text": "Las devoluciones se aceptan durante 30 días naturales.",
     "keywords": ["30 días naturales"]},
    {"fact_id": "F-TOY-2", "doc_id": "D1", "text": "El envío a Canarias cuesta 12,95 €.",
     "keywords": ["Canarias", "12,95 €"]},
]
TOY_TASKS = [
    {"task_id": f"TOY-{i:03d}", "split": "dev", "type": "faq",
     "question": "¿Cuántos días tengo para devolver un producto comprado en la tienda?",
     "fact_ids": ["F-TOY-1"], "answer": "30 días", "accepted": ["treinta días"],
     "wrong_answers": ["14 días", "90 días"], "difficulty": round((i % 10) / 10 + 0.05, 2),
     "features": {}}
    for i in range(200)
] + [
    {"task_id": "TOY-SHIP", "split": "dev", "type": "faq",
     "question": "¿Cuánto cuesta el envío a Canarias?", "fact_ids": ["F-TOY-2"],
     "answer": "12,95 €", "accepted": [], "wrong_answers": ["4,95 €"], "difficulty": 0.0,
     "features": {}},
]


def make_client(**kwargs):
    kwargs.setdefault("max_retries", 0)
    return connect(isolated=True, _strict_response_validation=True, **kwargs)


@pytest.fixture(scope="module")
def sim():
    """An isolated simulator (module-wide) with a small synthetic task bank."""
    client = make_client(tasks=TaskIndex(tasks=TOY_TASKS, facts=TOY_FACTS))
    yield client
    client.simulator.stop()


@pytest.fixture
def fresh():
    """An isolated simulator for one test (empty cache and ledger)."""
    client = make_client(tasks=TaskIndex(tasks=TOY_TASKS, facts=TOY_FACTS))
    yield client
    client.simulator.stop()


@pytest.fixture
def raw(sim):
    """A plain HTTP client on the same server, for requests the SDK would never send."""
    with httpx2.Client(base_url=sim.simulator.url, timeout=30) as http:
        yield http
