"""Bad requests get OpenAI-shaped 4xx errors (never a 500), seen through the SDK and raw HTTP."""

import openai
import pytest

from tests.simulator.conftest import make_client

OK = [{"role": "user", "content": "Hola"}]


def _shape(resp):
    err = resp.json()["error"]
    assert set(err) == {"message", "type", "param", "code"}
    return err


def test_is_a_missing_or_wrong_key_a_401(sim, raw):
    resp = raw.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": OK})
    assert resp.status_code == 401 and _shape(resp)
    resp = raw.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": OK},
                    headers={"Authorization": "Bearer not-a-key"})
    assert resp.status_code == 401 and _shape(resp)["code"] == "invalid_api_key"
    assert "not-a-key" not in resp.text


def test_does_the_sdk_raise_authentication_error_for_a_bad_key(sim):
    bad = openai.OpenAI(api_key="wrong", base_url=sim.simulator.base_url, max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.chat.completions.create(model="gpt-4o", messages=OK)


def test_does_a_server_with_an_explicit_key_list_refuse_other_keys():
    client = make_client(api_key="sk-other")
    client.simulator.state.api_keys = {"sk-good"}
    try:
        with pytest.raises(openai.AuthenticationError):
            client.chat.completions.create(model="gpt-4o", messages=OK)
        assert client.with_options(api_key="sk-good").chat.completions.create(
            model="gpt-4o", messages=OK).choices
    finally:
        client.simulator.stop()


def test_is_malformed_json_a_400(raw, sim):
    auth = {"Authorization": f"Bearer {sim.api_key}", "Content-Type": "application/json"}
    resp = raw.post("/v1/chat/completions", content=b'{"model": "gpt-4o", "messages": [', headers=auth)
    assert resp.status_code == 400 and _shape(resp)["type"] == "invalid_request_error"


@pytest.mark.parametrize("body, param", [
    ({"messages": OK}, "model"),
    ({"model": "gpt-4o"}, "messages"),
    ({"model": "gpt-4o", "messages": []}, "messages"),
    ({"model": "gpt-4o", "messages": [{"role": "robot", "content": "x"}]}, "messages"),
    ({"model": "gpt-4o", "messages": OK, "n": 0}, "n"),
    ({"model": "gpt-4o", "messages": OK, "temperature": 3}, "temperature"),
    ({"model": "gpt-4o", "messages": OK, "max_tokens": -1}, "max_tokens"),
    ({"model": "gpt-4o", "messages": OK, "top_logprobs": 3}, "top_logprobs"),
    ({"model": "gpt-4o", "messages": OK, "metadata": {"team": 5}}, "metadata"),
    ({"model": "gpt-4o", "messages": "hola"}, "messages"),
    ({"model": "o3", "messages": OK, "max_tokens": 10}, "max_tokens"),
])
def test_are_bad_fields_400_naming_the_parameter(raw, sim, body, param):
    resp = raw.post("/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {sim.api_key}"})
    assert resp.status_code == 400, resp.text
    assert (_shape(resp)["param"] or "").startswith(param)


def test_is_an_unknown_model_a_404(sim):
    with pytest.raises(openai.NotFoundError) as info:
        sim.chat.completions.create(model="gpt-9-ultra", messages=OK)
    assert info.value.code == "model_not_found"


def test_is_an_embedding_model_refused_for_chat(sim):
    with pytest.raises(openai.BadRequestError):
        sim.chat.completions.create(model="text-embedding-3-small", messages=OK)


def test_is_a_prompt_over_the_context_window_context_length_exceeded(sim):
    huge = "palabra " * 130_000
    with pytest.raises(openai.BadRequestError) as info:
        sim.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": huge}])
    assert info.value.code == "context_length_exceeded"


def test_is_an_oversized_body_a_413(sim):
    sim.simulator.state.max_body_bytes, old = 50_000, sim.simulator.state.max_body_bytes
    try:
        with pytest.raises(openai.APIStatusError) as info:
            sim.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x" * 60_000}])
        assert info.value.status_code == 413
    finally:
        sim.simulator.state.max_body_bytes = old


def test_is_an_unknown_route_a_404_in_openai_shape(raw, sim):
    resp = raw.get("/v1/nothing-here", headers={"Authorization": f"Bearer {sim.api_key}"})
    assert resp.status_code == 404 and _shape(resp)


def test_does_the_ledger_stay_empty_after_rejected_calls(fresh):
    with pytest.raises(openai.NotFoundError):
        fresh.chat.completions.create(model="nope", messages=OK)
    assert len(fresh.simulator.ledger) == 0
