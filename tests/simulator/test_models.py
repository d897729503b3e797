"""The model catalogue: every chat model of the price snapshot, with its profile."""

import openai
import pytest

from course_lib.pricing import PriceBook


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
