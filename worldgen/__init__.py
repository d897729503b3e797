"""Deterministic generator of the course world (knowledge base, tasks, traffic, pairs).

``generate()`` rebuilds every file of ``data/world/`` and the hidden grading
files of ``graders/hidden/`` from one seed, byte for byte (``generate(root)``
writes them under another repository root). ``python -m worldgen``
runs it. All
randomness comes from one ``random.Random(SEED)``; no network, no models.
"""

from __future__ import annotations

import random
from pathlib import Path

from course_lib import paths
from .kb import build_kb
from .kb_changes import build_kb_changes
from .pairs import build_pairs
from .questions import faq_specs
from .tasks import build_specs, build_tasks
from .traffic import COLUMNS, build_traffic
from .traffic_meta import traffic_meta_bytes
from .writer import csv_gz_bytes, jsonl_bytes, write_bytes

SEED = 20260105
PUBLIC_FILES = ("kb_documents.jsonl", "kb_facts.jsonl", "tasks.jsonl", "traffic.csv.gz", "cache_pairs.jsonl",
                "traffic_meta.json", "kb_changes.jsonl")
HIDDEN_FILES = ("tasks_test.jsonl", "traffic_hidden.csv.gz", "cache_pairs_hidden.jsonl",
                "kb_changes_hidden.jsonl")


def build_world(seed: int = SEED) -> dict[str, bytes]:
    """Every world file as bytes, keyed by its path relative to the repository root."""
    rng = random.Random(seed)
    docs, facts, fact_specs = build_kb()
    specs = build_specs(rng, faq_specs(fact_specs))
    tasks = build_tasks(specs, rng)
    split_of = {t["group_id"]: t["split"] for t in tasks}
    test_questions = {t["question"] for t in tasks if t["split"] == "test"}
    rows = build_traffic(specs, split_of, rng, test_questions=test_questions)
    public_pairs, hidden_pairs = build_pairs(specs, split_of, rng, forbidden=test_questions)
    world, hidden = "data/world/", "graders/hidden/"
    public_changes, hidden_changes = build_kb_changes(facts)
    return {
        world + "kb_documents.jsonl": jsonl_bytes(docs),
        world + "kb_facts.jsonl": jsonl_bytes(facts),
        world + "tasks.jsonl": jsonl_bytes(t for t in tasks if t["split"] != "test"),
        hidden + "tasks_test.jsonl": jsonl_bytes(t for t in tasks if t["split"] == "test"),
        world + "traffic.csv.gz": csv_gz_bytes([r for r in rows if r[-1] == "public"], COLUMNS,
                                               inner_name="traffic.csv"),
        hidden + "traffic_hidden.csv.gz": csv_gz_bytes([r for r in rows if r[-1] == "hidden"], COLUMNS,
                                                       inner_name="traffic_hidden.csv"),
        world + "cache_pairs.jsonl": jsonl_bytes(public_pairs),
        hidden + "cache_pairs_hidden.jsonl": jsonl_bytes(hidden_pairs),
        world + "traffic_meta.json": traffic_meta_bytes(),
        world + "kb_changes.jsonl": jsonl_bytes(public_changes),
        hidden + "kb_changes_hidden.jsonl": jsonl_bytes(hidden_changes),
    }


def _target(rel: str, root: Path | None) -> Path:
    """Where a world file goes: under ``root``, or the configured data and hidden folders."""
    if root is not None:
        return Path(root) / rel
    folder, name = rel.rsplit("/", 1)
    return (paths.WORLD_DIR if folder == "data/world" else paths.HIDDEN_DIR) / name


def generate(root: str | Path | None = None, *, seed: int = SEED) -> list[Path]:
    """Write every world file under ``root`` (a repository root; default: the configured folders)."""
    return [write_bytes(_target(rel, root), data) for rel, data in build_world(seed).items()]


def differences(root: str | Path | None = None, *, seed: int = SEED) -> list[str]:
    """World files (relative paths) whose bytes differ from what the generator produces."""
    return [rel for rel, data in build_world(seed).items()
            if not _target(rel, root).exists() or _target(rel, root).read_bytes() != data]
