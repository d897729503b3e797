"""Redis down, hung or restarted mid-run: the cache steps aside and comes back; no torn entries."""

import json
import signal
import threading
import warnings

import pytest

from course_lib.cache import (CacheUnavailableWarning, ExactCache, RedisBackend, Shield,
                              install_cache)
from course_lib.cache.stats import CacheStats
from course_lib.client import connect
from course_lib.clock import Clock

from .conftest import Server, _binary, free_port


@pytest.fixture
def own_redis():
    """A Redis for this test only, so it can be killed and restarted."""
    port = free_port()
    server = Server([_binary("redis-server", "redis-server"), "--port", str(port), "--save", "",
                     "--appendonly", "no", "--bind", "127.0.0.1"], port, "redis-server").start()
    yield server
    if server.proc is not None:
        server.proc.send_signal(signal.SIGCONT)
    server.stop()


def make_cache(server, clock, *, timeout_s=0.3):
    stats = CacheStats()
    backend = RedisBackend(url=f"redis://127.0.0.1:{server.port}/0", timeout_s=timeout_s)
    shield = Shield(stats=stats, retry_after_s=0)         # try again on every call (no wall clock)
    from course_lib.cache import EntryStore

    store = EntryStore(backend=backend, clock=clock, stats=stats, shield=shield)
    return ExactCache(store=store)


def ask(client, text="¿Cuánto cuesta el envío a Canarias?"):
    return client.chat.completions.create(model="gpt-4o-mini", temperature=0,
                                          messages=[{"role": "user", "content": text}])


@pytest.fixture(scope="module")
def sim():
    client = connect(isolated=True, clock=Clock(start=1_773_000_000.0, frozen=True), max_retries=0)
    yield client
    client.simulator.stop()


def test_does_a_dead_redis_make_the_cache_a_pass_through_and_does_it_resume(own_redis, sim):
    cache = make_cache(own_redis, sim.simulator.clock)
    install_cache(sim, exact=cache, name="cache_caida")
    try:
        start = len(sim.ledger.records())
        reference = ask(sim).choices[0].message.content
        own_redis.stop()
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            answers = [ask(sim).choices[0].message.content for _ in range(3)]
        assert answers == [reference] * 3                  # from the provider, not wrong, no crash
        assert sum(issubclass(w.category, CacheUnavailableWarning) for w in seen) == 1
        assert cache.stats.get("errors") >= 3
        own_redis.start()                                   # back, empty (no persistence)
        ask(sim), ask(sim)
        hits = [r.response_cache_hit for r in sim.ledger.records()[start:]]
        assert hits == [False, False, False, False, False, True]
    finally:
        sim.pipeline.remove("cache_caida")


def test_does_a_hung_redis_time_out_into_a_miss(own_redis):
    clock = Clock(start=0.0, frozen=True)
    cache = make_cache(own_redis, clock, timeout_s=0.2)
    req = {"model": "m", "temperature": 0, "messages": [{"role": "user", "content": "hola"}]}
    ans = {"choices": [{"message": {"content": "¡Hola!"}, "finish_reason": "stop"}]}
    assert cache.store(req, ans)
    own_redis.proc.send_signal(signal.SIGSTOP)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CacheUnavailableWarning)
            assert cache.lookup(req) is None
        assert cache.stats.get("errors") >= 1
    finally:
        own_redis.proc.send_signal(signal.SIGCONT)
    assert cache.lookup(req) is not None


def test_do_concurrent_writers_never_leave_a_torn_entry(redis_backend):
    """Many threads overwrite one key with large entries while others read: every read parses."""
    stop, bad, reads = threading.Event(), [], [0]

    def writer(n):
        while not stop.is_set():
            redis_backend.set("shared", json.dumps({"writer": n, "text": str(n) * 50_000}))

    def reader():
        while not stop.is_set():
            raw = redis_backend.get("shared")
            if raw is not None:
                data = json.loads(raw)
                if data["text"] != str(data["writer"]) * 50_000:
                    bad.append(raw[:50])
                reads[0] += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(1, 4)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    while reads[0] < 200:
        threading.Event().wait(0.01)
    stop.set()
    for t in threads:
        t.join()
    assert not bad


def test_do_kernels_sharing_one_redis_only_ever_read_whole_entries(redis_server):
    """Four processes (as four learners' kernels) overwrite and read one large entry at once."""
    import multiprocessing as mp

    from tests.cache._workers import store_and_read

    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    url = f"redis://127.0.0.1:{redis_server.port}/0"
    procs = [ctx.Process(target=store_and_read, args=(url, "t:kernels:", n, 150, out)) for n in range(1, 5)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert sum(hits for hits, _, _ in results) >= 4 * 150 * 0.9
    assert all(torn == 0 and not corrupt for _, torn, corrupt in results), results
