"""Does a call to an OpenAI-compatible server that is not the simulator leave a priced ledger row?"""

from decimal import Decimal

import openai
import pytest

from course_lib import connect
from course_lib.pricing import PriceBook, Usage

from .fake_provider import CACHED_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS, FakeProvider

MESSAGES = [{"role": "user", "content": "¿Cuánto cuesta el envío a Canarias?"}]


@pytest.fixture
def provider():
    with FakeProvider() as fake:
        yield fake


@pytest.fixture
def client(provider, tmp_path, monkeypatch):
    monkeypatch.setenv("COSTLAB_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-test")
    monkeypatch.setenv("OPENAI_BASE_URL", provider.base_url)
    return connect(ledger=tmp_path / "app.sqlite", max_retries=0)


def expected_cost() -> Decimal:
    usage = Usage(PROMPT_TOKENS, COMPLETION_TOKENS, cached_tokens=CACHED_TOKENS)
    return PriceBook.default().cost("gpt-4o-mini", usage)


def test_does_a_real_provider_call_leave_one_row_with_the_right_cost(client):
    response = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, user="ana",
                                              metadata={"team": "soporte", "feature": "chat"})
    assert isinstance(client, openai.OpenAI) and client.simulator is None
    assert response.choices[0].message.content.startswith("Hola")
    [row] = client.ledger.records()
    assert (row.input_tokens, row.cached_tokens, row.output_tokens) == (PROMPT_TOKENS, CACHED_TOKENS,
                                                                       COMPLETION_TOKENS)
    assert row.cost == expected_cost() and row.priced
    assert (row.user, row.team, row.feature, row.status) == ("ana", "soporte", "chat", "ok")
    assert row.model in ("gpt-4o-mini", "gpt-4o-mini-2024-07-18")


def test_is_a_stream_recorded_from_its_usage_chunk_and_the_chunk_hidden(client, provider):
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True))
    assert provider.bodies[-1]["stream_options"] == {"include_usage": True}   # asked on our behalf
    assert all(c.choices for c in chunks) and all(c.usage is None for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Hola, mundo"
    [row] = client.ledger.records()
    assert row.cost == expected_cost() and row.status == "ok"


def test_does_a_caller_who_asked_for_usage_still_get_the_usage_chunk(client):
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True,
                                                 stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage.prompt_tokens == PROMPT_TOKENS
    assert len(client.ledger) == 1


def test_is_an_abandoned_stream_recorded_once_as_incomplete(client):
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True)
    next(iter(stream))
    stream._iterator.close()     # what happens when the caller drops the stream half-way
    [row] = client.ledger.records()
    assert row.status == "incomplete" and row.input_tokens > 0


def test_is_a_provider_error_raised_as_the_sdk_raises_it_and_recorded_as_failed(client):
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="fails", messages=MESSAGES)
    [row] = client.ledger.records()
    assert row.status == "error" and row.cost == 0 and "BadRequestError" in row.error


def test_are_embeddings_recorded_with_their_input_tokens(client):
    client.embeddings.create(model="text-embedding-3-small", input=["hola", "adiós"], user="ana")
    [row] = client.ledger.records()
    assert (row.endpoint, row.input_tokens, row.output_tokens) == ("embeddings", 14, 0)
    assert row.cost == PriceBook.default().cost("text-embedding-3-small", Usage(14))


def test_does_an_unknown_model_get_flagged_not_priced_at_zero(client):
    client.chat.completions.create(model="modelo-propio", messages=MESSAGES)
    [row] = client.ledger.records()
    assert row.priced is False


def test_does_a_with_options_copy_record_in_the_same_ledger(client):
    copy = client.with_options(timeout=5)
    copy.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert copy.ledger is client.ledger and len(client.ledger) == 2
    assert copy.pipeline is client.pipeline
