"""The task bank as the simulator sees it: tasks by id, facts by id.

Read lazily from the task-bank files (``tasks.jsonl`` and ``kb_facts.jsonl`` in
the world folder, plus the hidden test split when present, so a grading run can
ask about hidden tasks), or given explicitly (tests, custom worlds). The
simulator reads the files itself: it never imports the course layer.
A request names its task with ``metadata={"task_id": ...}``; unknown ids are
treated as ordinary prompts. This module does not judge answers.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from course_lib import paths


def _read_jsonl(path: Path) -> list[dict]:
    """The records of a task-bank file; a missing file (no hidden split here) is empty."""
    try:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except FileNotFoundError:
        return []


def _records(frame_or_list) -> list[dict]:
    if hasattr(frame_or_list, "to_dict"):
        return frame_or_list.to_dict(orient="records")
    return [dict(r) for r in frame_or_list]


class TaskIndex:
    """Tasks and facts by id.

    >>> idx = TaskIndex(tasks=[{"task_id": "T1", "question": "¿Cuánto?", "fact_ids": ["F1"],
    ...                         "answer": "5 €", "wrong_answers": ["7 €"], "difficulty": 0.2}],
    ...                 facts=[{"fact_id": "F1", "keywords": ["5 €"]}])
    >>> idx.get("T1")["answer"], [f["fact_id"] for f in idx.facts_for(idx.get("T1"))]
    ('5 €', ['F1'])
    >>> idx.get("nope") is None
    True
    """

    def __init__(self, *, tasks=None, facts=None):
        self._lock = threading.Lock()
        self._tasks = None if tasks is None else {t["task_id"]: t for t in _records(tasks)}
        self._facts = None if facts is None else {f["fact_id"]: f for f in _records(facts)}

    def _load(self) -> None:
        with self._lock:
            if self._tasks is None:
                self._tasks = {t["task_id"]: t for t in _read_jsonl(paths.WORLD_DIR / "tasks.jsonl")
                               + _read_jsonl(paths.HIDDEN_DIR / "tasks_test.jsonl")}
            if self._facts is None:
                self._facts = {f["fact_id"]: f for f in _read_jsonl(paths.WORLD_DIR / "kb_facts.jsonl")}

    def get(self, task_id: str | None) -> dict | None:
        """The task with this id, or ``None``."""
        if not task_id:
            return None
        if self._tasks is None:
            self._load()
        return self._tasks.get(task_id)

    def facts_for(self, task: dict) -> list[dict]:
        """The facts a task needs (unknown fact ids are skipped)."""
        if self._facts is None:
            self._load()
        ids = task.get("fact_ids")
        ids = [] if ids is None else list(ids)
        return [self._facts[f] for f in ids if f in self._facts]

    def __len__(self) -> int:
        if self._tasks is None:
            self._load()
        return len(self._tasks)
