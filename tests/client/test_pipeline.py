"""Does the pipeline run its middlewares in slot order, and does every call leave a ledger row?"""

import openai
import pytest

from course_lib import Call, CallRefused, MiddlewareError, Pipeline, connect
from course_lib.client import SLOTS

QUESTION = [{"role": "user", "content": "¿Puedo pagar con Bizum?"}]


@pytest.fixture(scope="module")
def client():
    c = connect(isolated=True, max_retries=0)
    yield c
    c.simulator.stop()


@pytest.fixture(autouse=True)
def empty_pipeline(client):
    yield
    for name in client.pipeline.names:
        client.pipeline.remove(name)


def test_do_three_toy_middlewares_run_in_slot_order_and_see_what_they_should(client):
    """Added in reverse order, they still run cache → router → guard, each seeing the model
    the one before chose, and each sees the response on the way out."""
    log = []

    def cache(call, call_next):
        log.append(("cache in", call.params["model"]))
        response = call_next(call)
        log.append(("cache out", response.model, len(call.attempts)))
        return response

    def router(call, call_next):
        log.append(("router in", call.params["model"]))
        call.params = {**call.params, "model": "gpt-4.1-nano"}        # the router picks the model
        return call_next(call)

    def guard(call, call_next):
        log.append(("guard in", call.params["model"], len(call.attempts)))
        response = call_next(call)
        log.append(("guard out", response.usage.total_tokens > 0))
        return response

    client.pipeline.use(guard, slot="guard")
    client.pipeline.use(router, slot="router")
    client.pipeline.use(cache, slot="cache")
    assert client.pipeline.names == ["cache", "router", "guard"]
    client.chat.completions.create(model="gpt-4o", messages=QUESTION)
    assert log == [("cache in", "gpt-4o"), ("router in", "gpt-4o"), ("guard in", "gpt-4.1-nano", 0),
                   ("guard out", True), ("cache out", "gpt-4.1-nano", 1)]
    row = client.ledger.records()[-1]
    assert row.model == "gpt-4.1-nano" and row.attempt == 1


def test_is_each_escalation_a_new_attempt_of_the_same_call(client):
    def cascade(call, call_next):
        call.params = {**call.params, "model": "gpt-4.1-nano"}
        call_next(call)
        call.params = {**call.params, "model": "gpt-4o"}
        return call_next(call)

    client.pipeline.use(cascade, slot="router")
    before = len(client.ledger)
    client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION)
    rows = client.ledger.records()[before:]
    assert [(r.model, r.attempt) for r in rows] == [("gpt-4.1-nano", 1), ("gpt-4o", 2)]
    assert len({r.call_id for r in rows}) == 1
    assert sum(r.cost for r in rows) == sum(r.cost for r in client.simulator.ledger.records()[-2:])


def test_is_a_response_cache_hit_recorded_once_at_zero_cost(client):
    stored = client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION)

    def cache(call, call_next):
        return stored                                  # answered without the provider

    client.pipeline.use(cache, slot="cache")
    provider_rows = len(client.simulator.ledger)
    before = len(client.ledger)
    for _ in range(2):
        assert client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION) is stored
    rows = client.ledger.records()[before:]
    assert len(rows) == 2 and all(r.response_cache_hit and r.cost == 0 for r in rows)
    assert len(client.simulator.ledger) == provider_rows   # the provider never saw them


def test_does_a_crashing_middleware_get_a_spanish_error_naming_it_and_a_failed_row(client):
    def presupuesto(call, call_next):
        raise KeyError("equipo")

    client.pipeline.use(presupuesto, slot="guard")
    before = len(client.ledger)
    with pytest.raises(MiddlewareError, match="«presupuesto».*antes de llamar al proveedor") as err:
        client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION)
    assert isinstance(err.value.__cause__, KeyError) and err.value.slot == "guard"
    [row] = client.ledger.records()[before:]
    assert row.status == "error" and "presupuesto" in row.error and row.cost == 0


def test_is_a_failure_after_the_provider_kept_with_its_cost(client):
    def post(call, call_next):
        call_next(call)
        raise ValueError("no sé leer la respuesta")

    client.pipeline.use(post, slot="cache")
    before = len(client.ledger)
    with pytest.raises(MiddlewareError, match="después de llamar al proveedor"):
        client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION)
    [row] = client.ledger.records()[before:]
    assert row.status == "error" and row.cost > 0 and "post" in row.error   # billed, and failed


def test_does_a_deliberate_refusal_reach_the_caller_unchanged(client):
    class OverBudget(CallRefused):
        pass

    def guard(call, call_next):
        raise OverBudget("Presupuesto agotado para el equipo soporte.")

    client.pipeline.use(guard, slot="guard")
    with pytest.raises(OverBudget, match="Presupuesto agotado"):
        client.chat.completions.create(model="gpt-4o-mini", messages=QUESTION)
    row = client.ledger.records()[-1]
    assert row.status == "error" and row.error.startswith("guard: OverBudget")


def test_does_a_provider_error_pass_through_a_middleware_unwrapped(client):
    client.pipeline.use(lambda call, call_next: call_next(call), slot="router", name="paso")
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="no-existe", messages=QUESTION)


def test_are_slots_and_names_validated_in_spanish():
    pipe = Pipeline(transport=lambda call: "ok")
    with pytest.raises(ValueError, match="Hueco desconocido"):
        pipe.use(lambda c, n: n(c), slot="recorder")
    pipe.use(lambda c, n: n(c), slot="cache", name="a")
    with pytest.raises(ValueError, match="Ya hay un middleware"):
        pipe.use(lambda c, n: n(c), slot="cache", name="a")
    with pytest.raises(KeyError, match="No hay ningún middleware"):
        pipe.remove("b")
    assert SLOTS == ("cache", "router", "guard", "recorder")
    assert pipe.handle(Call("embeddings", {"model": "m"})) == "ok"


def test_does_each_simulator_call_carry_one_idempotency_key_for_its_retries(client):
    """The SDK reuses the key across its own retries; the simulator bills a key once."""
    assert client._idempotency_header == "Idempotency-Key"
    assert client.with_options(timeout=9)._idempotency_header == "Idempotency-Key"
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=QUESTION)
    assert raw.http_request.headers.get("Idempotency-Key", "").startswith("stainless-python-retry-")
