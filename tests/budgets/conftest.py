"""Budget stores for the contract tests: SQLite, and Redis on a real ``redis-server``.

The Redis server is the one ``tests/cache/conftest.py`` starts (a Debian
``redis-server`` on a free loopback port; ``.ci/run`` installs it); each test
gets its own key prefix, so tests never see each other's spend.
"""

from __future__ import annotations

import uuid

import pytest

from course_lib.budgets import BudgetStore, RedisBudgetStore
from tests.cache.conftest import redis_server  # noqa: F401  (the session fixture, reused)


@pytest.fixture
def redis_url(redis_server):  # noqa: F811
    return f"redis://127.0.0.1:{redis_server.port}/0"


@pytest.fixture(params=["sqlite", "redis"])
def store_factory(request, tmp_path):
    """``make()`` opens the test's store; calling it again is a restart (a new connection)."""
    if request.param == "sqlite":
        path = tmp_path / "budgets.sqlite"
        return lambda: BudgetStore(path)
    url = request.getfixturevalue("redis_url")
    prefix = f"t:{uuid.uuid4().hex[:12]}:"
    return lambda: RedisBudgetStore(url=url, prefix=prefix)


@pytest.fixture
def store(store_factory):
    return store_factory()
