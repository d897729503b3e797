"""Sizing the local encoder's vectors like OpenAI's embedding models.

The library's sentence encoder gives 512-dim unit vectors. To answer in the
sizes of OpenAI's models (1536 dims for ``text-embedding-3-small``, 3072 for
``-large``) a vector is multiplied by a fixed matrix of stacked random
orthogonal 512×512 blocks (randomized Hadamard transforms seeded by the model
name), then L2-normalised. Whole blocks preserve inner products exactly, so at
512, 1024, 1536… dims the cosine similarities are the encoder's own (up to
float rounding). ``dimensions=d`` keeps the first ``d`` coordinates and
re-normalises, as OpenAI documents for its models; below 512 dims that is a
random projection and cosines are kept only approximately (error of order
``1/sqrt(d)``). No HTTP here, and no vectors are cached.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from course_lib.encoder import DIMS as ENCODER_DIMS
from course_lib.encoder import default_encoder

NATIVE_DIMS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072}


@lru_cache(maxsize=8)
def projection(model: str, dims: int) -> np.ndarray:
    """The fixed (dims × 512) matrix of ``model``: stacked seeded orthogonal blocks.

    Each block is ``P2 H D2 P1 H D1`` (``H`` the normalised 512×512 Hadamard matrix,
    ``D`` random signs, ``P`` random row orders), so its rows are orthonormal.

    >>> p = projection("text-embedding-3-small", 1536)
    >>> p.shape, bool(np.allclose(p.T @ p, 3 * np.eye(512)))
    ((1536, 512), True)
    """
    seed = int.from_bytes(hashlib.sha256(model.encode()).digest()[:8], "big")
    rng = np.random.default_rng(seed)
    hadamard = np.ones((1, 1))
    while hadamard.shape[0] < ENCODER_DIMS:
        hadamard = np.block([[hadamard, hadamard], [hadamard, -hadamard]])
    hadamard /= np.sqrt(ENCODER_DIMS)          # orthogonal, entries ±1/sqrt(512)
    blocks = []
    for _ in range(-(-dims // ENCODER_DIMS)):
        # two rounds of random signs, Hadamard mixing and row shuffling: orthogonal and
        # well spread (a randomized Hadamard transform), with no costly QR factorisation
        first, second = ((hadamard * rng.choice([-1.0, 1.0], ENCODER_DIMS))[rng.permutation(ENCODER_DIMS)]
                         for _ in range(2))
        blocks.append(second @ first)
    return np.vstack(blocks)[:dims]


def project(vectors: np.ndarray, model: str, dimensions: int | None = None) -> np.ndarray:
    """Map 512-dim encoder vectors to ``model``'s size, keep ``dimensions``, normalise.

    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.standard_normal((2, 512))
    >>> big = project(np.stack([a, b]), "text-embedding-3-large")
    >>> big.shape, round(float(big[0] @ big[1]), 6) == round(float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)), 6)
    ((2, 3072), True)
    """
    native = NATIVE_DIMS.get(model, 1536)
    out = np.asarray(vectors, dtype=np.float64) @ projection(model, native).T
    out = out[:, : dimensions or native]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def embed_texts(texts: list[str], model: str, dimensions: int | None = None) -> np.ndarray:
    """Unit vectors of ``texts`` as ``model`` (with ``dimensions``) would size them."""
    return project(default_encoder().encode(list(texts)), model, dimensions)
