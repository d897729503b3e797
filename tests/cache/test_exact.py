"""The exact cache on each backend: TTL on the clock, LRU bound, policy, invalidation, corruption."""

import json

import pytest

from course_lib.cache import ExactCache, StorePolicy
from course_lib.clock import Clock


def req(text="¿Envían a Canarias?", **extra):
    return {"model": "gpt-4o-mini", "temperature": 0,
            "messages": [{"role": "user", "content": text}], **extra}


def answer(text="Sí, el envío a Canarias cuesta 9,95 €.", finish="stop"):
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": finish,
                         "message": {"role": "assistant", "content": text}}]}


@pytest.fixture
def clock():
    return Clock(start=1_773_000_000.0, frozen=True)


def test_does_an_entry_expire_on_the_controllable_clock(any_backend, clock):
    cache = ExactCache(backend=any_backend, clock=clock, ttl_s=300)
    assert cache.store(req(), answer())
    clock.advance(299)
    assert cache.lookup(req()) is not None
    clock.advance(2)
    assert cache.lookup(req()) is None
    assert cache.stats.get("expired") == 1


def test_does_a_hit_not_extend_the_ttl(set_backend, clock):
    """A popular stale answer must still expire (RedisVL's sliding TTL keeps it alive)."""
    cache = ExactCache(backend=set_backend, clock=clock, ttl_s=100)
    cache.store(req(), answer())
    for _ in range(5):
        clock.advance(19)
        assert cache.lookup(req()) is not None
    clock.advance(10)
    assert cache.lookup(req()) is None


def test_does_the_size_bound_evict_the_least_recently_used(set_backend, clock):
    cache = ExactCache(backend=set_backend, clock=clock, max_entries=3)
    for q in "abc":                                   # the clock stands still: order is by use
        cache.store(req(q), answer(q))
    cache.lookup(req("a"))                            # «a» used again: «b» is now the oldest
    cache.store(req("d"), answer("d"))
    assert cache.lookup(req("b")) is None
    assert all(cache.lookup(req(q)) is not None for q in "acd")
    assert cache.stats.get("evicted") == 1


def test_does_the_memory_cache_stay_bounded_by_default(clock):
    cache = ExactCache(clock=clock, max_entries=50)
    for i in range(500):
        cache.store(req(f"pregunta {i}"), answer())
    assert len(cache.store_.backend) <= 50 + 2     # entries (+ the LRU index bookkeeping)


@pytest.mark.parametrize("bad, reason", [
    (answer(finish="length"), "cortada"), (answer(text="  "), "vacía"),
    ({"choices": []}, "vacía"), ({**answer(), "choices": answer()["choices"] * 2}, "varias"),
])
def test_are_cut_empty_or_multiple_answers_never_stored(bad, reason, clock):
    cache = ExactCache(clock=clock)
    assert StorePolicy().storable(req(), bad)[1].startswith(reason)
    assert not cache.store(req(), bad)
    assert cache.lookup(req()) is None


def test_are_sampled_answers_stored_only_on_opt_in(clock):
    cache = ExactCache(clock=clock)
    sampled = req(temperature=0.8)
    assert not cache.store(sampled, answer())
    assert cache.store(sampled, answer(), controls={"store_sampled": True})
    assert ExactCache(clock=clock, policy=StorePolicy(store_sampled=True)).store(sampled, answer())


def test_does_each_content_type_get_its_own_ttl(clock):
    cache = ExactCache(clock=clock, policy=StorePolicy(ttl_s=7 * 86400, ttl_by_type={"pedido": 600}))
    cache.store(req("estado del pedido 123"), answer(), content_type="pedido")
    cache.store(req("plazo de devolución"), answer(), content_type="politica")
    clock.advance(601)
    assert cache.lookup(req("estado del pedido 123")) is None
    assert cache.lookup(req("plazo de devolución")) is not None


def test_does_invalidation_drop_exactly_the_dependent_entries(set_backend, clock):
    cache = ExactCache(backend=set_backend, clock=clock)
    cache.store(req("canarias"), answer(), tags=["F-ENV-008", "D-ENV"])
    cache.store(req("madrid"), answer(), tags=["F-ENV-001", "D-ENV"])
    cache.store(req("devolver"), answer(), tags=["F-DEV-003"])
    assert cache.invalidate(["F-ENV-008"]) == 1
    assert cache.lookup(req("canarias")) is None
    assert cache.lookup(req("madrid")) is not None and cache.lookup(req("devolver")) is not None


def test_does_a_namespace_bump_drop_everything_in_it_only(any_backend, clock):
    cache = ExactCache(backend=any_backend, clock=clock)
    cache.store(req(), answer(), namespace="faq")
    cache.store(req(), answer(), namespace="pedidos")
    cache.bump_namespace("faq")
    assert cache.lookup(req(), namespace="faq") is None
    assert cache.lookup(req(), namespace="pedidos") is not None


def test_is_a_corrupt_entry_a_miss_that_gets_deleted(any_backend, clock):
    cache = ExactCache(backend=any_backend, clock=clock)
    cache.store(req(), answer())
    key = cache.key_for(req())
    for garbage in ["{no es json", json.dumps({"v": 1}), json.dumps([1, 2]), "\u0000"]:
        any_backend.set(key, garbage)
        assert cache.lookup(req()) is None
        assert any_backend.get(key) is None
    assert cache.stats.get("corrupt") == 4


def test_are_values_json_not_pickle(any_backend, clock):
    cache = ExactCache(backend=any_backend, clock=clock)
    cache.store(req(), answer())
    stored = any_backend.get(cache.key_for(req()))
    assert json.loads(stored)["response"]["choices"][0]["message"]["content"].startswith("Sí")


def test_does_memcached_refuse_tags_with_a_clear_message(memcached_backend, clock):
    cache = ExactCache(backend=memcached_backend, clock=clock)
    with pytest.raises(ValueError, match="etiquetas"):
        cache.invalidate(["F-ENV-008"])
