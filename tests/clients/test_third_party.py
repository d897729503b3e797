"""Do clients nobody here wrote (LiteLLM, langchain-openai) work offline against the simulator?

Each completes a chat and an embeddings call against an isolated simulator
(``base_url``), with the suite's network guard on, and the cost it reports (or
that its reported usage implies) equals the simulator's own ledger.
LiteLLM fetches its price map from the network at import unless told to use
the copy inside the wheel (``LITELLM_LOCAL_MODEL_COST_MAP``).
"""

import os
from decimal import Decimal

import pytest

from course_lib.client import connect
from course_lib.pricing import PriceBook, Usage
from course_lib.tokens import count_tokens

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
KEY = "sk-terceros"
QUESTION = [{"role": "user", "content": "¿Cuántos días tengo para devolver un producto?"}]


@pytest.fixture(scope="module")
def sim():
    client = connect(isolated=True, max_retries=0)
    yield client.simulator
    client.simulator.stop()


def _ledger_row(sim, request_id=None):
    rows = sim.ledger.records()
    return rows[-1] if request_id is None else next(r for r in rows if r.request_id == request_id)


def test_does_litellm_chat_cost_what_the_ledger_says(sim):
    litellm = pytest.importorskip("litellm")
    long_context = "Política de devoluciones de la tienda. " * 300      # enough to hit the prompt cache
    messages = [{"role": "system", "content": long_context}] + QUESTION
    costs = []
    for _ in range(2):
        resp = litellm.completion(model="openai/gpt-4o-mini", messages=messages, api_base=sim.base_url,
                                  api_key=KEY, max_tokens=40)
        row = _ledger_row(sim, resp.id)
        assert resp.usage.prompt_tokens == row.input_tokens
        costs.append((litellm.completion_cost(completion_response=resp), row))
    assert costs[1][1].cached_tokens > 0                    # the second call read the prompt cache
    for reported, row in costs:
        assert Decimal(str(reported)) == pytest.approx(row.cost, rel=Decimal("1e-9"))


def test_does_litellm_price_hidden_reasoning_tokens_like_the_ledger(sim):
    litellm = pytest.importorskip("litellm")
    resp = litellm.completion(model="openai/o4-mini", messages=QUESTION, api_base=sim.base_url, api_key=KEY)
    row = _ledger_row(sim, resp.id)
    assert row.reasoning_tokens > 0
    assert resp.usage.completion_tokens_details.reasoning_tokens == row.reasoning_tokens
    assert Decimal(str(litellm.completion_cost(completion_response=resp))) == pytest.approx(
        row.cost, rel=Decimal("1e-9"))


def test_does_litellm_embed_and_cost_what_the_ledger_says(sim):
    litellm = pytest.importorskip("litellm")
    resp = litellm.embedding(model="openai/text-embedding-3-small", input=["hola", "envío a Canarias"],
                             api_base=sim.base_url, api_key=KEY)
    assert len(resp.data) == 2 and len(resp.data[0]["embedding"]) == 1536
    row = _ledger_row(sim)
    assert row.model == "text-embedding-3-small" and row.input_tokens == resp.usage.prompt_tokens
    assert Decimal(str(litellm.completion_cost(completion_response=resp))) == pytest.approx(row.cost, rel=Decimal("1e-9"))


def test_does_langchain_chat_report_usage_that_prices_to_the_ledger(sim):
    lc = pytest.importorskip("langchain_openai")
    chat = lc.ChatOpenAI(model="gpt-4o-mini", base_url=sim.base_url, api_key=KEY, max_tokens=40,
                         max_retries=0)
    answer = chat.invoke([("user", QUESTION[0]["content"])])
    usage = answer.usage_metadata
    row = _ledger_row(sim, answer.response_metadata.get("id"))
    assert (usage["input_tokens"], usage["output_tokens"]) == (row.input_tokens, row.output_tokens)
    details = usage.get("input_token_details", {})
    priced = PriceBook.default().cost("gpt-4o-mini", Usage(usage["input_tokens"], usage["output_tokens"],
                                                           cached_tokens=details.get("cache_read", 0)))
    assert priced == row.cost


def test_do_langchain_embeddings_work_offline_and_cost_what_the_ledger_says(sim):
    lc = pytest.importorskip("langchain_openai")
    # OpenAIEmbeddings tokenizes with plain tiktoken before sending: offline only if the
    # course installed the encodings in tiktoken's cache.
    embedder = lc.OpenAIEmbeddings(model="text-embedding-3-small", base_url=sim.base_url, api_key=KEY,
                                   max_retries=0)
    texts = ["¿Cuánto cuesta el envío a Canarias?", "Plazo de devolución"]
    vectors = embedder.embed_documents(texts)
    assert len(vectors) == 2 and len(vectors[0]) == 1536
    row = _ledger_row(sim)
    tokens = sum(count_tokens(t, "text-embedding-3-small") for t in texts)
    assert row.input_tokens == tokens
    assert row.cost == PriceBook.default().cost("text-embedding-3-small", Usage(tokens))


def test_did_no_third_party_client_try_the_network(network_attempts):
    assert network_attempts == []
