"""The model catalogue: every chat model of the price snapshot, with its profile."""

import openai
import pytest

from decimal import Decimal

from course_lib.pricing import PriceBook, Usage


def test_does_the_catalogue_list_every_priced_model(sim):
    ids = {m.id for m in sim.models.list()}
    book = PriceBook.default()
    assert set(book.models(mode="chat")) <= ids
    assert set(book.models(mode="embedding")) <= ids


def test_does_a_model_card_carry_the_profile_and_price(sim):
    card = sim.models.retrieve("gpt-4o-mini").model_extra
    assert card["context_window"] == 128_000
    assert card["pricing"]["input"] == 0.15 and card["pricing"]["output"] == 0.6
    for field in ("skill", "verbosity", "tokens_per_second", "ttft_ms", "rate_limits"):
        assert field in card
    strong = sim.models.retrieve("gpt-4o").model_extra
    assert strong["skill"] > card["skill"]


def test_is_an_unknown_model_card_a_404(sim):
    with pytest.raises(openai.NotFoundError):
        sim.models.retrieve("gpt-9-ultra")


def test_does_a_custom_priced_model_get_a_profile_and_answer():
    from course_lib.pricing import ModelPrice
    from tests.simulator.conftest import make_client

    book = PriceBook.default().with_price(ModelPrice("mi-modelo", input="0.20", output="0.80",
                                                     context_window=32_000))
    client = make_client(prices=book)
    try:
        card = client.models.retrieve("mi-modelo").model_extra
        assert card["context_window"] == 32_000 and 0.45 <= card["skill"] <= 1.0
        r = client.chat.completions.create(model="mi-modelo", messages=[{"role": "user", "content": "Hola"}])
        assert client.simulator.ledger.records()[0].cost == book.cost(
            "mi-modelo", Usage(r.usage.prompt_tokens, r.usage.completion_tokens))
    finally:
        client.simulator.stop()


def test_does_a_dated_price_change_apply_when_the_clock_reaches_it():
    from datetime import date, datetime, timezone

    from course_lib.pricing import ModelPrice
    from tests.simulator.conftest import make_client

    book = PriceBook.default().with_price(ModelPrice("gpt-4o-mini", input="1.00", output="4.00",
                                                     cached_input="0.50", effective_from=date(2031, 1, 1)))
    client = make_client(prices=book)
    messages = [{"role": "user", "content": "¿Cuánto tarda un reembolso?"}]
    try:
        client.simulator.clock.set(datetime(2030, 6, 1, tzinfo=timezone.utc).timestamp())
        before = client.chat.completions.create(model="gpt-4o-mini", messages=messages, temperature=0)
        client.simulator.clock.set(datetime(2031, 6, 1, tzinfo=timezone.utc).timestamp())
        after = client.chat.completions.create(model="gpt-4o-mini", messages=messages, temperature=0)
        costs = {r.request_id: r.cost for r in client.simulator.ledger.records()}
        usage = Usage(before.usage.prompt_tokens, before.usage.completion_tokens)
        assert costs[before.id] == PriceBook.default().cost("gpt-4o-mini", usage)
        assert costs[after.id] == usage.input_tokens * Decimal("1.00") / 10**6 + \
            usage.output_tokens * Decimal("4.00") / 10**6
    finally:
        client.simulator.stop()


def test_is_a_known_dated_snapshot_served_and_billed_at_its_own_price(fresh):
    r = fresh.chat.completions.create(model="gpt-4o-2024-05-13",
                                      messages=[{"role": "user", "content": "Hola"}])
    assert r.model == "gpt-4o-2024-05-13"
    (rec,) = fresh.simulator.ledger.records()
    usage = Usage(r.usage.prompt_tokens, r.usage.completion_tokens)
    assert rec.model == "gpt-4o-2024-05-13"
    assert rec.cost == (usage.input_tokens * Decimal(5) + usage.output_tokens * Decimal(15)) / 10**6
    assert rec.cost != PriceBook.default().cost("gpt-4o", usage)
    card = fresh.models.retrieve("gpt-4o-2024-08-06")
    assert card.id == "gpt-4o-2024-08-06" and card.model_extra["pricing"]["input"] == 2.5


def test_is_an_unknown_dated_name_a_404_naming_the_closest_models(fresh):
    with pytest.raises(openai.NotFoundError) as err:
        fresh.chat.completions.create(model="gpt-4o-mini-1999-99-99",
                                      messages=[{"role": "user", "content": "Hola"}])
    assert "gpt-4o-mini-2024-07-18" in err.value.message and err.value.code == "model_not_found"
    assert fresh.simulator.ledger.records() == []


def test_do_the_library_and_the_simulator_accept_the_same_chat_names(fresh):
    from course_lib.tokens import estimate_cost
    served = {m.id for m in fresh.models.list().data if m.model_extra.get("mode") == "chat"}
    priced = set(PriceBook.default().models(mode="chat", snapshots=True))
    from course_lib.simulator.catalog import EDGE_PROFILES   # edge models: no token price
    assert served == priced | set(EDGE_PROFILES)
    for name in ("gpt-4o-2024-05-13", "o3-2025-04-16"):
        assert estimate_cost("Hola", name, expected_output_tokens=10).cost > 0
    with pytest.raises(KeyError):
        estimate_cost("Hola", "gpt-4o-mini-1999-99-99")
