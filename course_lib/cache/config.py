"""Build the caches from a policy file (``templates/cost-optimization/cache_policy.json``).

A policy says, in Spanish keys an operator can edit: the version prefix of
every key, the exact cache's size bound and whether sampled answers are
stored, the TTL per content type, the semantic threshold and guards, and
which content type each namespace holds. :func:`caches_from_policy` turns it
into an ``ExactCache`` and (when ``embed`` is given) a ``SemanticCache`` on one
backend and one clock. Unknown keys are an error, so a typo never silently
falls back to a default. It does not choose a backend (pass one).

>>> policy = {"version": "v7", "ttl_s": {"por_defecto": 60}, "semantica": {"umbral": 0.9}}
>>> exact, semantic = caches_from_policy(policy)
>>> exact.version, exact.policy.ttl_s, semantic
('v7', 60.0, None)
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from .exact import ExactCache
from .guards import DetailGuard
from .policy import StorePolicy
from .semantic import SemanticCache
from .stats import CacheStats

KEYS = {"version", "descripcion", "exacta", "ttl_s", "semantica", "espacios"}


class PolicyError(ValueError):
    """The policy file has a key or a value the caches do not understand."""


def load_policy(path: str | Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PolicyError(f"No puedo leer la política de caché {path}: {exc}") from exc


def caches_from_policy(policy: dict | str | Path, *, embed=None, backend=None, clock=time.time,
                       stats: CacheStats | None = None):
    """``(ExactCache, SemanticCache or None)`` configured by ``policy``."""
    if not isinstance(policy, dict):
        policy = load_policy(policy)
    unknown = set(policy) - KEYS
    if unknown:
        raise PolicyError(f"Claves desconocidas en la política: {', '.join(sorted(unknown))}. "
                          f"Válidas: {', '.join(sorted(KEYS))}.")
    ttl = dict(policy.get("ttl_s") or {})
    default_ttl = float(ttl.pop("por_defecto", 86_400))
    exact_cfg = dict(policy.get("exacta") or {})
    store_policy = StorePolicy(ttl_s=default_ttl, ttl_by_type=ttl,
                               store_sampled=bool(exact_cfg.get("guardar_muestreadas", False)))
    stats = stats if stats is not None else CacheStats()
    version = str(policy.get("version") or "v1")
    exact = ExactCache(backend=backend, clock=clock, version=version, policy=store_policy, stats=stats,
                       max_entries=exact_cfg.get("max_entradas", 10_000))
    semantic = None
    sem_cfg = dict(policy.get("semantica") or {})
    if embed is not None and sem_cfg:
        guards_cfg = dict(sem_cfg.get("guardas") or {})
        guards = [DetailGuard(numbers=bool(guards_cfg.get("numeros", True)),
                              swaps=bool(guards_cfg.get("palabra_cambiada", False)))] if guards_cfg else []
        semantic = SemanticCache(embed=embed, threshold=float(sem_cfg.get("umbral", 0.9)),
                                 guards=guards, backend=backend, clock=clock, version=version,
                                 policy=store_policy, stats=stats,
                                 max_entries=exact_cfg.get("max_entradas", 10_000))
    return exact, semantic


def content_type_of(policy: dict, namespace: str) -> str | None:
    """The content type a namespace holds (for its TTL), or None."""
    return (policy.get("espacios") or {}).get(namespace)
