"""Edge cost model, the specialized intent model as a route, and re-optimization on a price change."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from course_lib import connect
from course_lib.cascade import (EdgeCost, IntentModel, Repricing, break_even, edge_price,
                                measure_models)
from course_lib.clock import Clock
from course_lib.course import world


def test_is_the_break_even_volume_the_hand_computed_one():
    box = EdgeCost(hourly=Decimal("2.00"), requests_per_hour=10_000)   # 1460 USD/month, 7.3 M capacity
    assert box.monthly(1) == Decimal("1460.00")
    assert break_even(box, cloud_per_request=Decimal("0.001")) == 1_460_000
    assert break_even(box, cloud_per_request=Decimal("0.0001")) is None   # 0.0002 per request at full load


def test_does_the_simulator_know_an_edge_model_from_its_zero_price():
    prices = connect(isolated=True).prices.with_price(edge_price("tienda-edge-8b"))
    client = connect(isolated=True, prices=prices)
    response = client.chat.completions.create(model="tienda-edge-8b",
                                              messages=[{"role": "user", "content": "Hola"}])
    assert response.choices[0].message.content and client.ledger.records()[0].cost == 0


def test_does_the_intent_model_answer_locally_without_a_provider_attempt():
    train = world.load_tasks("train")
    train = train[train["type"] == "intent"]
    model = IntentModel().fit(train["question"], train["answer"])
    dev = world.load_tasks("dev")
    dev = dev[dev["type"] == "intent"]
    assert model.score(list(dev["question"]), list(dev["answer"])) >= 0.75
    client = connect(isolated=True)
    client.pipeline.use(model.middleware(), slot="router")
    task = dev.iloc[0].to_dict()
    answer = client.chat.completions.create(model="gpt-4o", messages=[
        {"role": "user", "content": task["question"]}]).choices[0].message.content
    assert answer in model.classes_
    (row,) = client.ledger.records()
    assert row.response_cache_hit and row.cost == 0
    assert client.simulator.ledger.records() == []


def test_does_a_price_cut_flip_the_chosen_ladder(request_for, dev_sample):
    cut = date(2026, 6, 1)
    clock = Clock(start=datetime(2026, 5, 30, tzinfo=timezone.utc).timestamp())
    base = connect(isolated=True)
    prices = base.prices.discounted("gpt-4.1", factor="0.05", effective_from=cut)
    client = connect(isolated=True, prices=prices, clock=clock)
    singles = measure_models(client, dev_sample, ["gpt-4.1-mini", "gpt-4.1"],
                             request=lambda t: {**request_for(t), "logprobs": True},
                             is_correct=world.is_correct)
    target = singles["gpt-4.1"].accuracy
    strategy = Repricing(singles, [["gpt-4.1"], ["gpt-4.1-mini", "gpt-4.1"]], target_accuracy=target,
                         prices=prices, clock=clock)
    before = strategy.current()
    clock.advance(3 * 86_400)
    after = strategy.current()
    assert before.ladder == ("gpt-4.1-mini", "gpt-4.1") and after.ladder == ("gpt-4.1",)
    assert len(strategy.choices) == 2


def test_does_reading_the_main_request_beat_reading_the_whole_message():
    train = world.load_tasks("train").query("type == 'intent'")
    dev = world.load_tasks("dev").query("type == 'intent'")
    scores = {focus: IntentModel(focus=focus).fit(train["question"], train["answer"]).score(
        list(dev["question"]), list(dev["answer"])) for focus in (True, False)}
    assert scores[True] >= scores[False] + 0.1


def test_is_the_edge_box_read_from_the_simulators_model_card():
    client = connect(isolated=True)
    card = client.models.retrieve("tienda-edge-8b").model_extra
    box = EdgeCost.from_card(card)
    assert box.hourly == Decimal(str(card["hardware"]["usd_per_hour"])) and box.requests_per_hour > 0
    with pytest.raises(ValueError, match="hardware"):
        EdgeCost.from_card(client.models.retrieve("gpt-4o-mini").model_extra)
