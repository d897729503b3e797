"""Storage for the caches: in memory (default), Redis (shared, embedded fallback), Memcached."""

from .base import Backend, BackendError, Unsupported
from .embedded import RedisUnavailable, open_redis
from .local_memcached import MemcachedUnavailable, open_memcached
from .memcached_backend import MemcachedBackend
from .memory import MemoryBackend
from .redis_backend import RedisBackend

__all__ = ["Backend", "BackendError", "Unsupported", "MemoryBackend", "RedisBackend",
           "MemcachedBackend", "open_redis", "RedisUnavailable", "open_memcached",
           "MemcachedUnavailable"]
