"""Open the Memcached an exact cache should use: ``MEMCACHED_SERVER`` if set, else a local one.

``open_memcached()`` follows the same rule as ``open_redis()``:

1. ``MEMCACHED_SERVER`` (or ``server=``, ``"host:port"``) set → a
   :class:`MemcachedBackend` on that server;
2. otherwise, if a ``memcached`` binary is on the machine (``PATH`` or
   ``binary=``) → a real server started on a free loopback port (``-l 127.0.0.1``,
   64 MB), stopped by the returned backend's ``close()`` or when the process ends;
3. otherwise → :class:`MemcachedUnavailable`, whose Spanish message says how to
   get one. No PyPI wheel ships a memcached binary, so nothing is downloaded.

Left out: SASL authentication, several servers (consistent hashing).
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import time

from .memcached_backend import MemcachedBackend

HOW_TO_GET = ("instala el paquete del sistema (Debian/Ubuntu: `sudo apt-get install memcached`; "
              "macOS: `brew install memcached`) o define MEMCACHED_SERVER=host:puerto con un "
              "servidor que ya tengas")


class MemcachedUnavailable(RuntimeError):
    """Neither ``MEMCACHED_SERVER`` nor a local ``memcached`` binary could be used."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"version\r\n")
            return s.recv(64).startswith(b"VERSION")
    except OSError:
        return False


def open_memcached(*, server: str | None = None, prefix: str = "costlab:", binary: str | None = None,
                   timeout_s: float = 0.5, start_timeout_s: float = 10.0) -> MemcachedBackend:
    """A Memcached backend on ``server`` / ``$MEMCACHED_SERVER``, or on a local ``memcached``."""
    server = server or os.environ.get("MEMCACHED_SERVER")
    if server:
        return MemcachedBackend(server=server, prefix=prefix, timeout_s=timeout_s)
    path = binary or shutil.which("memcached")
    if not path:
        raise MemcachedUnavailable(f"No encuentro el programa memcached en este equipo: {HOW_TO_GET}.")
    port = _free_port()
    try:
        as_root = ["-u", "root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []   # containers
        process = subprocess.Popen([path, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", "64", *as_root],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise MemcachedUnavailable(f"No se pudo arrancar {path}: {exc}. Otra opción: {HOW_TO_GET}.") from exc
    deadline = time.monotonic() + start_timeout_s
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise MemcachedUnavailable(f"{path} no respondió en el puerto {port}. Otra opción: {HOW_TO_GET}.")
        time.sleep(0.05)
    backend = MemcachedBackend(server=f"127.0.0.1:{port}", prefix=prefix, timeout_s=timeout_s)

    def close() -> None:
        try:
            backend.client.close()
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=5)

    atexit.register(lambda: process.poll() is None and process.kill())
    backend.close = close  # type: ignore[method-assign]
    backend.process = process  # type: ignore[attr-defined]
    return backend
