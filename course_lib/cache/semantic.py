"""The semantic cache: a question close enough in meaning to one answered before gets that answer.

The question (the last user message) is embedded by ``embed(texts) -> array``
— the pipeline's ``embeddings.create`` (so the embedding cost is recorded, see
``course_lib.cache.embeddings.pipeline_embedder``) or any local encoder — and
compared by cosine similarity with the stored questions **of its partition
only**: same model, same system prompt and policy version, same preceding
conversation, same parameters. So a follow-up («¿y a Canarias?») is never
answered with another conversation's reply. A hit needs similarity ≥
``threshold`` and no objection from the ``guards`` (``course_lib.cache.guards``);
the hit carries its similarity. Entries share the exact cache's storage rules
(TTL on the clock, tags, LRU, namespace versions, corrupt = miss).

Vectors are stored with the entries on the backend (JSON) and ranked here
with numpy; each process keeps a matrix per partition and re-reads only the
entries added since (a per-partition generation counter), so several kernels
on one Redis share the cache. Left out: approximate nearest-neighbour indexes.

>>> import numpy as np
>>> vocab = ["envio", "canarias", "madrid", "devolver"]
>>> def embed(texts):
...     return np.array([[t.lower().count(w) + 0.01 for w in vocab] for t in texts], float)
>>> cache = SemanticCache(embed=embed, threshold=0.9)
>>> req = {"model": "m", "temperature": 0,
...        "messages": [{"role": "user", "content": "envio a canarias"}]}
>>> answer = {"choices": [{"message": {"content": "Sí, 9,95 €."}, "finish_reason": "stop"}]}
>>> cache.store(req, answer)
True
>>> hit = cache.lookup({**req, "messages": [{"role": "user", "content": "¿envio a canarias?"}]})
>>> round(hit.similarity, 3), hit.entry.response == answer
(1.0, True)
>>> cache.lookup({**req, "messages": [{"role": "user", "content": "envio a madrid"}]}) is None
True
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .backends.base import Backend
from .backends.memory import MemoryBackend
from .entry import Entry, decode
from .entry import CorruptEntry
from .exact import _last_user_text
from .keys import canonical_request, fingerprint
from .policy import StorePolicy
from .stats import CacheStats
from .store import EntryStore


@dataclass(frozen=True)
class SemanticHit:
    entry: Entry
    similarity: float
    key: str


def partition_of(params: dict, *, version: str = "v1") -> str:
    """Everything but the last user message: model, system prompt, history, parameters.

    >>> a = {"model": "m", "messages": [{"role": "user", "content": "hola"}]}
    >>> partition_of(a) == partition_of({**a, "messages": [{"role": "user", "content": "adiós"}]})
    True
    >>> partition_of(a) == partition_of({**a, "model": "otro"})
    False
    """
    canon = canonical_request(params)
    messages = list(canon.get("messages") or [])
    if messages and messages[-1].get("role") == "user":
        messages = messages[:-1]
    return fingerprint({**canon, "messages": messages, "_version": version})[:32]


class _Index:
    """One partition's vectors in this process (a growing matrix, rows appended in place)."""

    def __init__(self):
        self.generation = -1
        self.keys: list[str] = []
        self.questions: list[str] = []
        self.keyset: set[str] = set()
        self._rows = np.zeros((0, 0), dtype=np.float32)

    @property
    def matrix(self) -> np.ndarray:
        return self._rows[:len(self.keys)]

    def add(self, key: str, question: str, vector: np.ndarray) -> None:
        n = len(self.keys)
        if self._rows.shape[1] != vector.shape[0] and n == 0:
            self._rows = np.zeros((16, vector.shape[0]), dtype=np.float32)
        if n == self._rows.shape[0]:
            grown = np.zeros((2 * n, self._rows.shape[1]), dtype=np.float32)
            grown[:n] = self._rows
            self._rows = grown
        self._rows[n] = vector
        self.keys.append(key), self.questions.append(question), self.keyset.add(key)

    def keep(self, members: set) -> None:
        """Drop the rows whose keys are no longer in ``members``."""
        if self.keyset <= members:
            return
        alive = [i for i, k in enumerate(self.keys) if k in members]
        rows = self._rows[alive].copy() if alive else np.zeros((0, 0), np.float32)
        self.keys = [self.keys[i] for i in alive]
        self.questions = [self.questions[i] for i in alive]
        self.keyset = set(self.keys)
        self._rows = rows


class SemanticCache:
    """Similar question in the same partition → the stored answer (with its similarity)."""

    def __init__(self, *, embed, threshold: float = 0.9, guards=(), backend: Backend | None = None,
                 clock=time.time, ttl_s: float | None = 86_400.0, max_entries: int | None = 10_000,
                 namespace: str = "default", version: str = "v1", policy: StorePolicy | None = None,
                 stats: CacheStats | None = None, store: EntryStore | None = None):
        if not 0.0 < float(threshold) <= 1.0:
            raise ValueError(f"El umbral de similitud va de 0 (excluido) a 1; recibí {threshold}. "
                             "Un umbral de 0 sirve cualquier respuesta a cualquier pregunta.")
        backend = backend if backend is not None else MemoryBackend()
        if not backend.supports_sets:
            raise ValueError(f"La caché semántica necesita conjuntos; el backend {backend.name} no "
                             "los tiene. Usa MemoryBackend o Redis.")
        self.embed, self.threshold = embed, float(threshold)
        self.guards = tuple(guards) if not callable(guards) else (guards,)
        self.store_ = store or EntryStore(backend=backend, clock=clock, stats=stats,
                                          max_entries=max_entries)
        self.backend, self.stats, self.clock = self.store_.backend, self.store_.stats, self.store_.clock
        self.namespace, self.version = namespace, version
        self.policy = policy or StorePolicy(ttl_s=ttl_s)
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.Lock()

    # -- vectors ----------------------------------------------------------------------------

    def _vector(self, question: str) -> np.ndarray:
        vec = np.asarray(self.embed([question]), dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def vector_for(self, params: dict) -> np.ndarray | None:
        """The unit vector of the request's question (one embedding call), or None without one."""
        question = _last_user_text(params)
        return self._vector(question) if question else None

    def _names(self, ns: str, params: dict) -> tuple[str, str]:
        part = f"{self.store_.version(ns)}:{partition_of(params, version=self.version)}"
        return f"sp:{ns}:{part}", f"sg:{ns}:{part}"

    def _sync(self, ns: str, members_key: str, gen_key: str) -> _Index:
        run = self.store_.shield.run
        index = self._indexes.setdefault(members_key, _Index())
        generation = int(run(self.backend.get, gen_key, fallback=None, namespace=ns) or 0)
        if generation == index.generation:
            return index
        members = run(self.backend.smembers, members_key, fallback=None, namespace=ns)
        if members is None:
            return index
        index.keep(members)
        new = sorted(members - index.keyset)
        raws = run(self.backend.get_many, new, fallback=[None] * len(new), namespace=ns) if new else []
        for key, raw in zip(new, raws):
            try:
                entry = decode(raw) if raw is not None else None
                vector = np.asarray(entry.extra["vector"], dtype=np.float32) if entry else None
            except (CorruptEntry, KeyError, TypeError, ValueError):
                entry = vector = None
            if vector is not None:
                index.add(key, entry.question, vector)
        index.generation = generation
        return index

    # -- lookup and store -------------------------------------------------------------------

    def lookup(self, params: dict, *, namespace: str | None = None, vector=None) -> SemanticHit | None:
        """The best fresh entry at similarity ≥ threshold that no guard refuses, or None."""
        ns = namespace or self.namespace
        question = _last_user_text(params)
        self.stats.count(ns, "lookups")
        hit = self._find(ns, params, question, vector) if question else None
        self.stats.count(ns, "hits" if hit else "misses")
        if hit:
            self.stats.count(ns, "semantic_hits")
            self.stats.saved(ns, input_tokens=hit.entry.input_tokens,
                             output_tokens=hit.entry.output_tokens, cost=hit.entry.cost)
        return hit

    def _find(self, ns, params, question, vector) -> SemanticHit | None:
        members_key, gen_key = self._names(ns, params)
        with self._lock:
            index = self._sync(ns, members_key, gen_key)
            if not index.keys:
                return None
            vec = self._vector(question) if vector is None else np.asarray(vector, np.float32)
            sims = index.matrix @ vec
            top = np.flatnonzero(sims >= self.threshold)          # usually a handful, often none
            top = top[np.argsort(-sims[top])][:8]
            candidates = [(index.keys[i], index.questions[i], float(sims[i])) for i in top]
        for key, cached_question, similarity in candidates:
            if any(guard(question, cached_question) for guard in self.guards):
                self.stats.count(ns, "guard_refusals")
                continue
            entry = self.store_.read(ns, key)
            if entry is None:          # expired, evicted, invalidated or corrupt
                self.store_.shield.run(self.backend.srem, members_key, key, namespace=ns)
                continue
            return SemanticHit(entry, min(1.0, similarity), key)
        return None

    def store(self, params: dict, response: dict, *, namespace: str | None = None,
              ttl_s: float | None = None, content_type: str | None = None, tags=(),
              input_tokens: int = 0, output_tokens: int = 0, cost: Decimal = Decimal(0),
              controls: dict | None = None, vector=None) -> bool:
        """Keep ``response`` under the question's vector in its partition; True if stored."""
        ns = namespace or self.namespace
        question = _last_user_text(params)
        ok, _ = self.policy.storable(params, response, controls=controls)
        if not ok or not question:
            self.stats.count(ns, "not_stored")
            return False
        vec = self._vector(question) if vector is None else np.asarray(vector, np.float32)
        now = self.clock()
        ttl = ttl_s if ttl_s is not None else self.policy.ttl_for(content_type)
        entry = Entry(response=response, created=now, expires_at=None if ttl is None else now + ttl,
                      tags=tuple(tags), input_tokens=input_tokens, output_tokens=output_tokens,
                      cost=Decimal(cost), question=question,
                      extra={"vector": np.round(vec.astype(np.float64), 6).tolist()})  # JSON, 6 decimals
        members_key, gen_key = self._names(ns, params)
        key = self.store_.full_key(ns, "s:" + fingerprint([members_key, question])[:40])
        if not self.store_.write(ns, key, entry):
            return False
        run = self.store_.shield.run
        run(self.backend.sadd, members_key, key, namespace=ns)
        generation = int(run(self.backend.incr, gen_key, fallback=0, namespace=ns) or 0)
        with self._lock:
            index = self._indexes.get(members_key)
            if index is not None and generation == index.generation + 1 and key not in index.keyset:
                index.add(key, question, vec.astype(np.float32))      # nobody else wrote meanwhile
                index.generation = generation
        return True

    def invalidate(self, tags, *, namespace: str | None = None) -> int:
        return self.store_.invalidate(tags, namespace=namespace or self.namespace)

    def bump_namespace(self, namespace: str | None = None) -> int:
        return self.store_.bump_namespace(namespace or self.namespace)
