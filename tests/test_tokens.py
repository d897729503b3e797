"""Oracle tests of token counting: our counts against tiktoken's and the documented figures."""

import gzip
import hashlib
from decimal import Decimal

import pytest
import tiktoken

from course_lib import tokens
from course_lib.paths import TOKENIZER_DIR
from course_lib.tokens import (TokenizerFileError, count_chat_tokens, count_tokens, encoding_name_for_model,
                               estimate_cost, get_encoding)

# The OpenAI Cookbook's example (How_to_count_tokens_with_tiktoken): the API reports
# 129 prompt tokens on gpt-4 and 124 on gpt-4o for it.
COOKBOOK_MESSAGES = [
    {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
    {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
    {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
    {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."},
]

# tiktoken caches a download under the sha1 of its URL; placing the shipped files
# there lets tiktoken itself build the reference encodings without any network.
TIKTOKEN_CACHE_NAMES = {"o200k_base": "fb374d419588a4632f3f557e76b4b70aebbca790",
                        "cl100k_base": "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"}

SPANISH = [
    "¿Cuánto cuesta el envío a Canarias?",
    "Hola, quería saber si puedo devolver unas zapatillas que compré hace 20 días 🙂",
    "Política de devoluciones: dispones de 30 días naturales desde la recepción del pedido.",
    "¿Aceptan Bizum o sólo PayPal? Gracias!!",
    "  espacios   raros\n\n\ty saltos de línea\r\n  ",
    "Importe: 1.234,56 € (IVA incl.) — código DESC-2025",
    "<|endoftext|> no es especial aquí",
]


@pytest.fixture(scope="module")
def tiktoken_reference(tmp_path_factory, monkeypatch_module):
    cache = tmp_path_factory.mktemp("tiktoken_cache")
    for name, sha1 in TIKTOKEN_CACHE_NAMES.items():
        (cache / sha1).write_bytes(gzip.decompress((TOKENIZER_DIR / f"{name}.tiktoken.gz").read_bytes()))
    monkeypatch_module.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    return {name: tiktoken.get_encoding(name) for name in TIKTOKEN_CACHE_NAMES}


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
@pytest.mark.parametrize("text", SPANISH)
def test_do_our_encodings_equal_tiktokens(tiktoken_reference, name, text):
    ours, reference = get_encoding(name), tiktoken_reference[name]
    assert ours.encode_ordinary(text) == reference.encode_ordinary(text)
    assert ours.encode(text, allowed_special="all") == reference.encode(text, allowed_special="all")


def test_does_the_example_question_cost_8_tokens_on_gpt_4o():
    assert count_tokens("¿Cuánto cuesta el envío a Canarias?", "gpt-4o") == 8


@pytest.mark.parametrize("model, expected", [("gpt-4o", 124), ("gpt-4o-mini", 124), ("gpt-4", 129),
                                             ("gpt-3.5-turbo", 129)])
def test_does_the_cookbook_conversation_count_as_the_api_reports(model, expected):
    assert count_chat_tokens(COOKBOOK_MESSAGES, model) == expected


def test_does_a_name_add_one_token():
    plain = [{"role": "user", "content": "hola"}]
    named = [{"role": "user", "name": "ana", "content": "hola"}]
    assert count_chat_tokens(named) == count_chat_tokens(plain) + 1 + count_tokens("ana")


def test_are_text_content_parts_counted_like_a_string():
    as_parts = [{"role": "user", "content": [{"type": "text", "text": "hola "}, {"type": "text", "text": "mundo"}]}]
    assert count_chat_tokens(as_parts) == count_chat_tokens([{"role": "user", "content": "hola mundo"}])


@pytest.mark.parametrize("model, encoding", [("gpt-4o", "o200k_base"), ("gpt-4.1-nano", "o200k_base"),
                                              ("o3", "o200k_base"), ("o4-mini", "o200k_base"),
                                              ("gpt-5-mini", "o200k_base"), ("gpt-4", "cl100k_base"),
                                              ("gpt-4-turbo", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base"),
                                              ("text-embedding-3-small", "cl100k_base"),
                                              ("claude-sonnet-4", "o200k_base")])
def test_does_each_model_use_its_encoding(model, encoding):
    assert encoding_name_for_model(model) == encoding


def test_does_spanish_pay_a_token_premium_that_o200k_narrows():
    es = ("¿Cuánto tarda en llegar mi pedido si vivo en las Islas Canarias? Quiero devolver unas "
          "zapatillas que compré hace veinte días porque me quedan pequeñas.")
    en = ("How long does my order take to arrive if I live in the Canary Islands? I want to return "
          "some sneakers I bought twenty days ago because they are too small.")
    premium_cl100k = count_tokens(es, "gpt-4") / count_tokens(en, "gpt-4")
    premium_o200k = count_tokens(es, "gpt-4o") / count_tokens(en, "gpt-4o")
    assert premium_cl100k > 1.15
    assert premium_o200k < premium_cl100k


def test_is_the_estimate_the_hand_computed_bill():
    messages = [{"role": "system", "content": "Eres el asistente de la tienda."},
                {"role": "user", "content": "¿Cuánto cuesta el envío a Canarias?"}]
    estimate = estimate_cost(messages, "gpt-4o-mini", expected_output_tokens=150)
    n = count_chat_tokens(messages, "gpt-4o-mini")
    assert estimate.input_tokens == n
    assert estimate.cost * 10**6 == n * Decimal("0.15") + 150 * Decimal("0.60")


def _fresh_copy(tmp_path, name, mutate=None):
    target = tmp_path / f"{name}.tiktoken.gz"
    if mutate is not None:
        target.write_bytes(mutate((TOKENIZER_DIR / target.name).read_bytes()))
    return tmp_path


def test_does_a_missing_tokenizer_file_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(TokenizerFileError) as info:
        get_encoding("o200k_base", directory=tmp_path)
    assert "o200k_base.tiktoken.gz" in str(info.value) and "git checkout" in str(info.value)


def test_does_a_corrupted_tokenizer_file_fail_its_hash_check(tmp_path):
    def flip_one_rank(blob):
        raw = bytearray(gzip.decompress(blob))
        raw[-3] = ord("7") if raw[-3] != ord("7") else ord("8")
        return gzip.compress(bytes(raw))
    directory = _fresh_copy(tmp_path, "cl100k_base", flip_one_rank)
    with pytest.raises(TokenizerFileError, match="dañado"):
        get_encoding("cl100k_base", directory=directory)


def test_does_a_truncated_tokenizer_file_give_a_clear_error(tmp_path):
    directory = _fresh_copy(tmp_path, "cl100k_base", lambda blob: blob[: len(blob) // 2])
    with pytest.raises(TokenizerFileError, match="dañado"):
        get_encoding("cl100k_base", directory=directory)


def test_are_the_shipped_files_the_published_ones():
    for name, spec in tokens.ENCODINGS.items():
        raw = gzip.decompress((TOKENIZER_DIR / f"{name}.tiktoken.gz").read_bytes())
        assert hashlib.sha256(raw).hexdigest() == spec["sha256"]
