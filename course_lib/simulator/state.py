"""Everything one simulated provider instance remembers.

A :class:`SimulatorState` bundles the price book, the usage ledger, the clock,
the model catalogue, the prompt cache, the keys, and the rate limiter and fault
injector. Two states share nothing, which is what makes an isolated grading
instance reproducible. Routes reach it as ``request.app.state.sim``; code that
runs outside HTTP (the batch runner) calls :meth:`SimulatorState.complete_chat`.

The rate limiter and fault injector are ``ratelimit.RateLimiter`` and
``faults.FaultInjector``, each built from the state unless given. This module
holds no HTTP code.
"""

from __future__ import annotations

import secrets
import threading

from course_lib.clock import Clock

DEFAULT_CACHE_TTL = 600.0          # seconds of inactivity before a cached prefix is dropped
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024


class SimulatorState:
    """The state of one simulated provider.

    All arguments are keyword-only and optional; defaults are built per instance
    (an in-memory ledger, the dated price snapshot, a real-time clock, a random
    admin key, any ``sk-`` key accepted).

    >>> from course_lib.clock import Clock
    >>> state = SimulatorState(clock=Clock(start=0.0, frozen=True), admin_key="sk-admin-x")
    >>> state.clock(), state.admin_key, state.realtime
    (0.0, 'sk-admin-x', False)
    """

    def __init__(self, *, prices=None, ledger=None, clock: Clock | None = None, catalog=None,
                 api_keys=None, admin_key: str | None = None, realtime: bool = False,
                 seed: int = 0, cache_ttl: float = DEFAULT_CACHE_TTL,
                 max_body_bytes: int = DEFAULT_MAX_BODY_BYTES, tasks=None,
                 limiter=None, faults=None):
        self._init_lock = threading.Lock()
        self._prices = prices
        self._ledger = ledger
        self._catalog = catalog
        self.clock = clock if clock is not None else Clock()
        self.api_keys = set(api_keys) if api_keys is not None else None
        self.admin_key = admin_key or "sk-admin-" + secrets.token_hex(16)
        self.realtime = bool(realtime)
        self.seed = int(seed)
        self.cache_ttl = float(cache_ttl)
        self.max_body_bytes = int(max_body_bytes)
        self.extra: dict = {}
        self.answer_observers: list = []
        """Callables ``observe(record, texts)`` told of each chat completion served: its ledger
        ``CallRecord`` and the texts of its choices (the ledger keeps no texts). A grader uses
        it to tell the provider's answers from answers a learner's code wrote itself."""
        from .prompt_cache import PromptCache
        from .taskindex import TaskIndex
        self.prompt_cache = PromptCache(ttl=self.cache_ttl, clock=self.clock)
        self.tasks = tasks if tasks is not None else TaskIndex()
        from .faults import FaultInjector
        from .ratelimit import RateLimiter
        self.limiter = limiter if limiter is not None else RateLimiter(self)
        self.faults = faults if faults is not None else FaultInjector(self)

    # Defaults are built on first use (a state is cheap to create), under a lock: requests
    # run in worker threads, and two first requests must not build two ledgers.
    @property
    def prices(self):
        if self._prices is None:
            with self._init_lock:
                if self._prices is None:
                    from course_lib.pricing import PriceBook
                    self._prices = PriceBook.default()
        return self._prices

    @prices.setter
    def prices(self, book):
        self._prices = book
        self._catalog = None

    @property
    def ledger(self):
        if self._ledger is None:
            with self._init_lock:
                if self._ledger is None:
                    from course_lib.usage import Ledger
                    self._ledger = Ledger(":memory:")
        return self._ledger

    @ledger.setter
    def ledger(self, ledger):
        self._ledger = ledger

    @property
    def catalog(self):
        if self._catalog is None:
            prices = self.prices
            with self._init_lock:
                if self._catalog is None:
                    from .catalog import Catalog
                    self._catalog = Catalog.from_prices(prices)
        return self._catalog

    @catalog.setter
    def catalog(self, catalog):
        self._catalog = catalog

    def complete_chat(self, body: dict, *, api_key: str, batch: bool = False) -> dict:
        """Run one non-streaming chat completion and return its JSON-able body.

        Validates ``body`` like the HTTP route does, writes the call to the ledger
        (at the batch price when ``batch``) and raises :class:`APIError` on bad input.
        """
        from .chat import run_chat
        return run_chat(self, body, api_key=api_key, batch=batch).body

    def reset(self) -> None:
        """Forget cached prefixes (the ledger and clock are left alone)."""
        self.prompt_cache.clear()
