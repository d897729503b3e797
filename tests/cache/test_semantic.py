"""The semantic cache: partitions, threshold, guards, invalidation, sharing one Redis."""

import numpy as np
import pytest

from course_lib.cache import DetailGuard, SemanticCache, pr_curve, threshold_for_precision
from course_lib.clock import Clock

VOCAB = ["envio", "canarias", "madrid", "devolver", "plazo", "cuesta", "dias"]


def toy_embed(texts):
    """Bag of words over a tiny vocabulary: enough geometry for the rules, no model needed."""
    from course_lib.text import normalize

    return np.array([[normalize(t).split().count(w) + 0.01 for w in VOCAB] for t in texts], float)


def req(text, *, system="Eres el asistente de Mercadela.", history=(), model="gpt-4o-mini"):
    return {"model": model, "temperature": 0,
            "messages": [{"role": "system", "content": system}, *history,
                         {"role": "user", "content": text}]}


ANSWER = {"choices": [{"index": 0, "finish_reason": "stop",
                       "message": {"role": "assistant", "content": "Sí: 9,95 €."}}]}


@pytest.fixture
def clock():
    return Clock(start=1_773_000_000.0, frozen=True)


def test_does_a_paraphrase_hit_the_cache_with_its_similarity(set_backend, clock):
    cache = SemanticCache(embed=toy_embed, threshold=0.9, backend=set_backend, clock=clock)
    cache.store(req("¿Cuánto cuesta el envío a Canarias?"), ANSWER)
    hit = cache.lookup(req("envío a Canarias, ¿cuánto cuesta?"))
    assert hit is not None and hit.similarity == pytest.approx(1.0)
    assert hit.entry.question == "¿Cuánto cuesta el envío a Canarias?"


def test_is_a_follow_up_never_answered_from_another_conversation(clock):
    cache = SemanticCache(embed=toy_embed, threshold=0.9, clock=clock)
    one = [{"role": "user", "content": "plazo para devolver"}, {"role": "assistant", "content": "30 días"}]
    two = [{"role": "user", "content": "envío a Madrid"}, {"role": "assistant", "content": "Gratis"}]
    cache.store(req("¿y a Canarias?", history=one), ANSWER)
    assert cache.lookup(req("¿y a Canarias?", history=two)) is None
    assert cache.lookup(req("¿y a Canarias?", history=one)) is not None


@pytest.mark.parametrize("change", [{"system": "Responde en inglés."}, {"model": "gpt-4o"}])
def test_does_the_partition_hold_model_and_system_prompt(change, clock):
    cache = SemanticCache(embed=toy_embed, threshold=0.9, clock=clock)
    cache.store(req("envío a Canarias"), ANSWER)
    assert cache.lookup(req("envío a Canarias", **change)) is None


def test_does_the_guard_refuse_canarias_for_madrid_even_above_the_threshold(clock):
    def same_vector(texts):                       # the worst encoder: everything looks alike
        return np.ones((len(texts), 4))

    cache = SemanticCache(embed=same_vector, threshold=0.5, guards=[DetailGuard()], clock=clock)
    cache.store(req("¿Envían a Canarias?"), ANSWER)
    assert cache.lookup(req("¿Envían a Madrid?")) is None
    assert cache.stats.get("guard_refusals") == 1
    assert cache.lookup(req("¿Hacen envíos a Canarias?")) is not None


@pytest.mark.parametrize("threshold", [0, 0.0, -0.1, 1.5])
def test_is_a_meaningless_threshold_refused(threshold):
    with pytest.raises(ValueError, match="umbral"):
        SemanticCache(embed=toy_embed, threshold=threshold)


def test_does_invalidation_reach_semantic_entries(set_backend, clock):
    cache = SemanticCache(embed=toy_embed, threshold=0.9, backend=set_backend, clock=clock)
    cache.store(req("envío a Canarias"), ANSWER, tags=["F-ENV-008"])
    cache.store(req("plazo para devolver"), ANSWER, tags=["F-DEV-003"])
    cache.invalidate(["F-ENV-008"])
    assert cache.lookup(req("envío a Canarias")) is None
    assert cache.lookup(req("plazo para devolver")) is not None


def test_do_two_kernels_on_one_redis_share_entries(redis_backend, clock):
    from course_lib.cache import RedisBackend

    other = RedisBackend(url=f"redis://127.0.0.1:{redis_backend.client.connection_pool.connection_kwargs['port']}/0",
                         prefix=redis_backend.prefix)
    first = SemanticCache(embed=toy_embed, threshold=0.9, backend=redis_backend, clock=clock)
    second = SemanticCache(embed=toy_embed, threshold=0.9, backend=other, clock=clock)
    assert second.lookup(req("envío a Canarias")) is None
    first.store(req("envío a Canarias"), ANSWER)
    assert second.lookup(req("¿envío a Canarias?")) is not None
    first.store(req("plazo para devolver"), ANSWER)
    assert second.lookup(req("plazo devolver")) is not None


def test_does_the_tuned_threshold_reach_the_target_precision_on_its_pairs():
    rng = np.random.default_rng(0)
    right = rng.random(400) < 0.6
    sims = np.where(right, rng.normal(0.85, 0.06, 400), rng.normal(0.65, 0.12, 400))
    t = threshold_for_precision(sims, right, target=0.98)
    served = sims >= t
    assert right[served].mean() >= 0.98
    assert 0.5 < t < 1.0
    curve = pr_curve(sims, right)
    assert curve[0].precision >= curve[-1].precision and curve[-1].recall == 1.0
