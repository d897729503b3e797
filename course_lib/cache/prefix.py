"""Provider prompt caching: put the static part first, the variable part last, and measure it.

Providers cache the longest exact *prefix* of a prompt of ≥ 1024 tokens
(OpenAI: in 128-token steps, cached input billed at a discount). A prompt that
starts with the question and ends with the knowledge base never hits; the same
content in the order *instructions → knowledge → (history) → question* does.
:func:`stable_layout` builds that order and, optionally, a ``prompt_cache_key``
(OpenAI's routing hint for requests sharing a prefix); :func:`static_prefix_tokens`
tells whether the static part is long enough to be cached at all;
:func:`cached_share` and :func:`net_input_cost` read the ledger. It does not
decide *which* knowledge to include (``course_lib.context`` does).

>>> params = stable_layout(instructions="Eres el asistente.", knowledge="KB…",
...                        question="¿Envían a Canarias?", model="gpt-4o-mini")
>>> [m["role"] for m in params["messages"]], params["messages"][-1]["content"]
(['system', 'user'], '¿Envían a Canarias?')
"""

from __future__ import annotations

from decimal import Decimal

from course_lib.tokens import count_chat_tokens

MIN_PREFIX = 1024


def stable_layout(*, instructions: str, knowledge: str = "", question: str, model: str,
                  history=(), prompt_cache_key: str | None = None, **params) -> dict:
    """Chat ``create()`` arguments with the static text first and the question last."""
    system = instructions if not knowledge else f"{instructions}\n\n{knowledge}"
    messages = [{"role": "system", "content": system}, *[dict(m) for m in history],
                {"role": "user", "content": question}]
    out = {"model": model, "messages": messages, **params}
    if prompt_cache_key:
        out["prompt_cache_key"] = prompt_cache_key
    return out


def static_prefix_tokens(params: dict) -> int:
    """Tokens of everything before the last message (the part that can be a cached prefix)."""
    messages = list(params.get("messages") or [])
    return count_chat_tokens(messages[:-1], str(params.get("model"))) if len(messages) > 1 else 0


def cached_share(records) -> float:
    """Cached input tokens over input tokens of ledger ``records`` (0 when there are none).

    >>> from types import SimpleNamespace as R
    >>> cached_share([R(input_tokens=2000, cached_tokens=1536), R(input_tokens=2000, cached_tokens=0)])
    0.384
    """
    records = list(records)
    total = sum(int(r.input_tokens) for r in records)
    return sum(int(r.cached_tokens) for r in records) / total if total else 0.0


def net_input_cost(records, prices) -> Decimal:
    """What the input of ``records`` cost, cached tokens at the cached price (``PriceBook``)."""
    from course_lib.pricing import Usage

    total = Decimal(0)
    for r in records:
        total += prices.cost(r.model, Usage(int(r.input_tokens), 0, cached_tokens=int(r.cached_tokens)))
    return total
