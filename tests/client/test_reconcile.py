"""Do the two views of the bill — the application's ledger and the provider's records — agree exactly?"""

from collections import defaultdict
from decimal import Decimal

import openai
import pytest

from course_lib import connect
from course_lib.course import world

LONG_PREFIX = "Documentación de Mercadela. " + " ".join(
    f"Norma {i}: los pedidos de la categoría {i} se envían en 24-48 horas." for i in range(160))


def _by_model(records):
    totals = defaultdict(Decimal)
    for r in records:
        totals[r.model] += r.cost
    return dict(totals)


@pytest.fixture(scope="module")
def workload():
    client = connect(isolated=True, max_retries=0)
    tasks = world.load_tasks("dev").head(6).to_dict(orient="records")

    def escalate(call, call_next):          # a cascade: a cheap try, then a strong model
        if call.endpoint != "chat.completions" or not call.params.get("metadata", {}).get("task_id"):
            return call_next(call)
        call_next(call)
        call.params = {**call.params, "model": "gpt-4o"}
        return call_next(call)

    client.pipeline.use(escalate, slot="router")
    for i, task in enumerate(tasks):
        client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": task["question"]}],
            metadata={"task_id": task["task_id"], "team": "soporte"}, user=f"u{i % 2}")
    for model in ("gpt-4.1-mini", "gpt-5-mini"):   # prompt-cache hits and reasoning tokens
        for question in ("¿Envío a Canarias?", "¿Y a Baleares?", "¿Y a Ceuta?"):
            client.chat.completions.create(model=model, messages=[
                {"role": "system", "content": LONG_PREFIX}, {"role": "user", "content": question}])
    list(client.chat.completions.create(model="gpt-4o-mini", stream=True,
                                        messages=[{"role": "user", "content": "Cuéntame las devoluciones"}]))
    list(client.chat.completions.create(model="gpt-4o-mini", stream=True, n=2,
                                        stream_options={"include_usage": True},
                                        messages=[{"role": "user", "content": "Resume la garantía"}]))
    client.embeddings.create(model="text-embedding-3-small", input=["hola", "¿dónde está mi pedido?"])
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "hola"}])
    yield client
    client.simulator.stop()


def test_do_both_ledgers_hold_the_same_total_to_the_last_decimal(workload):
    app, provider = workload.ledger.records(), workload.simulator.ledger.records()
    billed = [r for r in app if r.status == "ok"]
    assert len(billed) == len(provider) == 6 * 2 + 6 + 2 + 1
    assert workload.ledger.total_cost() == workload.simulator.ledger.total_cost() > 0
    assert _by_model(billed) == _by_model(provider)


def test_do_the_token_columns_agree_too(workload):
    app = [r for r in workload.ledger.records() if r.status == "ok"]
    provider = workload.simulator.ledger.records()
    for column in ("input_tokens", "cached_tokens", "output_tokens", "reasoning_tokens"):
        assert sum(getattr(r, column) for r in app) == sum(getattr(r, column) for r in provider), column
    assert sum(r.cached_tokens for r in app) > 0 and sum(r.reasoning_tokens for r in app) > 0


def test_is_the_failed_call_only_in_the_applications_ledger(workload):
    failed = [r for r in workload.ledger.records() if r.status != "ok"]
    assert [(r.model, r.cost, r.status) for r in failed] == [("gpt-9", 0, "error")]


def test_does_each_cascaded_call_count_as_one_query(workload):
    rows = [r for r in workload.ledger.records() if r.team == "soporte"]
    assert len(rows) == 12 and len({r.call_id for r in rows}) == 6
    assert {r.attempt for r in rows} == {1, 2}
