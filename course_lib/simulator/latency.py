"""The latency model: how long a simulated call would have taken.

``latency = ttft + prefill + decode``: the model's time to first token, a
prefill cost per uncached prompt token (cached tokens cost a tenth, which is
why prompt caching also cuts latency), and the generated tokens (reasoning
included) over the model's output speed, with a deterministic ±10 % jitter.
The figure is reported on every response (``x-simulated-latency-ms``) and in
the ledger; the server only sleeps it in realtime mode. Queueing under load
and network time are left out.
"""

from __future__ import annotations

from .quality import unit

PREFILL_MS_PER_TOKEN = 0.12
CACHED_PREFILL_MS_PER_TOKEN = 0.012


def simulated_latency_ms(profile, *, prompt_tokens: int, cached_tokens: int,
                         generated_tokens: int, key: tuple = ()) -> float:
    """Milliseconds a call would take on ``profile``'s model.

    >>> from course_lib.simulator.catalog import ModelProfile
    >>> p = ModelProfile("m", 0.8, 1.0, speed=100, ttft_ms=300, context_window=8192)
    >>> fast = simulated_latency_ms(p, prompt_tokens=2000, cached_tokens=1920, generated_tokens=100)
    >>> slow = simulated_latency_ms(p, prompt_tokens=2000, cached_tokens=0, generated_tokens=100)
    >>> fast < slow
    True
    """
    uncached = max(0, prompt_tokens - cached_tokens)
    ttft = (profile.ttft_ms + uncached * PREFILL_MS_PER_TOKEN
            + cached_tokens * CACHED_PREFILL_MS_PER_TOKEN)
    decode = 1000.0 * generated_tokens / max(profile.speed, 1e-6)
    jitter = 0.9 + 0.2 * unit("latency", profile.model, *key)
    return round((ttft + decode) * jitter, 1)


def time_to_first_token_ms(profile, *, prompt_tokens: int, cached_tokens: int) -> float:
    """The part of the latency before the first streamed token."""
    uncached = max(0, prompt_tokens - cached_tokens)
    return (profile.ttft_ms + uncached * PREFILL_MS_PER_TOKEN
            + cached_tokens * CACHED_PREFILL_MS_PER_TOKEN)
