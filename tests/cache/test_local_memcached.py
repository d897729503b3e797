"""Does open_memcached give the lab a real Memcached, or a clear Spanish way to get one?"""

import pytest

from course_lib.cache import ExactCache, MemcachedUnavailable, open_memcached

REQUEST = {"model": "gpt-4o-mini", "temperature": 0,
           "messages": [{"role": "user", "content": "¿Cuánto cuesta el envío a Canarias?"}]}
ANSWER = {"choices": [{"index": 0, "finish_reason": "stop",
                       "message": {"role": "assistant", "content": "9,95 €."}}]}


def test_does_it_start_a_local_memcached_that_an_exact_cache_uses(memcached_server, monkeypatch):
    monkeypatch.delenv("MEMCACHED_SERVER", raising=False)
    backend = open_memcached(prefix="t:")
    try:
        one, other = ExactCache(backend=backend), ExactCache(backend=backend)
        one.store(REQUEST, ANSWER)
        assert other.lookup(REQUEST).response == ANSWER
    finally:
        backend.close()
    assert backend.process.poll() is not None      # the server it started is stopped


def test_does_memcached_server_take_precedence(memcached_server, monkeypatch):
    monkeypatch.setenv("MEMCACHED_SERVER", f"127.0.0.1:{memcached_server.port}")
    backend = open_memcached(prefix="t2:")
    assert not hasattr(backend, "process")
    backend.set("k", "v")
    assert backend.get("k") == "v"


def test_does_a_machine_without_memcached_get_a_spanish_way_to_get_one(monkeypatch):
    monkeypatch.delenv("MEMCACHED_SERVER", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(MemcachedUnavailable, match="apt-get install memcached"):
        open_memcached()
