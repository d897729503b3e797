"""course_lib.cache: response caches (exact and semantic), embeddings cache, prompt-prefix layout.

Exact and semantic caches on memory, Redis or Memcached backends, with keys
over everything that changes the answer, TTL on the controllable clock, an LRU
bound, tag and namespace invalidation, guards against near-miss false hits,
threshold tuning, statistics, and the middleware for the client pipeline's
``"cache"`` slot (``install_cache``).
"""

from .backends import (Backend, BackendError, MemcachedBackend, MemcachedUnavailable, MemoryBackend,
                       RedisBackend, RedisUnavailable, Unsupported, open_memcached, open_redis)
from .embeddings import (EmbeddingsCache, install_embeddings_cache, local_embedder,
                         pipeline_embedder)
from .entry import CorruptEntry, Entry
from .exact import ExactCache
from .faults import CacheUnavailableWarning, Shield
from .guards import DetailGuard
from .middleware import CacheMiddleware, install_cache
from .prefix import cached_share, net_input_cost, stable_layout, static_prefix_tokens
from .keys import cache_key, canonical_request, fingerprint
from .policy import StorePolicy, split_controls
from .semantic import SemanticCache, SemanticHit, partition_of
from .stats import CacheStats
from .store import EntryStore
from .tuning import PRPoint, pr_curve, threshold_for_precision

__all__ = [
    "Backend", "BackendError", "MemcachedBackend", "MemoryBackend", "RedisBackend",
    "RedisUnavailable", "Unsupported", "open_redis", "MemcachedUnavailable", "open_memcached", "CorruptEntry", "Entry", "ExactCache",
    "CacheUnavailableWarning", "Shield", "DetailGuard", "cache_key", "canonical_request",
    "fingerprint", "StorePolicy", "split_controls", "SemanticCache", "SemanticHit",
    "partition_of", "CacheStats", "EmbeddingsCache", "install_embeddings_cache",
    "pipeline_embedder", "local_embedder", "CacheMiddleware", "install_cache", "cached_share", "net_input_cost",
    "stable_layout", "static_prefix_tokens", "EntryStore", "PRPoint", "pr_curve", "threshold_for_precision",
]
