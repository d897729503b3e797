"""When the cache's server fails, the cache steps aside: a pass-through, never a crash.

:class:`Shield` runs each backend operation; a ``BackendError`` (server down,
slow beyond its timeout, restarted) becomes the operation's fallback value
(a miss, a skipped store), is counted in the stats, and raises **one**
``CacheUnavailableWarning`` per outage. For ``retry_after_s`` seconds after a
failure the backend is not even tried (so a dead server does not add a
timeout to every call); the first success after that ends the outage. Time
for this is read from an injectable ``timer`` (monotonic by default).
Programming errors (a ``TypeError``…) are not swallowed.

>>> from course_lib.cache.backends import BackendError
>>> from course_lib.cache.stats import CacheStats
>>> stats, now = CacheStats(), [0.0]
>>> shield = Shield(stats=stats, retry_after_s=5, timer=lambda: now[0])
>>> def down(): raise BackendError("Redis no responde")
>>> import warnings
>>> with warnings.catch_warnings(record=True) as seen:
...     warnings.simplefilter("always")
...     shield.run(down, fallback=None, namespace="faq"), shield.run(down, fallback=None, namespace="faq")
(None, None)
>>> len(seen), stats.get("errors"), stats.get("bypassed")
(1, 1, 1)
>>> now[0] = 6.0; shield.run(lambda: "ok", fallback=None, namespace="faq"), shield.healthy
('ok', True)
"""

from __future__ import annotations

import time
import warnings

from .backends.base import BackendError


class CacheUnavailableWarning(RuntimeWarning):
    """The cache's server is failing; calls go straight to the provider meanwhile."""


class Shield:
    """Runs backend operations, turning server failures into fallbacks."""

    def __init__(self, *, stats, retry_after_s: float = 1.0, timer=time.monotonic):
        self.stats = stats
        self.retry_after_s = float(retry_after_s)
        self.timer = timer
        self._down_since: float | None = None
        self._warned = False

    @property
    def healthy(self) -> bool:
        return self._down_since is None

    def run(self, operation, *args, fallback=None, namespace: str = "default", **kwargs):
        if self._down_since is not None and self.timer() - self._down_since < self.retry_after_s:
            self.stats.count(namespace, "bypassed")
            return fallback
        try:
            result = operation(*args, **kwargs)
        except BackendError as exc:
            self._down_since = self.timer()
            self.stats.count(namespace, "errors")
            if not self._warned:
                self._warned = True
                warnings.warn(f"La caché no está disponible ({exc}); las llamadas van directas al "
                              "proveedor hasta que vuelva.", CacheUnavailableWarning, stacklevel=3)
            return fallback
        if self._down_since is not None:
            self._down_since, self._warned = None, False
        return result
