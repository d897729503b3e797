"""Cache keys: one canonical fingerprint of everything that changes the answer.

Two chat requests share a key exactly when a provider would give them the
same answer distribution: the model, the whole conversation (roles, contents,
``name``, tool calls and their ids), the sampling and length parameters,
``seed``, ``stop``, ``n``, ``reasoning_effort``, ``response_format``, tools,
``logprobs``… Everything that does not change the answer is left out:
``user``, ``metadata`` (attribution), ``stream`` and ``stream_options``,
transport options (``extra_headers``, ``timeout``) and the order of dict keys.
Parameters equal to the API's default (``temperature=1``, ``top_p=1``,
``n=1``) count as absent, and ``max_completion_tokens`` is ``max_tokens``.
An unknown parameter is *kept*: changing the key is safe, sharing it is not.

A version prefix (prompt or policy version) turns every key over when the
application's prompt changes. Left out: semantic similarity (see
``course_lib.cache.semantic``) and whitespace or case folding of the text —
"Hola" and "hola" are different requests here.

>>> a = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hola"}],
...      "temperature": 0, "user": "cli-1", "metadata": {"team": "ecommerce"}}
>>> b = {"metadata": {"team": "marketing"}, "temperature": 0.0, "stream": True,
...      "messages": [{"content": "Hola", "role": "user"}], "model": "gpt-4o-mini"}
>>> cache_key(a) == cache_key(b)
True
>>> cache_key(a) == cache_key({**a, "model": "gpt-4o"})
False
>>> cache_key(a).startswith("v1:")
True
"""

from __future__ import annotations

import hashlib
import json

IGNORED = frozenset({
    "user", "metadata", "stream", "stream_options", "extra_headers", "extra_query", "timeout",
    "cache", "store", "service_tier", "prompt_cache_key", "safety_identifier",
})
DEFAULTS = {"temperature": 1, "top_p": 1, "n": 1, "presence_penalty": 0, "frequency_penalty": 0,
            "logprobs": False, "parallel_tool_calls": True}
ALIASES = {"max_completion_tokens": "max_tokens"}
EXTRA_BODY_IGNORED = frozenset({"metadata", "cache"})


def _canonical_content(content):
    """A list with one text part reads like the plain string it holds."""
    if isinstance(content, list) and len(content) == 1 and isinstance(content[0], dict) \
            and content[0].get("type") == "text" and set(content[0]) <= {"type", "text"}:
        return content[0].get("text")
    return content


def _canonical_message(message) -> dict:
    if not isinstance(message, dict):        # an SDK object (a reply fed back)
        dump = getattr(message, "model_dump", None)
        message = dump(exclude_none=True) if dump else dict(message)
    message = {k: v for k, v in message.items() if v is not None}
    if "content" in message:
        message["content"] = _canonical_content(message["content"])
    return message


def canonical_request(params: dict) -> dict:
    """The part of chat ``create()`` keyword arguments that changes the answer.

    >>> canonical_request({"model": "m", "messages": [], "max_completion_tokens": 50,
    ...                    "top_p": 1, "user": "u"})
    {'max_tokens': 50, 'messages': [], 'model': 'm'}
    """
    out = {}
    for name, value in params.items():
        if name in IGNORED or value is None:
            continue
        name = ALIASES.get(name, name)
        if name in DEFAULTS and value == DEFAULTS[name] and type(value) is not str:
            continue
        if name == "messages":
            value = [_canonical_message(m) for m in value]
        elif name == "extra_body" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in EXTRA_BODY_IGNORED}
            if not value:
                continue
        out[name] = value
    if "temperature" in out and isinstance(out["temperature"], (int, float)):
        out["temperature"] = float(out["temperature"])
    return dict(sorted(out.items()))


def fingerprint(obj) -> str:
    """A sha256 of the canonical JSON of ``obj`` (sorted keys, no spaces, UTF-8).

    >>> fingerprint({"b": 1, "a": [1, 2]}) == fingerprint({"a": [1, 2], "b": 1})
    True
    """
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(params: dict, *, version: str = "v1") -> str:
    """``"<version>:<sha256>"`` of the answer-changing part of a chat request."""
    if not version or ":" in version:
        raise ValueError("La versión de la clave es un texto corto sin «:» (por ejemplo 'v1' o "
                         "'prompt-2026-03').")
    return f"{version}:{fingerprint(canonical_request(params))}"
