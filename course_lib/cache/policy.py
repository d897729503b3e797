"""What may be stored, and for how long.

A response is stored only when it is a complete, non-empty answer to a
request whose answer is reproducible: ``temperature=0`` (or an explicit
opt-in, ``store_sampled=True`` or the per-request ``{"store_sampled": True}``),
a single choice, and no ``finish_reason`` of ``"length"`` (cut by
``max_tokens``) or ``"content_filter"``. Errors never reach the store: the
middleware stores only what the provider returned.

TTL per content type: an order's status goes stale in minutes, a policy in
days; ``ttl_for("pedido")`` gives the type's TTL, or the default.

Per-request controls travel in ``extra_body={"cache": {...}}`` (or a ``cache=``
keyword) with LiteLLM's names: ``no-cache`` (skip the lookup), ``no-store``,
``ttl`` (seconds), ``namespace``, plus ``content_type``, ``tags`` and
``store_sampled``. The middleware removes them before the provider sees them.

>>> p = StorePolicy(ttl_s=3600, ttl_by_type={"pedido": 300})
>>> ok = {"choices": [{"message": {"content": "Sí."}, "finish_reason": "stop"}]}
>>> p.storable({"temperature": 0}, ok), p.storable({}, ok)
((True, ''), (False, 'muestreada'))
>>> p.storable({"temperature": 0}, {"choices": [{"message": {"content": "Sí"},
...                                               "finish_reason": "length"}]})
(False, 'cortada')
>>> p.ttl_for("pedido"), p.ttl_for("politica")
(300.0, 3600.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONTROL_NAMES = frozenset({"no-cache", "no-store", "ttl", "namespace", "content_type", "tags",
                           "store_sampled"})


@dataclass(frozen=True)
class StorePolicy:
    ttl_s: float | None = 86_400.0
    ttl_by_type: dict = field(default_factory=dict)
    store_sampled: bool = False

    def __post_init__(self):
        for name, value in [("ttl_s", self.ttl_s), *self.ttl_by_type.items()]:
            if value is not None and float(value) <= 0:
                raise ValueError(f"El TTL de {name!r} debe ser positivo (segundos) o None.")

    def ttl_for(self, content_type: str | None) -> float | None:
        ttl = self.ttl_by_type.get(content_type, self.ttl_s) if content_type else self.ttl_s
        return None if ttl is None else float(ttl)

    def storable(self, params: dict, response: dict, *, controls: dict | None = None
                 ) -> tuple[bool, str]:
        """``(True, "")`` or ``(False, reason)`` for a request and its response (as a dict)."""
        controls = controls or {}
        temperature = params.get("temperature", 1)
        sampled = not (isinstance(temperature, (int, float)) and float(temperature) == 0.0)
        if sampled and not (self.store_sampled or controls.get("store_sampled")):
            return False, "muestreada"
        choices = response.get("choices") if isinstance(response, dict) else None
        if not choices:
            return False, "vacía"
        if len(choices) != 1:
            return False, "varias opciones"
        choice = choices[0] or {}
        if choice.get("finish_reason") in ("length", "content_filter"):
            return False, "cortada"
        message = choice.get("message") or {}
        if not (str(message.get("content") or "").strip() or message.get("tool_calls")):
            return False, "vacía"
        return True, ""


def split_controls(params: dict) -> tuple[dict, dict]:
    """``(params without cache controls, controls)``; never mutates ``params``.

    >>> split_controls({"model": "m", "extra_body": {"cache": {"no-store": True}}})
    ({'model': 'm'}, {'no-store': True})
    """
    params = dict(params)
    controls = dict(params.pop("cache", None) or {})
    extra = params.get("extra_body")
    if isinstance(extra, dict) and "cache" in extra:
        extra = dict(extra)
        controls.update(extra.pop("cache") or {})
        if extra:
            params["extra_body"] = extra
        else:
            params.pop("extra_body")
    unknown = set(controls) - CONTROL_NAMES
    if unknown:
        raise ValueError(f"Control de caché desconocido: {', '.join(sorted(unknown))}. "
                         f"Usa {', '.join(sorted(CONTROL_NAMES))}.")
    return params, controls
