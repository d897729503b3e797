"""Rate limits: the token buckets alone, then through the openai SDK (429, retry-after, retry)."""

import types
import time

import openai
import pytest

from course_lib.client import connect
from course_lib.simulator import Clock
from course_lib.simulator.ratelimit import RateLimiter, format_reset

T0 = 1_760_000_000.0
HELLO = [{"role": "user", "content": "Hola, ¿qué tal?"}]


# -- the limiter alone ----------------------------------------------------------------

def test_does_a_bucket_refill_at_limit_per_minute():
    now = [0.0]
    limiter = RateLimiter(lambda: now[0])
    for _ in range(60):
        assert limiter.decide("k", "m", 1, rpm=60, tpm=None).allowed
    refused = limiter.decide("k", "m", 1, rpm=60, tpm=None)
    assert not refused.allowed and refused.reason == "requests" and refused.retry_after == 1.0
    now[0] = 0.5
    assert not limiter.decide("k", "m", 1, rpm=60, tpm=None).allowed
    now[0] = 1.0
    assert limiter.decide("k", "m", 1, rpm=60, tpm=None).allowed


def test_are_keys_and_models_limited_separately():
    limiter = RateLimiter(lambda: 0.0)
    assert limiter.decide("k1", "m", 1, rpm=1, tpm=None).allowed
    assert not limiter.decide("k1", "m", 1, rpm=1, tpm=None).allowed
    assert limiter.decide("k2", "m", 1, rpm=1, tpm=None).allowed
    assert limiter.decide("k1", "other", 1, rpm=1, tpm=None).allowed


def test_does_the_token_bucket_say_how_long_to_wait():
    now = [100.0]
    limiter = RateLimiter(lambda: now[0])
    first = limiter.decide("k", "m", 600, rpm=None, tpm=1000)
    assert first.allowed and first.headers["x-ratelimit-remaining-tokens"] == "400"
    assert first.headers["x-ratelimit-reset-tokens"] == "36s"   # 600 tokens back at 1000/60 per second
    second = limiter.decide("k", "m", 600, rpm=None, tpm=1000)
    assert not second.allowed and second.reason == "tokens"
    assert second.retry_after == pytest.approx(12.0)              # 200 missing tokens at 1000/60 per s
    assert "x-ratelimit-limit-requests" not in second.headers     # no RPM limit, no RPM headers


def test_is_a_request_bigger_than_the_tpm_refused_for_good():
    limiter = RateLimiter(lambda: 0.0)
    decision = limiter.decide("k", "m", 5000, rpm=10, tpm=1000)
    assert not decision.allowed and decision.reason == "too_large"
    error = decision.error()
    assert error.status == 429 and error.headers["x-should-retry"] == "false"
    assert "retry-after" not in error.headers


def test_do_overrides_win_from_the_most_specific():
    limiter = RateLimiter(lambda: 0.0)
    limiter.set_limits(rpm=100)
    limiter.set_limits(model="m", rpm=5)
    limiter.set_limits(model="m", api_key="sk-someone", rpm=1)
    assert limiter.limits_for("key_other", "x", rpm=9, tpm=9) == (100, 9)
    assert limiter.limits_for("key_other", "m", rpm=9, tpm=9) == (5, 9)
    assert limiter.limits_for("sk-someone", "m", rpm=9, tpm=9) == (1, 9)
    with pytest.raises(ValueError):
        limiter.set_limits(rpm=0)
    limiter.clear()
    assert limiter.limits_for("k", "m", rpm=9, tpm=9) == (9, 9)


def test_does_reset_format_like_openai():
    assert [format_reset(s) for s in (0.0004, 0.25, 59.5, 61, 3725)] == ["1ms", "250ms", "59.5s", "1m1s", "1h2m5s"]


# -- through the SDK ------------------------------------------------------------------

@pytest.fixture()
def client():
    client = connect(isolated=True, clock=Clock(start=T0, frozen=True), max_retries=0, _strict_response_validation=True)
    yield client
    client.simulator.stop()


@pytest.fixture()
def sim_sleep(monkeypatch, client):
    """Make the SDK's retry sleep move the simulator clock instead of waiting."""
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        client.simulator.clock.advance(seconds)

    monkeypatch.setattr(openai._base_client, "time", types.SimpleNamespace(sleep=sleep, time=time.time))
    return slept


def test_do_chat_answers_carry_the_ratelimit_headers(client):
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=HELLO, max_tokens=20)
    for kind in ("requests", "tokens"):
        for part in ("limit", "remaining", "reset"):
            assert f"x-ratelimit-{part}-{kind}" in raw.headers
    assert int(raw.headers["x-ratelimit-remaining-requests"]) == int(raw.headers["x-ratelimit-limit-requests"]) - 1


def test_does_the_third_request_over_2_rpm_get_a_429_with_retry_after(client):
    admin = openai.OpenAI(base_url=client.base_url, api_key=client.simulator.admin_key, max_retries=0, _strict_response_validation=True)
    admin.post("/simulator/rate_limits", body={"model": "gpt-4o-mini", "rpm": 2}, cast_to=object)
    for _ in range(2):
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=5)
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=5)
    headers = caught.value.response.headers
    assert headers["retry-after"] == "30" and headers["x-ratelimit-remaining-requests"] == "0"
    assert caught.value.code == "rate_limit_exceeded"
    # other models keep their own (catalogue) limits
    client.chat.completions.create(model="gpt-4o", messages=HELLO, max_tokens=5)
    assert len(client.simulator.ledger) == 3


def test_does_the_sdk_retry_and_succeed_once_the_clock_moves(client, sim_sleep):
    client.simulator.state.limiter.set_limits(model="gpt-4o-mini", rpm=2)
    retrying = client.with_options(max_retries=2)
    answers = [retrying.chat.completions.create(model="gpt-4o-mini", messages=HELLO, max_tokens=5)
               for _ in range(3)]
    assert all(a.choices[0].message.content for a in answers)
    assert sim_sleep == [30.0]                       # retry-after-ms honoured, no real waiting
    assert client.simulator.clock() == T0 + 30.0
    assert len(client.simulator.ledger) == 3         # the refused attempt is not billed


def test_does_the_sdk_give_up_on_a_request_too_large(client, sim_sleep):
    client.simulator.state.limiter.set_limits(model="gpt-4o-mini", tpm=100)
    with pytest.raises(openai.RateLimitError) as caught:
        client.with_options(max_retries=3).chat.completions.create(
            model="gpt-4o-mini", messages=HELLO, max_tokens=500)
    assert "Request too large" in caught.value.message
    assert sim_sleep == []


def test_are_embeddings_rate_limited_too(client):
    client.simulator.state.limiter.set_limits(model="text-embedding-3-small", rpm=1)
    client.embeddings.create(model="text-embedding-3-small", input="hola", encoding_format="float")
    with pytest.raises(openai.RateLimitError):
        client.embeddings.create(model="text-embedding-3-small", input="hola", encoding_format="float")


def test_does_the_admin_route_reject_bad_limits_and_need_the_admin_key(client):
    admin = openai.OpenAI(base_url=client.base_url, api_key=client.simulator.admin_key, max_retries=0, _strict_response_validation=True)
    with pytest.raises(openai.BadRequestError):
        admin.post("/simulator/rate_limits", body={"rpm": -3}, cast_to=object)
    with pytest.raises(openai.AuthenticationError):
        client.post("/simulator/rate_limits", body={"rpm": 3}, cast_to=object)
    listed = admin.get("/simulator/rate_limits", cast_to=object)
    assert listed["data"] == []
