"""The embeddings cache: a text is embedded once per model and size.

Vectors are keyed by model, ``dimensions`` and the exact text (a sha256), and
stored as JSON on any backend, without expiry (a model's vector for a text does
not change). As the pipeline's ``"cache"`` middleware
(``install_embeddings_cache``), a batch call embeds **only the misses, in one
request**, and returns every vector in the caller's order; a call whose inputs
are all cached does not reach the provider (one ledger row, a cache hit).
``pipeline_embedder(client)`` (or ``local_embedder()``, on the local encoder) gives the ``embed(texts)``
function the semantic cache wants, so its embedding costs are recorded.
Left out: token-array inputs and ``encoding_format="base64"`` (passed through).

>>> cache = EmbeddingsCache()
>>> cache.put("text-embedding-3-small", None, "hola", [0.6, 0.8])
>>> cache.get_many("text-embedding-3-small", None, ["hola", "adiós"])
[[0.6, 0.8], None]
"""

from __future__ import annotations

import json

import numpy as np

from .backends.base import Backend
from .backends.memory import MemoryBackend
from .faults import Shield
from .keys import fingerprint
from .stats import CacheStats


class EmbeddingsCache:
    """Text → vector, per model and dimensions."""

    def __init__(self, *, backend: Backend | None = None, stats: CacheStats | None = None,
                 namespace: str = "embeddings"):
        self.backend = backend if backend is not None else MemoryBackend()
        self.stats = stats if stats is not None else CacheStats()
        self.shield = Shield(stats=self.stats)
        self.namespace = namespace

    def _key(self, model: str, dimensions, text: str) -> str:
        return f"emb:{model}:{dimensions or 'nativa'}:{fingerprint(text)[:40]}"

    def get_many(self, model: str, dimensions, texts) -> list[list[float] | None]:
        keys = [self._key(model, dimensions, t) for t in texts]
        raws = self.shield.run(self.backend.get_many, keys, fallback=[None] * len(keys),
                               namespace=self.namespace)
        out = []
        for key, raw in zip(keys, raws):
            try:
                vector = json.loads(raw) if raw is not None else None
                if vector is not None and not (isinstance(vector, list) and vector
                                               and all(isinstance(x, (int, float)) for x in vector)):
                    raise ValueError
            except ValueError:
                self.stats.count(self.namespace, "corrupt")
                self.shield.run(self.backend.delete, key, fallback=0, namespace=self.namespace)
                vector = None
            out.append(vector)
        hits = sum(v is not None for v in out)
        self.stats.count(self.namespace, "lookups", len(out))
        self.stats.count(self.namespace, "hits", hits)
        self.stats.count(self.namespace, "misses", len(out) - hits)
        return out

    def put(self, model: str, dimensions, text: str, vector) -> None:
        self.shield.run(self.backend.set, self._key(model, dimensions, text),
                        json.dumps([float(x) for x in vector]), namespace=self.namespace)
        self.stats.count(self.namespace, "stores")

    def __call__(self, call, call_next):
        """The pipeline middleware: only the misses reach the provider, in one request."""
        params = call.params
        inputs = params.get("input")
        if call.endpoint != "embeddings" or params.get("encoding_format") == "base64":
            return call_next(call)
        single = isinstance(inputs, str)
        texts = [inputs] if single else list(inputs or [])
        if not texts or not all(isinstance(t, str) for t in texts):
            return call_next(call)
        model, dims = str(params.get("model", "")), params.get("dimensions")
        vectors = self.get_many(model, dims, texts)
        missing = sorted({t for t, v in zip(texts, vectors) if v is None}, key=texts.index)
        usage = {"prompt_tokens": 0, "total_tokens": 0}
        if missing:
            call.params = {**params, "input": missing}
            response = call_next(call)
            fresh = {t: list(d.embedding) for t, d in zip(missing, response.data)}
            for text, vector in fresh.items():
                self.put(model, dims, text, vector)
            vectors = [v if v is not None else fresh[t] for t, v in zip(texts, vectors)]
            usage = response.usage.model_dump()
            model = response.model
        else:
            call.notes["answered_by"] = "embeddings_cache"
        call.notes["embeddings_cache"] = {"inputs": len(texts), "sent": len(missing)}
        from openai.types import CreateEmbeddingResponse

        return CreateEmbeddingResponse.model_validate({
            "object": "list", "model": model, "usage": usage,
            "data": [{"object": "embedding", "index": i, "embedding": v}
                     for i, v in enumerate(vectors)]})


def install_embeddings_cache(client, *, cache: EmbeddingsCache | None = None,
                             name: str = "embeddings_cache") -> EmbeddingsCache:
    """Put an embeddings cache in ``client``'s pipeline (slot ``"cache"``) and return it."""
    cache = cache or EmbeddingsCache()
    client.pipeline.use(cache, slot="cache", name=name)
    return cache


def pipeline_embedder(client, *, model: str = "text-embedding-3-small", dimensions: int | None = 512,
                      metadata: dict | None = None):
    """``embed(texts) -> np.ndarray`` through ``client.embeddings.create`` (recorded in the ledger)."""

    def embed(texts):
        kwargs = {"model": model, "input": list(texts)}
        if dimensions:
            kwargs["dimensions"] = dimensions
        if metadata:
            kwargs["extra_body"] = {"metadata": dict(metadata)}
        response = client.embeddings.create(**kwargs)
        return np.asarray([d.embedding for d in response.data], dtype=np.float32)

    return embed


def local_embedder(encoder=None):
    """``embed(texts) -> np.ndarray`` on the local sentence encoder (no provider, no ledger rows).

    ``encoder`` defaults to ``course_lib.encoder.default_encoder()`` (loaded on first use).
    """

    def embed(texts):
        from course_lib.encoder import default_encoder

        return np.asarray((encoder or default_encoder()).encode(list(texts)), dtype=np.float32)

    return embed
