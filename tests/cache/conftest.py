"""Real cache servers for the tests: redis-server and memcached on free loopback ports.

Each fixture starts the Debian binary as a subprocess (``.ci/run`` installs
``redis-server`` and ``memcached``), waits until it answers, and stops it at the
end. A missing binary fails with a message that says what to install.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

from course_lib.cache import MemcachedBackend, MemoryBackend, RedisBackend


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"Falta {name}: instala el paquete Debian «{package}» "
                    f"(apt-get install -y {package}); .ci/run lo instala.", pytrace=False)
    return path


def _wait(port: int, proc: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} terminó al arrancar (código {proc.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} no respondió en el puerto {port}")


class Server:
    """A server subprocess that a test can stop and start again on the same port."""

    def __init__(self, argv, port: int, name: str):
        self.argv, self.port, self.name = argv, port, name
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(self.port, self.proc, self.name)
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture(scope="session")
def redis_server():
    port = free_port()
    server = Server([_binary("redis-server", "redis-server"), "--port", str(port), "--save", "",
                     "--appendonly", "no", "--bind", "127.0.0.1"], port, "redis-server").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def memcached_server():
    port = free_port()
    server = Server([_binary("memcached", "memcached"), "-l", "127.0.0.1", "-p", str(port),
                     "-U", "0", "-m", "64", *(["-u", "root"] if os.geteuid() == 0 else [])],
                    port, "memcached").start()
    yield server
    server.stop()


@pytest.fixture
def redis_backend(redis_server, request):
    backend = RedisBackend(url=f"redis://127.0.0.1:{redis_server.port}/0",
                           prefix=f"t:{request.node.name}:")
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def memcached_backend(memcached_server):
    backend = MemcachedBackend(server=f"127.0.0.1:{memcached_server.port}")
    backend.clear()
    yield backend


@pytest.fixture(params=["memory", "redis", "memcached"])
def any_backend(request):
    if request.param == "memory":
        return MemoryBackend()
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture(params=["memory", "redis"])
def set_backend(request):
    """Backends with sets (tags, partitions, LRU)."""
    if request.param == "memory":
        return MemoryBackend()
    return request.getfixturevalue("redis_backend")
