"""Provider-side prompt caching, the way OpenAI documents it.

A prompt of at least 1,024 tokens is split at every 128-token boundary; each
prefix is remembered (per model) by a running hash. A later prompt's cached
tokens are its longest remembered prefix, so hits come in 128-token steps
(1024, 1152, …). A prefix not used for ``ttl`` seconds (by the state's clock)
is forgotten: the prefixes sit in a ``cachetools.TTLCache`` whose timer is that
clock, and each use stores them again. Only token ids are hashed; no text is kept. This module does not
price anything: the discount comes from the price book's cached-input rate.

Routing (a stated model of OpenAI's, which routes on a hash of the first ~256
tokens and combines it with ``prompt_cache_key``): every cache "machine" keeps
its own prefixes. A request **with** a key goes to the one machine of its
(model, key, first 256 tokens): requests that share key and prefix always meet
their prefix. A request **without** a key goes to its prefix's primary machine
until that prefix has had ``OVERFLOW_RPM`` requests in the last minute (on the
state's clock); past that rate the extra requests overflow to one of
``OVERFLOW_MACHINES`` other machines, picked by a hash of the whole prompt, and
miss until that machine has seen the prefix too. Left out: the overflow that
OpenAI also applies to one very busy key (keyed routing here is always sticky).
"""

from __future__ import annotations

import hashlib
import threading
import time
from array import array

from cachetools import TTLCache

BLOCK = 128
MIN_CACHED = 1024
ROUTING_TOKENS = 256      # the prefix the router hashes
OVERFLOW_RPM = 15         # unkeyed requests per prefix and minute one machine takes
OVERFLOW_MACHINES = 8     # where the rest of an unkeyed burst lands


def prefix_keys(tokens) -> list[bytes]:
    """Running hashes of the prompt at each 128-token boundary.

    >>> keys = prefix_keys(range(300))
    >>> len(keys), keys[0] == prefix_keys(range(128))[0]
    (2, True)
    """
    raw = array("q", tokens).tobytes()
    width = 8 * BLOCK
    h = hashlib.blake2b(digest_size=16)
    keys = []
    for end in range(width, len(raw) + 1, width):
        h.update(raw[end - width:end])
        keys.append(h.digest())
    return keys


class PromptCache:
    """Longest-cached-prefix lookup with inactivity expiry.

    >>> cache = PromptCache(ttl=600, clock=lambda: 0.0)
    >>> cache.lookup_and_store("m", list(range(1500)))   # first time: nothing cached
    0
    >>> cache.lookup_and_store("m", list(range(1400)) + [7] * 200)
    1280
    >>> cache.lookup_and_store("m", list(range(1000)))   # under 1024 tokens: never cached
    0
    >>> cache.lookup_and_store("m", list(range(1500)), routing_key="faq")  # a key routes elsewhere
    0
    >>> cache.lookup_and_store("m", list(range(1500)) + [3], routing_key="faq")
    1408
    """

    def __init__(self, *, ttl: float = 600.0, clock=None, max_entries: int = 500_000):
        self.ttl = float(ttl)
        self.clock = clock or time.time
        self.max_entries = int(max_entries)
        self._lock = threading.Lock()
        # keys are (model, prefix hash); least recently stored go first when full
        self._entries: TTLCache = TTLCache(self.max_entries, self.ttl, timer=self.clock)
        self.hits = 0
        self.lookups = 0
        self._recent: TTLCache = TTLCache(100_000, 60.0, timer=self.clock)   # (model, prefix) → times

    def machine(self, model: str, tokens, routing_key: str | None = None) -> tuple:
        """The cache machine a request is routed to (see the module docstring)."""
        head = hashlib.blake2b(array("q", tokens[:ROUTING_TOKENS]).tobytes(), digest_size=8).digest()
        if routing_key is not None:
            return ("key", str(routing_key), head)
        now = self.clock()
        times = [t for t in self._recent.get((model, head), ()) if now - t < 60.0]
        times.append(now)
        self._recent[(model, head)] = times[-OVERFLOW_RPM - 1:]
        if len(times) <= OVERFLOW_RPM:
            return ("prefix", head)
        whole = hashlib.blake2b(array("q", tokens).tobytes(), digest_size=8).digest()
        return ("overflow", head, int.from_bytes(whole, "big") % OVERFLOW_MACHINES)

    def lookup_and_store(self, model: str, tokens, *, store: bool = True,
                         routing_key: str | None = None) -> int:
        """Cached tokens for this prompt on the machine it is routed to; then remember its prefixes."""
        if len(tokens) < MIN_CACHED:
            return 0
        keys = prefix_keys(tokens)
        first = MIN_CACHED // BLOCK - 1          # index of the 1,024-token prefix
        with self._lock:
            model = (model, self.machine(model, tokens, routing_key))
            entries = self._entries
            cached = 0
            for i in range(len(keys) - 1, first - 1, -1):
                if (model, keys[i]) in entries:
                    cached = (i + 1) * BLOCK
                    break
            self.lookups += 1
            self.hits += cached > 0
            if store:
                for key in keys[first:]:
                    entries[(model, key)] = True    # (re)stored: its inactivity timer restarts
        return cached

    def clear(self) -> None:
        """Forget everything (as after an hour of inactivity)."""
        with self._lock:
            self._entries.clear()
            self._recent.clear()

    def __len__(self) -> int:
        with self._lock:
            self._entries.expire()
            return len(self._entries)
