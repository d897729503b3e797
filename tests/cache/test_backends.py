"""One contract for every backend: memory, a real Redis and a real Memcached."""

import pytest

from course_lib.cache import MemcachedBackend, Unsupported


def test_does_a_stored_string_come_back_unchanged(any_backend):
    any_backend.set("k", '{"texto": "Envío a Canarias: 9,95 €"}')
    assert any_backend.get("k") == '{"texto": "Envío a Canarias: 9,95 €"}'
    assert any_backend.get("falta") is None


def test_does_get_many_keep_the_order_and_report_misses(any_backend):
    any_backend.set("a", "1")
    any_backend.set("c", "3")
    assert any_backend.get_many(["c", "b", "a"]) == ["3", None, "1"]
    assert any_backend.get_many([]) == []


def test_does_delete_count_what_it_removed(any_backend):
    any_backend.set("a", "1")
    assert any_backend.delete("a", "nunca-existió") == 1
    assert any_backend.get("a") is None


def test_do_counters_start_at_one_and_grow(any_backend):
    assert [any_backend.incr("v"), any_backend.incr("v"), any_backend.incr("v")] == [1, 2, 3]


def test_are_python_objects_refused_as_values(any_backend):
    with pytest.raises(TypeError, match="JSON"):
        any_backend.set("k", {"no": "pickle"})


def test_does_a_long_key_with_spaces_still_work(any_backend):
    key = "e:faq:0:" + "pregunta con espacios " * 20
    any_backend.set(key, "x")
    assert any_backend.get(key) == "x"


def test_do_sets_and_sorted_indexes_behave_alike(set_backend):
    set_backend.sadd("tag:F-1", "a", "b")
    set_backend.srem("tag:F-1", "a")
    assert set_backend.smembers("tag:F-1") == {"b"}
    for member, score in [("x", 3.0), ("y", 1.0), ("z", 2.0)]:
        set_backend.zadd("lru", member, score)
    assert set_backend.zcard("lru") == 3
    assert set_backend.zpopmin("lru", 2) == ["y", "z"]
    assert set_backend.zcard("lru") == 1


def test_does_memcached_say_plainly_that_it_has_no_sets(memcached_backend):
    assert isinstance(memcached_backend, MemcachedBackend)
    with pytest.raises(Unsupported, match="bump_namespace"):
        memcached_backend.sadd("tag:F-1", "a")


def test_does_clear_leave_other_prefixes_on_a_shared_redis(redis_server):
    from course_lib.cache import RedisBackend

    url = f"redis://127.0.0.1:{redis_server.port}/0"
    mine, theirs = RedisBackend(url=url, prefix="mio:"), RedisBackend(url=url, prefix="suyo:")
    mine.set("k", "1"), theirs.set("k", "2")
    mine.clear()
    assert mine.get("k") is None and theirs.get("k") == "2"
    theirs.clear()


def test_does_the_embedded_redis_work_without_redis_url(tmp_path, monkeypatch):
    from course_lib.cache import open_redis

    monkeypatch.delenv("REDIS_URL", raising=False)
    backend = open_redis(folder=tmp_path)
    try:
        backend.set("k", "v")
        assert backend.get("k") == "v"
        assert backend.client.info()["redis_version"].startswith("6.")
    finally:
        backend.close()


def test_does_redis_url_take_precedence(redis_server, monkeypatch):
    from course_lib.cache import open_redis

    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{redis_server.port}/0")
    backend = open_redis(prefix="url:")
    assert backend.client.connection_pool.connection_kwargs["port"] == redis_server.port
