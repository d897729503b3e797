"""Provider prompt caching: 1,024-token minimum, 128-token steps, per model, expiry by the clock."""

from decimal import Decimal

from course_lib.pricing import PriceBook, Usage
from course_lib.tokens import count_chat_tokens, count_tokens


def _prefix(tokens: int) -> str:
    words, text = [], ""
    i = 0
    while count_tokens(text, "gpt-4o") < tokens:
        words.append(f"Cláusula {i}: el cliente puede consultar su pedido en el área personal.")
        text = " ".join(words)
        i += 1
    return text


PREFIX = _prefix(1500)


def _ask(client, question, model="gpt-4o-mini", prefix=PREFIX):
    messages = [{"role": "system", "content": prefix}, {"role": "user", "content": question}]
    return client.chat.completions.create(model=model, messages=messages)


def test_does_a_shared_1500_token_prefix_hit_the_cache_in_128_token_steps(fresh):
    first = _ask(fresh, "¿Dónde veo mi pedido?")
    assert first.usage.prompt_tokens >= 1500
    assert first.usage.prompt_tokens == count_chat_tokens(
        [{"role": "system", "content": PREFIX}, {"role": "user", "content": "¿Dónde veo mi pedido?"}],
        "gpt-4o-mini")
    assert first.usage.prompt_tokens_details.cached_tokens == 0
    second = _ask(fresh, "¿Y puedo cambiar la dirección?")
    cached = second.usage.prompt_tokens_details.cached_tokens
    assert cached >= 1024 and cached % 128 == 0
    assert cached <= second.usage.prompt_tokens
    assert second.usage.prompt_tokens - cached < 128 + 40   # only the differing tail is missed


def test_is_a_prompt_under_1024_tokens_never_cached(fresh):
    short = _prefix(900)
    for _ in range(3):
        r = _ask(fresh, "¿Dónde veo mi pedido?", prefix=short)
        assert r.usage.prompt_tokens < 1024
        assert r.usage.prompt_tokens_details.cached_tokens == 0


def test_is_the_cache_kept_per_model(fresh):
    _ask(fresh, "Primera pregunta", model="gpt-4o-mini")
    assert _ask(fresh, "Otra", model="gpt-4.1-mini").usage.prompt_tokens_details.cached_tokens == 0
    assert _ask(fresh, "Otra", model="gpt-4o-mini").usage.prompt_tokens_details.cached_tokens >= 1024


def test_does_a_different_start_miss_the_cache(fresh):
    _ask(fresh, "Primera pregunta")
    r = _ask(fresh, "Primera pregunta", prefix="Aviso nuevo. " + PREFIX)
    assert r.usage.prompt_tokens_details.cached_tokens == 0


def test_does_the_cache_expire_after_inactivity_on_the_simulator_clock(fresh):
    _ask(fresh, "Primera pregunta")
    fresh.simulator.clock.advance(fresh.simulator.state.cache_ttl - 60)
    assert _ask(fresh, "Segunda").usage.prompt_tokens_details.cached_tokens >= 1024  # refreshed
    fresh.simulator.clock.advance(fresh.simulator.state.cache_ttl + 1)
    assert _ask(fresh, "Tercera").usage.prompt_tokens_details.cached_tokens == 0


def test_are_cached_tokens_billed_at_the_cached_rate_and_faster(fresh):
    _ask(fresh, "Primera pregunta", model="gpt-4.1")
    raw = fresh.chat.completions.with_raw_response.create(
        model="gpt-4.1", messages=[{"role": "system", "content": PREFIX},
                                   {"role": "user", "content": "Segunda pregunta"}])
    r = raw.parse()
    u = r.usage
    rec = [x for x in fresh.simulator.ledger.records() if x.request_id == r.id][0]
    assert rec.cached_tokens > 0 and rec.cached_tokens == u.prompt_tokens_details.cached_tokens
    price = PriceBook.default().get("gpt-4.1")
    by_hand = ((u.prompt_tokens - rec.cached_tokens) * price.input + rec.cached_tokens * price.cached_input
               + u.completion_tokens * price.output) / Decimal(1_000_000)
    assert rec.cost == by_hand
    assert rec.cost < PriceBook.default().cost("gpt-4.1", Usage(u.prompt_tokens, u.completion_tokens))
    cold = _ask(fresh, "Segunda pregunta", model="gpt-4.1", prefix="Otro texto. " + PREFIX)
    cold_rec = [x for x in fresh.simulator.ledger.records() if x.request_id == cold.id][0]
    assert rec.latency_ms < cold_rec.latency_ms
