"""The course world: loaders for the knowledge base, tasks, traffic and cache pairs.

Everything lives in ``data/world/`` (public) and ``graders/hidden/`` (kept by
graders: the test tasks, the last three weeks of traffic, the hidden pairs).
Loaders return pandas DataFrames; :func:`get_task` a plain dict. :func:`is_correct`
scores an answer the way the graders and the simulator do: the gold answer or
an accepted variant must appear (ignoring case, accents, ``€``/``euros``,
decimal point or comma) and no known wrong answer may appear besides it.
This module reads files only; ``worldgen`` writes them.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from course_lib import paths
from course_lib.text import contains, fact_in_text, normalize, replace_phrase

__all__ = ["TASK_TYPES", "RELATIONS", "PAIR_LABELS", "WorldDataError", "load_documents",
           "load_facts", "load_tasks", "feature_table", "get_task", "load_traffic", "traffic_scale", "load_pairs",
           "is_correct", "missing_facts", "contains", "fact_in_text", "normalize"]

TASK_TYPES = ("faq", "intent", "extraction", "calculation", "multistep")
RELATIONS = ("original", "repeat", "paraphrase", "near_miss", "unique")
PAIR_LABELS = ("paraphrase", "near_miss", "unrelated")


class WorldDataError(FileNotFoundError):
    """A world file is missing (for hidden files: only graders have them)."""


def _file(folder: Path | None, default: Path, name: str) -> Path:
    path = Path(folder or default) / name
    if not path.exists():
        raise WorldDataError(f"No encuentro {path}. Regenera los datos con `make data` "
                             "(o `python -m worldgen`).")
    return path


@functools.lru_cache(maxsize=16)
def _lines_cached(path: str, mtime_ns: int) -> tuple[str, ...]:
    with open(path, encoding="utf-8") as fh:
        return tuple(line for line in fh if line.strip())


def _lines(path: Path) -> tuple[str, ...]:
    # Cached by path and modification time: regenerating the files invalidates it.
    return _lines_cached(str(path), path.stat().st_mtime_ns)


def _records(path: Path) -> list[dict]:
    """Fresh dicts on every call, so callers may modify them without touching the cache."""
    return [json.loads(line) for line in _lines(path)]


def load_documents(*, world_dir: Path | None = None) -> pd.DataFrame:
    """Knowledge-base documents: ``doc_id, title, category, text``.

    >>> docs = load_documents()
    >>> len(docs) >= 25 and list(docs.columns) == ["doc_id", "title", "category", "text"]
    True
    """
    return pd.DataFrame(_records(_file(world_dir, paths.WORLD_DIR, "kb_documents.jsonl")))


def load_facts(*, world_dir: Path | None = None) -> pd.DataFrame:
    """Facts: ``fact_id, doc_id, text, keywords`` (a list of strings).

    >>> load_facts().set_index("fact_id").loc["F-ENV-008", "keywords"]
    ['9,95 €', 'Canarias']
    """
    return pd.DataFrame(_records(_file(world_dir, paths.WORLD_DIR, "kb_facts.jsonl")))


def _task_records(include_hidden: bool, world_dir, hidden_dir) -> list[dict]:
    records = _records(_file(world_dir, paths.WORLD_DIR, "tasks.jsonl"))
    if include_hidden:
        records += _records(_file(hidden_dir, paths.HIDDEN_DIR, "tasks_test.jsonl"))
    return records


def load_tasks(split: str | None = None, *, include_hidden: bool = False, world_dir: Path | None = None,
               hidden_dir: Path | None = None) -> pd.DataFrame:
    """Tasks, optionally one split (``train``, ``dev``; ``test`` needs ``include_hidden=True``).

    >>> tasks = load_tasks("train")
    >>> set(tasks["split"]) == {"train"} and set(tasks["type"]) <= set(TASK_TYPES)
    True
    """
    if split == "test" and not include_hidden:
        raise ValueError("El split 'test' está oculto: solo los calificadores lo cargan, con include_hidden=True.")
    if split not in (None, "train", "dev", "test"):
        raise ValueError(f"Split desconocido {split!r}: usa 'train', 'dev' o 'test'.")
    df = pd.DataFrame(_task_records(include_hidden, world_dir, hidden_dir))
    return df[df["split"] == split].reset_index(drop=True) if split else df


def feature_table(tasks: pd.DataFrame) -> pd.DataFrame:
    """One row per task, indexed by ``task_id``: ``type`` plus every visible feature as a column.

    This is what a router may learn from (never ``difficulty``, ``answer`` or ``group_id``).

    >>> table = feature_table(load_tasks("train"))
    >>> {"type", "n_words", "register", "n_facts"} <= set(table.columns), "difficulty" in table.columns
    (True, False)
    """
    flat = pd.json_normalize(list(tasks["features"])).set_index(pd.Index(tasks["task_id"], name="task_id"))
    return pd.concat([tasks.set_index("task_id")[["type"]], flat], axis=1)


def get_task(task_id: str, *, world_dir: Path | None = None, hidden_dir: Path | None = None) -> dict:
    """One task as a dict, searching the hidden test split too when its file is present.

    >>> get_task(load_tasks("dev")["task_id"][0])["split"]
    'dev'
    """
    files = [_file(world_dir, paths.WORLD_DIR, "tasks.jsonl")]
    hidden = Path(hidden_dir or paths.HIDDEN_DIR) / "tasks_test.jsonl"
    files += [hidden] if hidden.exists() else []
    for path in files:
        line = _task_lines(str(path), path.stat().st_mtime_ns).get(task_id)
        if line is not None:
            return json.loads(line)
    raise KeyError(f"No existe la tarea {task_id!r}.")


@functools.lru_cache(maxsize=8)
def _task_lines(path: str, mtime_ns: int) -> dict[str, str]:
    return {json.loads(line)["task_id"]: line for line in _lines_cached(path, mtime_ns)}


def _read_csv_gz(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["ts"] = pd.to_datetime(df["ts"], utc=True)
    return df


def load_traffic(*, include_hidden: bool = False, world_dir: Path | None = None,
                 hidden_dir: Path | None = None) -> pd.DataFrame:
    """Request log (``ts`` as UTC datetimes; empty ``task_id`` when a request has no task).

    >>> t = load_traffic()
    >>> len(t) >= 20000 and set(t["split"]) == {"public"}
    True
    """
    frames = [_read_csv_gz(_file(world_dir, paths.WORLD_DIR, "traffic.csv.gz"))]
    if include_hidden:
        frames.append(_read_csv_gz(_file(hidden_dir, paths.HIDDEN_DIR, "traffic_hidden.csv.gz")))
    return pd.concat(frames, ignore_index=True)


def traffic_scale(*, world_dir: Path | None = None) -> dict:
    """What the traffic log stands for: ``requests_per_row`` real requests per row, the
    ``reasoning`` behind it and each feature's ``deployment`` (model, context and output tokens).

    >>> traffic_scale()["requests_per_row"] >= 1
    True
    """
    return json.loads(_file(world_dir, paths.WORLD_DIR, "traffic_meta.json").read_text(encoding="utf-8"))


def load_pairs(*, include_hidden: bool = False, world_dir: Path | None = None,
               hidden_dir: Path | None = None) -> pd.DataFrame:
    """Labelled question pairs: ``pair_id, q1, q2, label, split``.

    >>> sorted(load_pairs()["label"].unique())
    ['near_miss', 'paraphrase', 'unrelated']
    """
    records = _records(_file(world_dir, paths.WORLD_DIR, "cache_pairs.jsonl"))
    if include_hidden:
        records += _records(_file(hidden_dir, paths.HIDDEN_DIR, "cache_pairs_hidden.jsonl"))
    return pd.DataFrame(records)


# -- scoring ----------------------------------------------------------------------------------

def is_correct(task: dict | str, text: str) -> bool:
    """True if ``text`` gives the gold answer (or an accepted variant) and no wrong answer.

    >>> task = {"answer": "3,95 €", "accepted": ["3,95 euros"], "wrong_answers": ["5,95 €"]}
    >>> is_correct(task, "El envío cuesta 3,95€."), is_correct(task, "Son 5,95 €.")
    (True, False)
    >>> is_correct(task, "Puede ser 3,95 € o 5,95 €.")
    False
    """
    if isinstance(task, str):
        task = get_task(task)
    norm = normalize(text)
    golds = [task["answer"], *list(task.get("accepted") or [])]
    found = False
    for gold in golds:
        if contains(norm, gold, normalized=True):
            found = True
            norm = replace_phrase(norm, gold)
    if not found:
        return False
    return not any(contains(norm, w, normalized=True) for w in task.get("wrong_answers") or [])


def missing_facts(task: dict | str, text: str, *, facts: pd.DataFrame | None = None) -> list[str]:
    """The task's fact ids whose keywords are not all present in ``text`` (e.g. a trimmed prompt).

    >>> missing_facts({"fact_ids": ["F-ENV-008"]}, "Canarias: 9,95 €"), missing_facts({"fact_ids": ["F-ENV-008"]}, "")
    ([], ['F-ENV-008'])
    """
    if isinstance(task, str):
        task = get_task(task)
    facts = load_facts() if facts is None else facts
    keywords = dict(zip(facts["fact_id"], facts["keywords"]))
    norm = normalize(text)
    return [f for f in task.get("fact_ids") or [] if not fact_in_text(keywords[f], norm, normalized=True)]
