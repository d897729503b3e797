"""The cache in the client pipeline, end to end through the SDK and the simulator's ledgers."""

from decimal import Decimal

import pytest

from course_lib.cache import (EmbeddingsCache, ExactCache, SemanticCache, install_cache,
                              install_embeddings_cache, pipeline_embedder)
from course_lib.client import connect
from course_lib.clock import Clock

QUESTION = "¿Cuánto cuesta el envío a Canarias?"


@pytest.fixture(scope="module")
def sim():
    client = connect(isolated=True, clock=Clock(start=1_773_000_000.0, frozen=True), max_retries=0)
    yield client
    client.simulator.stop()


@pytest.fixture
def client(sim):
    """The module's simulator with a fresh pipeline cache slot and an empty ledger view."""
    before = set(sim.pipeline.names)
    start = len(sim.ledger.records())
    sim._start = start
    yield sim
    for name in set(sim.pipeline.names) - before:
        sim.pipeline.remove(name)


def ask(client, text=QUESTION, **extra):
    params = {"model": "gpt-4o-mini", "temperature": 0, "user": "cli-00001",
              "messages": [{"role": "user", "content": text}],
              "metadata": {"team": "ecommerce", "feature": "chat_web"}}
    return client.chat.completions.create(**{**params, **extra})


def rows(client):
    return client.ledger.records()[client._start:]


def test_is_a_repeat_answered_from_cache_at_zero_cost(client):
    cache = install_cache(client, exact=ExactCache(clock=client.simulator.clock))
    provider_before = len(client.simulator.ledger.records())
    first, second = ask(client), ask(client, user="cli-00099")
    assert second.choices[0].message.content == first.choices[0].message.content
    assert second.usage.prompt_tokens == 0
    ledger = rows(client)
    assert [r.response_cache_hit for r in ledger] == [False, True]
    assert ledger[1].cost == Decimal(0) and ledger[0].cost > 0
    assert ledger[1].team == "ecommerce"
    assert len(client.simulator.ledger.records()) == provider_before + 1   # one provider call
    assert cache.stats.usd_saved() == ledger[0].cost
    assert cache.stats.get("input_tokens_saved") == ledger[0].input_tokens


def test_do_cache_controls_skip_lookup_and_store_and_never_reach_the_provider(client):
    install_cache(client, exact=ExactCache(clock=client.simulator.clock))
    ask(client, "pregunta sin guardar", extra_body={"cache": {"no-store": True}})
    ask(client, "pregunta sin guardar")
    ask(client, "pregunta sin guardar", extra_body={"cache": {"no-cache": True}})
    assert [r.response_cache_hit for r in rows(client)] == [False, False, False]
    ask(client, "pregunta sin guardar")
    assert rows(client)[-1].response_cache_hit


def test_is_a_provider_error_never_stored(client):
    cache = ExactCache(clock=client.simulator.clock)
    install_cache(client, exact=cache)
    with pytest.raises(Exception):
        client.chat.completions.create(model="modelo-que-no-existe", temperature=0,
                                       messages=[{"role": "user", "content": QUESTION}])
    assert cache.stats.get("stores") == 0
    with pytest.raises(Exception):
        client.chat.completions.create(model="modelo-que-no-existe", temperature=0,
                                       messages=[{"role": "user", "content": QUESTION}])
    assert not any(r.response_cache_hit for r in rows(client))


def test_is_an_answer_cut_by_max_tokens_not_stored(client):
    cache = ExactCache(clock=client.simulator.clock)
    install_cache(client, exact=cache)
    cut = ask(client, "Explícame con todo detalle la política de devoluciones", max_tokens=5)
    assert cut.choices[0].finish_reason == "length"
    ask(client, "Explícame con todo detalle la política de devoluciones", max_tokens=5)
    assert not rows(client)[-1].response_cache_hit and cache.stats.get("not_stored") == 2


def test_are_streamed_calls_cached_and_replayed_as_streams(client):
    install_cache(client, exact=ExactCache(clock=client.simulator.clock))
    text = "¿Qué horario tiene el servicio de atención al cliente?"
    first = "".join(c.choices[0].delta.content or "" for c in ask(client, text, stream=True) if c.choices)
    chunks = list(ask(client, text, stream=True, stream_options={"include_usage": True}))
    replay = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert replay == first
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 0
    assert ask(client, text).choices[0].message.content == first     # and as a plain call
    assert [r.response_cache_hit for r in rows(client)] == [False, True, True]


def test_does_the_semantic_cache_record_its_embedding_calls(client):
    semantic = SemanticCache(embed=pipeline_embedder(client), threshold=0.85,
                             clock=client.simulator.clock)
    install_cache(client, semantic=semantic)
    ask(client, "¿Cuánto tarda en llegar un pedido a Baleares?")
    answer = ask(client, "¿En cuántos días llega un pedido a Baleares?")
    kinds = [(r.endpoint, r.response_cache_hit) for r in rows(client)]
    assert kinds.count(("embeddings", False)) == 2      # one per question: lookup and store share it
    assert kinds[-1] == ("chat.completions", True), kinds
    assert answer.choices[0].message.content


def test_does_a_batch_embed_only_its_misses_in_one_request(client):
    cache = install_embeddings_cache(client, cache=EmbeddingsCache())
    texts = ["envío a Canarias", "plazo de devolución", "envío a Madrid"]
    first = client.embeddings.create(model="text-embedding-3-small", input=texts[:2], dimensions=64)
    second = client.embeddings.create(model="text-embedding-3-small", input=texts, dimensions=64)
    assert second.data[0].embedding == pytest.approx(first.data[0].embedding)
    assert len(second.data) == 3 and [d.index for d in second.data] == [0, 1, 2]
    emb_rows = [r for r in rows(client) if r.endpoint == "embeddings"]
    assert len(emb_rows) == 2 and emb_rows[1].input_tokens < emb_rows[0].input_tokens * 1.5
    third = client.embeddings.create(model="text-embedding-3-small", input=texts[::-1], dimensions=64)
    assert third.data[2].embedding == pytest.approx(first.data[0].embedding)
    assert rows(client)[-1].response_cache_hit
    assert cache.stats.get("hits") == 2 + 3
