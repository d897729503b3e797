"""The response cache as the client pipeline's ``"cache"`` middleware.

``install_cache(client, exact=..., semantic=...)`` puts a :class:`CacheMiddleware`
in the outermost slot. For each chat call it:

1. takes the per-request controls out of the request (``extra_body={"cache": {...}}``:
   ``no-cache``, ``no-store``, ``ttl``, ``namespace``, ``content_type``, ``tags``,
   ``store_sampled``) so the provider never sees them;
2. looks in the exact cache, then in the semantic cache; a hit is answered
   without calling the provider — the recorder writes one ledger row with
   ``response_cache_hit=True`` and zero cost — and ``call.notes["cache"]`` says
   which cache answered, the similarity, and the tokens and dollars saved;
3. on a miss calls the provider and stores the answer (streamed ones too, at the
   end of the stream) if the store policy allows: never an error (an exception
   passes straight through), an empty answer or one cut by ``max_tokens``.

Tags for invalidation come from the controls or from ``tagger(params, response)``
(for example the knowledge-base facts present in the prompt). Embeddings calls
pass through untouched (see ``course_lib.cache.embeddings``). A failing cache
server makes this a pass-through (``course_lib.cache.faults``).
"""

from __future__ import annotations

from decimal import Decimal

from .policy import split_controls
from .replay import as_completion, as_stream, collect_stream


class CacheMiddleware:
    """Exact then semantic lookup before the provider; store after it."""

    name = "response_cache"

    def __init__(self, *, exact=None, semantic=None, tagger=None, namespace: str | None = None):
        if exact is None and semantic is None:
            raise ValueError("CacheMiddleware necesita exact=ExactCache(...) o "
                             "semantic=SemanticCache(...) (o las dos).")
        self.exact, self.semantic, self.tagger = exact, semantic, tagger
        self.namespace = namespace
        self.stats = (exact or semantic).stats

    def __call__(self, call, call_next):
        if call.endpoint != "chat.completions":
            return call_next(call)
        params, controls = split_controls(call.params)
        call.params = params
        ns = controls.get("namespace") or self.namespace
        stream = bool(params.get("stream"))
        vector = None
        if not controls.get("no-cache"):
            found, vector = self._lookup(params, ns)
            if found is not None:
                kind, entry, similarity = found
                call.notes["answered_by"] = "response_cache"
                call.notes["cache"] = {"hit": kind, "similarity": similarity,
                                       "question": entry.question, "cost_saved": entry.cost,
                                       "input_tokens_saved": entry.input_tokens,
                                       "output_tokens_saved": entry.output_tokens}
                if stream:
                    include = bool((params.get("stream_options") or {}).get("include_usage"))
                    return as_stream(entry.response, call_id=call.call_id, include_usage=include)
                return as_completion(entry.response, call_id=call.call_id)
        call.notes["cache"] = {"hit": None}
        response = call_next(call)
        if controls.get("no-store"):
            return response
        if stream:
            return collect_stream(response, lambda data: self._store(call, params, data, controls,
                                                                     ns, vector))
        self._store(call, params, response.model_dump(exclude_none=True), controls, ns, vector)
        return response

    def _lookup(self, params, ns):
        """``((kind, entry, similarity) or None, question vector or None)``."""
        if self.exact is not None:
            entry = self.exact.lookup(params, namespace=ns)
            if entry is not None:
                return ("exact", entry, 1.0), None
        vector = None
        if self.semantic is not None:
            vector = self.semantic.vector_for(params)     # one embedding, reused by the store
            hit = self.semantic.lookup(params, namespace=ns, vector=vector)
            if hit is not None:
                return ("semantic", hit.entry, hit.similarity), vector
        return None, vector

    def _store(self, call, params, data: dict, controls: dict, ns, vector=None) -> None:
        record = call.attempts[-1].record if call.attempts else None
        usage = data.get("usage") or {}
        tokens = {"input_tokens": int(usage.get("prompt_tokens") or getattr(record, "input_tokens", 0)),
                  "output_tokens": int(usage.get("completion_tokens")
                                       or getattr(record, "output_tokens", 0)),
                  "cost": getattr(record, "cost", None) or Decimal(0)}
        data = {k: v for k, v in data.items() if k != "usage"}
        tags = list(controls.get("tags") or ())
        if self.tagger is not None:
            tags += [t for t in self.tagger(params, data) if t not in tags]
        common = dict(namespace=ns, ttl_s=controls.get("ttl"), tags=tags, controls=controls,
                      content_type=controls.get("content_type"), **tokens)
        if self.exact is not None:
            self.exact.store(params, data, **common)
        if self.semantic is not None:
            self.semantic.store(params, data, vector=vector, **common)


def install_cache(client, *, exact=None, semantic=None, tagger=None, namespace: str | None = None,
                  name: str = "response_cache") -> CacheMiddleware:
    """Put a response cache in ``client``'s pipeline (slot ``"cache"``) and return it."""
    middleware = CacheMiddleware(exact=exact, semantic=semantic, tagger=tagger, namespace=namespace)
    client.pipeline.use(middleware, slot="cache", name=name)
    return middleware
