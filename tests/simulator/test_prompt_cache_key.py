"""Does `prompt_cache_key` route requests the way OpenAI documents it (sticky, so more hits)?"""

from course_lib import connect
from course_lib.clock import Clock
from course_lib.simulator.prompt_cache import OVERFLOW_RPM, PromptCache

from .test_prompt_cache import PREFIX

PROMPT = list(range(1600))


def _burst(cache, n, *, key=None, step_s=0.0, now=None):
    now = now if now is not None else [0.0]
    cached = []
    for i in range(n):
        cached.append(cache.lookup_and_store("m", PROMPT + [i, i + 1], routing_key=key))
        now[0] += step_s
    return cached


def test_does_an_unkeyed_burst_overflow_to_other_machines_and_miss():
    cache = PromptCache(ttl=600, clock=lambda: 0.0)
    cached = _burst(cache, 60)
    assert cached[0] == 0 and all(c > 0 for c in cached[1:OVERFLOW_RPM])
    assert 0 < sum(c == 0 for c in cached[OVERFLOW_RPM:]) < 60 - OVERFLOW_RPM


def test_does_a_keyed_burst_stay_on_one_machine():
    cache = PromptCache(ttl=600, clock=lambda: 0.0)
    cached = _burst(cache, 60, key="faq-v1")
    assert cached[0] == 0 and all(c > 0 for c in cached[1:])


def test_do_unkeyed_requests_under_the_rate_behave_as_one_machine():
    now = [0.0]
    cache = PromptCache(ttl=600, clock=lambda: now[0])
    cached = _burst(cache, 60, step_s=60 / OVERFLOW_RPM + 0.1, now=now)
    assert cached[0] == 0 and all(c > 0 for c in cached[1:])


def test_do_different_keys_not_share_a_machine():
    cache = PromptCache(ttl=600, clock=lambda: 0.0)
    assert _burst(cache, 2, key="a")[1] > 0
    assert _burst(cache, 1, key="b") == [0]


def _share(client, n, **extra):
    cached = total = 0
    for i in range(n):
        r = client.chat.completions.create(
            model="gpt-4o-mini", max_tokens=20, **extra,
            messages=[{"role": "system", "content": PREFIX}, {"role": "user", "content": f"Pregunta {i}"}])
        cached += r.usage.prompt_tokens_details.cached_tokens
        total += r.usage.prompt_tokens
    return cached / total


def test_does_the_key_raise_the_cached_share_of_a_burst_through_the_simulator():
    shares = {}
    for name, extra in [("sin", {}), ("con", {"prompt_cache_key": "mercadela-faq"})]:
        client = connect(isolated=True, clock=Clock(start=1_773_100_000.0, frozen=True), max_retries=0)
        try:
            shares[name] = _share(client, 40, **extra)
        finally:
            client.simulator.stop()
    assert shares["con"] > shares["sin"] + 0.05, shares
