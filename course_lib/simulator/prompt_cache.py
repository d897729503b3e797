"""Provider-side prompt caching, the way OpenAI documents it.

A prompt of at least 1,024 tokens is split at every 128-token boundary; each
prefix is remembered (per model) by a running hash. A later prompt's cached
tokens are its longest remembered prefix, so hits come in 128-token steps
(1024, 1152, …). A prefix not used for ``ttl`` seconds (by the state's clock)
is forgotten: the prefixes sit in a ``cachetools.TTLCache`` whose timer is that
clock, and each use stores them again. Only token ids are hashed; no text is kept. This module does not
price anything: the discount comes from the price book's cached-input rate.
"""

from __future__ import annotations

import hashlib
import threading
import time
from array import array

from cachetools import TTLCache

BLOCK = 128
MIN_CACHED = 1024


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

    def lookup_and_store(self, model: str, tokens, *, store: bool = True) -> int:
        """Cached tokens for this prompt; then remember its prefixes (if ``store``)."""
        if len(tokens) < MIN_CACHED:
            return 0
        keys = prefix_keys(tokens)
        first = MIN_CACHED // BLOCK - 1          # index of the 1,024-token prefix
        with self._lock:
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

    def __len__(self) -> int:
        with self._lock:
            self._entries.expire()
            return len(self._entries)
