"""The edge model: a small open-weights model on the shop's hardware, served by the simulator."""

from decimal import Decimal

from course_lib.pricing import PriceBook
from course_lib.simulator.latency import PREFILL_MS_PER_TOKEN
from course_lib.simulator.catalog import EDGE_PROFILES, KNOWN_PROFILES, Catalog
from tests.simulator.conftest import TOY_TASKS

EDGE = "tienda-edge-8b"


def _ask(client, model, task):
    return client.chat.completions.create(
        model=model, metadata={"task_id": task["task_id"]},
        messages=[{"role": "user", "content": "Las devoluciones se aceptan durante 30 días naturales.\n\n"
                   + task["question"]}])


def test_is_the_edge_model_in_the_catalogue_without_a_token_price():
    catalog = Catalog.from_prices(PriceBook.default())
    profile = catalog.get(EDGE)
    assert EDGE in EDGE_PROFILES and EDGE not in PriceBook.default()
    assert profile.on_premises and profile.provider == "local"
    assert profile.hourly_usd > 0 and profile.requests_per_hour > 0
    assert profile.skill < min(p[0] for p in KNOWN_PROFILES.values())
    assert not any(catalog.get(m).on_premises for m in PriceBook.default().models(mode="chat"))


def test_does_its_card_show_the_hourly_hardware_cost(sim):
    model = sim.models.retrieve(EDGE)
    card = model.model_extra
    assert card["on_premises"] is True and model.owned_by == "local"
    assert card["hardware"]["usd_per_hour"] == EDGE_PROFILES[EDGE][5]
    assert "pricing" not in card


def test_does_it_answer_for_free_and_less_often_right_than_a_cloud_model(fresh):
    tasks = TOY_TASKS[:120]
    right = {}
    for model in (EDGE, "gpt-4o-mini"):
        right[model] = sum("30" in (_ask(fresh, model, t).choices[0].message.content or "")
                           for t in tasks)
    rows = fresh.simulator.ledger.records()
    edge_rows = [r for r in rows if r.model == EDGE]
    assert len(edge_rows) == len(tasks) and all(r.cost == Decimal(0) for r in edge_rows)
    assert all(r.cost > 0 for r in rows if r.model != EDGE)
    assert right[EDGE] < right["gpt-4o-mini"]


def test_does_it_keep_its_own_latency(fresh):
    _ask(fresh, EDGE, TOY_TASKS[0])
    (row,) = fresh.simulator.ledger.records()
    p = fresh.simulator.state.catalog.get(EDGE)
    base = p.ttft_ms + row.input_tokens * PREFILL_MS_PER_TOKEN + 1000 * row.output_tokens / p.speed
    assert 0.9 * base - 0.1 <= row.latency_ms <= 1.1 * base + 0.1
