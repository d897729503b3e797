"""The prompt cache against a brute-force oracle: longest common prefix, 128-token steps, expiry."""

from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.simulator.prompt_cache import BLOCK, MIN_CACHED, PromptCache


def lcp(a, b) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def oracle(seen, prompt) -> int:
    if len(prompt) < MIN_CACHED:
        return 0
    best = max((lcp(p, prompt) for p in seen if len(p) >= MIN_CACHED), default=0)
    steps = best // BLOCK * BLOCK
    return steps if steps >= MIN_CACHED else 0


# prompts built from a few shared stems so that long common prefixes actually happen
STEMS = [list(range(s * 10_000, s * 10_000 + 1800)) for s in range(3)]
prompt = st.builds(lambda stem, cut, tail: STEMS[stem][:cut] + tail,
                   st.integers(0, 2), st.integers(0, 1800), st.lists(st.integers(0, 50), max_size=300))


@settings(max_examples=60, deadline=None)
@given(st.lists(prompt, min_size=1, max_size=8))
def test_does_the_cache_return_the_longest_seen_prefix_in_128_token_steps(prompts):
    cache, seen = PromptCache(ttl=600, clock=lambda: 0.0), []
    for p in prompts:
        assert cache.lookup_and_store("m", p) == oracle(seen, p)
        seen.append(p)


@settings(max_examples=30, deadline=None)
@given(prompt, st.floats(0, 1200))
def test_is_a_prefix_forgotten_exactly_after_the_ttl(p, idle):
    now = [0.0]
    cache = PromptCache(ttl=600, clock=lambda: now[0])
    cache.lookup_and_store("m", p)
    now[0] = idle
    expected = oracle([p], p) if idle <= 600 else 0
    assert cache.lookup_and_store("m", p) == expected
