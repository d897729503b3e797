"""Fault injection: deterministic 5xx, retries through them, per-request header faults, slow answers."""

import time
import types

import openai
import pytest

from course_lib.client import DEFAULT_KEY
from course_lib.simulator import Clock, SimulatorState, create_app
from course_lib.simulator import faults as faults_module
from course_lib.simulator.faults import FaultInjector, FaultMiddleware
from course_lib.simulator.server import ServerHandle

HELLO = [{"role": "user", "content": "Hola"}]


@pytest.fixture(scope="module")
def sim():
    state = SimulatorState(clock=Clock(start=1_760_000_000.0, frozen=True), admin_key="sk-admin-faults")
    app = create_app(state)
    if not any(m.cls is FaultMiddleware for m in app.user_middleware):
        faults_module.install(app)
    server = ServerHandle(app).start()
    yield state, server
    server.stop()


@pytest.fixture()
def client(sim):
    state, server = sim
    state.faults.clear()
    yield openai.OpenAI(base_url=server.base_url, api_key=DEFAULT_KEY, max_retries=0, _strict_response_validation=True)
    state.faults.clear()


@pytest.fixture()
def admin(sim):
    state, server = sim
    return openai.OpenAI(base_url=server.base_url, api_key=state.admin_key, max_retries=0, _strict_response_validation=True)


@pytest.fixture()
def no_wait(monkeypatch):
    """The SDK's backoff sleeps are recorded, not slept."""
    slept = []
    monkeypatch.setattr(openai._base_client, "time",
                        types.SimpleNamespace(sleep=slept.append, time=time.time))
    return slept


def _outcomes(client, n):
    out = []
    for _ in range(n):
        try:
            client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=5)
            out.append(None)
        except openai.APIStatusError as exc:
            out.append(exc.status_code)
    return out


def test_is_a_configured_fault_rate_deterministic_by_seed(client, admin):
    config = {"rate": 0.3, "kinds": ["500", "503"], "seed": 11}
    admin.post("/simulator/faults", body=config, cast_to=object)
    first = _outcomes(client, 20)
    admin.post("/simulator/faults", body=config, cast_to=object)
    assert _outcomes(client, 20) == first
    oracle = FaultInjector(seed=11)
    oracle.configure(rate=0.3, kinds=["500", "503"])
    expected = [f.status if f else None for f in map(oracle.maybe_fail, range(20))]
    assert first == expected
    assert None in first and set(first) - {None} == {500, 503}


def test_does_the_sdk_retry_through_two_503s(sim, client, admin, no_wait):
    state, _ = sim
    admin.post("/simulator/faults", body={"rate": 1.0, "kinds": ["503"], "count": 2}, cast_to=object)
    before = len(state.ledger)
    answer = client.with_options(max_retries=2).chat.completions.create(
        model="gpt-4o-mini", messages=HELLO, max_tokens=5)
    assert answer.choices[0].message.content
    assert len(no_wait) == 2                 # two backoffs, then success
    assert len(state.ledger) == before + 1   # failed attempts are not billed
    assert admin.get("/simulator/faults", cast_to=object)["count"] == 0


def test_is_an_injected_error_in_openais_shape(client, admin):
    admin.post("/simulator/faults", body={"rate": 1.0, "kinds": ["502"]}, cast_to=object)
    with pytest.raises(openai.InternalServerError) as caught:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert caught.value.status_code == 502 and caught.value.type == "server_error"
    with pytest.raises(openai.InternalServerError):
        client.embeddings.create(model="text-embedding-3-small", input="hola")
    admin.delete("/simulator/faults", cast_to=object)
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=5)


def test_do_faults_only_hit_the_configured_paths(client, admin):
    admin.post("/simulator/faults", body={"rate": 1.0, "paths": ["/v1/embeddings"]}, cast_to=object)
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=5)
    with pytest.raises(openai.InternalServerError):
        client.embeddings.create(model="text-embedding-3-small", input="hola")


def test_does_a_header_ask_for_a_fault_on_one_request(client):
    with pytest.raises(openai.InternalServerError) as caught:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO,
                                       extra_headers={"x-simulator-fault": "500"})
    assert caught.value.status_code == 500
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=5)
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO,
                                       extra_headers={"x-simulator-fault": "418"})


def test_does_a_timeout_fault_outlast_the_client_timeout(client):
    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=0.3).chat.completions.create(
            model="gpt-4o-mini", messages=HELLO,
            extra_headers={"x-simulator-fault": "timeout", "x-simulator-fault-delay": "1.0"})


def test_is_a_slow_fault_slow_but_served(client):
    started = time.perf_counter()
    answer = client.chat.completions.create(
        model="gpt-4o-mini", messages=HELLO, max_tokens=5,
        extra_headers={"x-simulator-fault": "slow", "x-simulator-fault-delay": "0.3"})
    assert time.perf_counter() - started >= 0.3
    assert answer.choices[0].message.content


@pytest.mark.parametrize("body", [{"rate": 2}, {"kinds": ["404"]}, {"kinds": "500"}, {"count": -1},
                                  {"delay_s": 1e9}, {"paths": ["no-slash"]}, {"colour": "red"}, {"rate": None}])
def test_are_bad_fault_settings_refused(admin, body):
    with pytest.raises(openai.BadRequestError):
        admin.post("/simulator/faults", body=body, cast_to=object)


def test_do_fault_settings_need_the_admin_key(client):
    with pytest.raises(openai.AuthenticationError):
        client.post("/simulator/faults", body={"rate": 1.0}, cast_to=object)
