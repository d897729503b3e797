"""Does the shared measurement harness score, price and attribute every call the way labs need?"""

from __future__ import annotations

from decimal import Decimal

import pytest

from course_lib import CallRefused, connect
from course_lib.course import world
from graders import harness
from graders.lab1_optimizer import muestra


@pytest.fixture(scope="module")
def tareas():
    return muestra(world.load_tasks(split="dev"), 4)


def _request(tarea, *, max_tokens=80):
    return {"model": "gpt-4o-mini", "max_tokens": max_tokens,
            "messages": [{"role": "user", "content": tarea["question"]}]}


def test_is_the_cost_of_each_row_the_ledger_cost_of_its_call(tareas):
    cliente = connect(isolated=True)
    filas = harness.medir([_request(t) for t in tareas], tareas, cliente=cliente)
    records = cliente.ledger.records()
    assert len(filas) == len(tareas) == len(records)
    assert list(filas["coste_exacto"]) == [r.cost for r in records]
    assert sum(filas["coste_exacto"]) == cliente.ledger.total_cost() > 0
    assert list(filas["tokens_entrada"]) == [r.input_tokens for r in records]
    assert all(r.task_id == t["task_id"] for r, t in zip(records, tareas))  # task_id set from the task
    assert set(filas["intentos"]) == {1} and not filas["cache_respuesta"].any()


def test_does_a_wrong_answer_say_why(tareas):
    filas = harness.medir([_request(t, max_tokens=1) for t in tareas], tareas)
    wrong = filas[~filas["correcta"]]
    assert len(wrong) > 0 and set(wrong["motivo"]) <= set(harness.MOTIVOS)
    assert (filas.loc[filas["correcta"], "motivo"] == "").all()


def test_is_the_model_a_parameter(tareas):
    filas = harness.medir([_request(t) for t in tareas], tareas, modelo="gpt-4.1-nano")
    assert set(filas["modelo"]) == {"gpt-4.1-nano"}
    cheap, default = filas["coste_exacto"].sum(), harness.medir([_request(t) for t in tareas], tareas)["coste_exacto"].sum()
    assert cheap != default


def test_does_a_response_cache_hit_cost_nothing_and_an_escalation_count_twice(tareas):
    cliente = connect(isolated=True)
    answers = {}

    def cache(call, call_next):
        key = str(call.params["messages"])
        if key in answers:
            return answers[key]
        answers[key] = call_next(call)
        return answers[key]

    def escalate(call, call_next):
        call_next(call)
        call.params["model"] = "gpt-4o"
        return call_next(call)

    cliente.pipeline.use(cache, slot="cache")
    cliente.pipeline.use(escalate, slot="router")
    first = tareas[0]
    filas = harness.medir([_request(first), _request(first)], [first, first], cliente=cliente)
    assert list(filas["intentos"]) == [2, 0] and list(filas["cache_respuesta"]) == [False, True]
    assert filas["coste_exacto"][1] == 0 < filas["coste_exacto"][0]
    assert filas["modelo"][0] == "gpt-4o"
    assert filas["coste_exacto"][0] == sum(r.cost for r in cliente.ledger.records(attempt=1) + cliente.ledger.records(attempt=2))


def test_is_a_refused_call_a_row_and_not_a_crash(tareas):
    class Tope(CallRefused):
        pass

    def guard(call, call_next):
        raise Tope("presupuesto agotado")

    cliente = connect(isolated=True)
    cliente.pipeline.use(guard, slot="guard")
    filas = harness.medir([_request(tareas[0])], tareas[:1], cliente=cliente)
    assert filas["motivo"][0] == "rechazada" and not filas["correcta"][0]
    assert filas["coste_exacto"][0] == Decimal(0)


def test_are_mismatched_requests_and_tasks_refused_in_spanish(tareas):
    with pytest.raises(ValueError, match="deben coincidir"):
        harness.medir([_request(tareas[0])], tareas)


def test_does_the_summary_add_exact_costs(tareas):
    filas = harness.medir([_request(t) for t in tareas], tareas)
    total = harness.resumen(filas)
    assert total["coste"] == sum(filas["coste_exacto"]) and isinstance(total["coste"], Decimal)
    assert total["tareas"] == len(tareas)
