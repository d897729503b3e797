"""Oracle tests of pricing: costs equal bills computed by hand from the snapshot table."""

import importlib.util
import json
from datetime import date
from pathlib import Path
from decimal import Decimal

import pytest

from course_lib.pricing import ModelPrice, PriceBook, UnknownModelError, Usage, cost_of


@pytest.fixture(scope="module")
def book():
    return PriceBook.default()


def test_does_the_snapshot_record_its_source_and_date(book):
    assert book.as_of == "2025-09-05"
    assert "LiteLLM" in book.source and "tokencost" in book.source


@pytest.mark.parametrize("model, inp, cached, out", [
    ("gpt-4o", "2.50", "1.25", "10.00"), ("gpt-4o-mini", "0.15", "0.075", "0.60"),
    ("gpt-4.1", "2.00", "0.50", "8.00"), ("gpt-4.1-mini", "0.40", "0.10", "1.60"),
    ("gpt-4.1-nano", "0.10", "0.025", "0.40"), ("o3", "2.00", "0.50", "8.00"),
    ("o4-mini", "1.10", "0.275", "4.40"), ("gpt-5", "1.25", "0.125", "10.00"),
    ("gpt-5-mini", "0.25", "0.025", "2.00"), ("gpt-5-nano", "0.05", "0.005", "0.40"),
    ("claude-sonnet-4", "3.00", "0.30", "15.00"), ("claude-3-5-haiku", "0.80", "0.08", "4.00"),
    ("gemini-2.5-flash", "0.30", "0.075", "2.50"), ("gemini-2.0-flash", "0.10", "0.025", "0.40"),
])
def test_does_the_snapshot_match_the_published_table(book, model, inp, cached, out):
    price = book.get(model)
    assert (price.input, price.cached_input, price.output) == (Decimal(inp), Decimal(cached), Decimal(out))


def test_is_a_plain_bill_the_hand_computed_one(book):
    # 1,000 input tokens at $2.50/M + 200 output at $10/M = $0.0025 + $0.002
    assert book.cost("gpt-4o", Usage(1000, 200)) == Decimal("0.0045")


def test_are_cached_tokens_billed_at_the_cached_price(book):
    # gpt-5: 2,048 prompt tokens of which 1,024 cached; 500 output
    usage = Usage(input_tokens=2048, output_tokens=500, cached_tokens=1024)
    expected = (Decimal(1024) * Decimal("1.25") + Decimal(1024) * Decimal("0.125") + 500 * Decimal(10)) / 10**6
    assert book.cost("gpt-5", usage) == expected == Decimal("0.006408")


def test_are_reasoning_tokens_billed_as_output(book):
    # o4-mini: reasoning tokens are part of output_tokens and cost the output price
    with_reasoning = Usage(input_tokens=100, output_tokens=1100, reasoning_tokens=1000)
    assert book.cost("o4-mini", with_reasoning) == (100 * Decimal("1.10") + 1100 * Decimal("4.40")) / 10**6


def test_does_batch_halve_the_bill(book):
    usage = Usage(10_000, 2_000)
    assert book.cost("gpt-4o-mini", usage, batch=True) == book.cost("gpt-4o-mini", usage) / 2
    assert book.cost("gpt-4o-mini", usage, batch=True) == Decimal("0.00135")


def test_is_money_exact_over_a_million_tiny_calls(book):
    one = book.cost("gpt-5-nano", Usage(1, 0, cached_tokens=1))
    assert one == Decimal("0.000000005")
    assert sum([one] * 1000) == Decimal("0.000005")


def test_does_an_unknown_model_name_the_closest_ones(book):
    with pytest.raises(UnknownModelError) as info:
        book.get("gpt-4o-mni")
    message = str(info.value)
    assert "gpt-4o-mini" in message and "Modelo desconocido" in message


def test_is_a_cost_computed_at_the_price_in_force_that_day(book):
    cut = book.discounted("gpt-4o", factor="0.5", effective_from="2026-01-01")
    usage = Usage(1_000_000, 0)
    assert cut.cost("gpt-4o", usage, at="2025-12-31") == Decimal("2.50")
    assert cut.cost("gpt-4o", usage, at=date(2026, 1, 1)) == Decimal("1.25")
    assert book.cost("gpt-4o", usage) == Decimal("2.50")  # the original book is unchanged
    with pytest.raises(UnknownModelError, match="no tenía precio"):
        book.get("gpt-4o", at="2020-01-01")


def test_can_a_custom_model_be_priced(book):
    custom = book.with_price(ModelPrice("mi-modelo-local", input=0, output="0.05"))
    assert custom.cost("mi-modelo-local", Usage(1000, 1000)) == Decimal("0.00005")
    assert "mi-modelo-local" not in book


def test_does_the_litellm_format_load(tmp_path):
    litellm = {
        "sample_spec": {"max_tokens": "set to max_output_tokens"},
        "gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
                   "cache_read_input_token_cost": 1.25e-06, "max_input_tokens": 128000,
                   "litellm_provider": "openai", "mode": "chat"},
        "dall-e-3": {"mode": "image_generation", "output_cost_per_image": 0.04},
    }
    path = tmp_path / "model_prices.json"
    path.write_text(json.dumps(litellm))
    book = PriceBook.from_litellm(path, effective_from="2025-09-05")
    assert book.models() == ["gpt-4o"]
    assert book.cost("gpt-4o", Usage(2048, 100, cached_tokens=1024)) == PriceBook.default().cost(
        "gpt-4o", Usage(2048, 100, cached_tokens=1024))


def test_does_a_corrupted_price_file_say_how_to_fix_it(tmp_path):
    bad = tmp_path / "prices.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="git checkout"):
        PriceBook.from_file(bad)


@pytest.mark.parametrize("kwargs", [dict(input_tokens=-1), dict(input_tokens=10, cached_tokens=11),
                                    dict(input_tokens=1, output_tokens=5, reasoning_tokens=6)])
def test_are_impossible_usage_records_rejected(kwargs):
    with pytest.raises(ValueError):
        Usage(**kwargs)


def test_does_usage_read_an_sdk_object():
    from openai.types import CompletionUsage
    sdk = CompletionUsage(prompt_tokens=1500, completion_tokens=300, total_tokens=1800,
                          prompt_tokens_details={"cached_tokens": 1280},
                          completion_tokens_details={"reasoning_tokens": 256})
    assert Usage.from_openai(sdk) == Usage(1500, 300, cached_tokens=1280, reasoning_tokens=256)
    assert cost_of(Usage.from_openai(sdk), PriceBook.default().get("o3")) == Decimal("0.00348")


# -- dated snapshots ------------------------------------------------------------------

def test_is_each_dated_snapshot_its_own_entry_with_its_own_price(book):
    snapshots = set(book.models(snapshots=True)) - set(book.models())
    assert {"gpt-4o-2024-05-13", "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "o3-2025-04-16"} <= snapshots
    for name in snapshots:
        price = book.get(name)
        assert price.snapshot_of in book.models() and name.startswith(price.snapshot_of + "-")
    assert book.get("gpt-4o-2024-05-13").output == Decimal("15.00") != book.get("gpt-4o").output
    with pytest.raises(UnknownModelError, match="gpt-4o-mini-2024-07-18"):
        book.get("gpt-4o-mini-1999-99-99")


def test_do_the_openai_prices_match_litellms_shipped_price_map(book):
    """Oracle: LiteLLM's own copy of its price map (inside the wheel, no network)."""
    spec = importlib.util.find_spec("litellm")    # located, not imported: its import is slow
    if spec is None:
        pytest.skip("litellm no está instalado")
    table = json.loads((Path(spec.origin).parent / "model_prices_and_context_window_backup.json").read_text())
    checked = 0
    for name in book.models(mode="chat", snapshots=True):
        price = book.get(name)
        if price.provider != "openai":
            continue
        entry = table[name]
        per_m = lambda key: Decimal(str(entry[key])) * 1_000_000
        cached = per_m("cache_read_input_token_cost") if entry.get("cache_read_input_token_cost") else per_m("input_cost_per_token")
        assert (price.input, price.cached_input, price.output) == (
            per_m("input_cost_per_token"), cached, per_m("output_cost_per_token")), name
        checked += 1
    assert checked >= 20
