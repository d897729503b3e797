"""Embeddings through the openai SDK: shapes, dimensions, formats, similarity, billing, errors."""

from decimal import Decimal

import httpx
import numpy as np
import openai
import pytest

from course_lib.client import connect
from course_lib.simulator import Clock
from course_lib.tokens import get_encoding

PARAPHRASES = [
    ("¿Cuánto tarda el envío a Canarias?", "¿Cuántos días tarda en llegar un pedido a Canarias?"),
    ("¿Puedo pagar con PayPal?", "¿Aceptáis PayPal como forma de pago?"),
    ("¿Cómo cambio la contraseña de mi cuenta?", "Quiero modificar la contraseña de mi cuenta"),
]
UNRELATED = [
    ("¿Cuánto tarda el envío a Canarias?", "¿Puedo pagar con PayPal?"),
    ("¿Cómo cambio la contraseña de mi cuenta?", "¿Cuánto cuesta el envío urgente?"),
    ("¿Aceptáis PayPal como forma de pago?", "¿Qué garantía tienen los portátiles?"),
]


@pytest.fixture(scope="module")
def client():
    client = connect(isolated=True, clock=Clock(start=1_760_000_000.0, frozen=True), max_retries=0)
    yield client
    client.simulator.stop()


def _cosine(client, model, a, b, **kw):
    data = client.embeddings.create(model=model, input=[a, b], **kw).data
    va, vb = (np.asarray(d.embedding) for d in data)
    return float(va @ vb)


@pytest.mark.parametrize("model, dims", [("text-embedding-3-small", 1536), ("text-embedding-3-large", 3072)])
def test_do_vectors_have_the_models_size_and_unit_length(client, model, dims):
    response = client.embeddings.create(model=model, input=["hola", "adiós", "¿qué tal?"])
    assert [d.index for d in response.data] == [0, 1, 2]
    for item in response.data:
        assert len(item.embedding) == dims
        assert np.linalg.norm(item.embedding) == pytest.approx(1.0, abs=1e-5)
    assert response.model == model


def test_does_a_float_answer_validate_against_the_sdks_types(client):
    raw = client.embeddings.with_raw_response.create(model="text-embedding-3-small", input=["a", "b"],
                                                     encoding_format="float")
    parsed = openai.types.CreateEmbeddingResponse.model_validate(raw.http_response.json())
    assert len(parsed.data) == 2 and parsed.usage.prompt_tokens == 2
    assert raw.headers["x-request-id"].startswith("req_") and "x-ratelimit-remaining-requests" in raw.headers


def test_does_dimensions_truncate_and_renormalise(client):
    full = np.asarray(client.embeddings.create(model="text-embedding-3-large", input="devoluciones",
                                               encoding_format="float").data[0].embedding)
    short = np.asarray(client.embeddings.create(model="text-embedding-3-large", input="devoluciones",
                                                dimensions=256, encoding_format="float").data[0].embedding)
    assert short.shape == (256,)
    assert np.allclose(short, full[:256] / np.linalg.norm(full[:256]), atol=1e-6)


def test_do_base64_and_float_give_the_same_vector(client):
    as_b64 = client.embeddings.create(model="text-embedding-3-small", input="garantía")  # SDK asks base64
    as_float = client.embeddings.create(model="text-embedding-3-small", input="garantía", encoding_format="float")
    assert np.allclose(as_b64.data[0].embedding, as_float.data[0].embedding, atol=1e-7)


def test_do_spanish_paraphrases_score_clearly_above_unrelated_questions(client):
    for model in ("text-embedding-3-small", "text-embedding-3-large"):
        para = [_cosine(client, model, a, b) for a, b in PARAPHRASES]
        unrel = [_cosine(client, model, a, b) for a, b in UNRELATED]
        assert min(para) > max(unrel) + 0.2, (para, unrel)
        assert np.mean(para) > 0.6 and np.mean(unrel) < 0.4


def test_is_similarity_kept_at_few_dimensions(client):
    para = [_cosine(client, "text-embedding-3-small", a, b, dimensions=256) for a, b in PARAPHRASES]
    unrel = [_cosine(client, "text-embedding-3-small", a, b, dimensions=256) for a, b in UNRELATED]
    assert min(para) > max(unrel)


def test_is_the_same_text_always_the_same_vector(client):
    one = client.embeddings.create(model="text-embedding-3-small", input="¿Hacéis envíos a Ceuta?")
    two = client.embeddings.create(model="text-embedding-3-small", input="¿Hacéis envíos a Ceuta?")
    assert one.data[0].embedding == two.data[0].embedding


def test_are_tokens_counted_with_cl100k_and_billed(client):
    texts = ["Política de devoluciones: 30 días naturales.", "¿Envío gratis a partir de 50 €?"]
    enc = get_encoding("cl100k_base")
    expected = sum(len(enc.encode_ordinary(t)) for t in texts)
    before = len(client.simulator.ledger)
    response = client.embeddings.create(model="text-embedding-3-large", input=texts, user="ana")
    assert response.usage.prompt_tokens == response.usage.total_tokens == expected
    records = client.simulator.ledger.records()
    assert len(records) == before + 1
    rec = records[-1]
    assert (rec.model, rec.input_tokens, rec.output_tokens, rec.user) == ("text-embedding-3-large", expected, 0, "ana")
    assert rec.cost == Decimal(expected) * Decimal("0.13") / Decimal(1_000_000)
    assert rec.api_key_id.startswith("key_") and not rec.batch


def test_are_token_arrays_embedded_as_their_text(client):
    enc = get_encoding("cl100k_base")
    tokens = enc.encode_ordinary("devoluciones gratuitas")
    by_tokens = client.embeddings.create(model="text-embedding-3-small", input=[tokens], encoding_format="float")
    by_text = client.embeddings.create(model="text-embedding-3-small", input="devoluciones gratuitas",
                                       encoding_format="float")
    assert by_tokens.usage.prompt_tokens == len(tokens)
    assert np.allclose(by_tokens.data[0].embedding, by_text.data[0].embedding)


@pytest.mark.parametrize("kwargs, status, param", [
    ({"model": "text-embedding-3-small", "input": ""}, 400, "input"),
    ({"model": "text-embedding-3-small", "input": []}, 400, "input"),
    ({"model": "text-embedding-3-small", "input": ["ok", 3.5]}, 400, "input"),
    ({"model": "text-embedding-3-small", "input": [[10**9]]}, 400, "input"),
    ({"model": "text-embedding-3-small", "input": "x", "dimensions": 0}, 400, "dimensions"),
    ({"model": "text-embedding-3-small", "input": "x", "dimensions": 1537}, 400, "dimensions"),
    ({"model": "text-embedding-3-small", "input": "x", "encoding_format": "int8"}, 400, "encoding_format"),
    ({"model": "text-embedding-3-small", "input": "hola " * 9000}, 400, "input"),
    ({"model": "gpt-4o-mini", "input": "x"}, 400, "model"),
    ({"model": "text-embedding-9", "input": "x"}, 404, "model"),
])
def test_is_bad_input_a_4xx_in_openais_shape(client, kwargs, status, param):
    with pytest.raises(openai.APIStatusError) as caught:
        client.embeddings.create(**kwargs)
    assert caught.value.status_code == status
    assert caught.value.body["param"] == param


def test_are_malformed_bodies_and_missing_keys_refused(client):
    url = f"{client.simulator.url}/v1/embeddings"
    key = {"Authorization": f"Bearer {client.api_key}"}
    assert httpx.post(url, content=b"{not json", headers=key).status_code == 400
    assert httpx.post(url, json=["a"], headers=key).status_code == 400
    assert httpx.post(url, json={"model": "text-embedding-3-small"}, headers=key).json()["error"]["param"] == "input"
    assert httpx.post(url, json={"model": "text-embedding-3-small", "input": "x"}).status_code == 401
