"""Does anything graders keep hidden show up in a public file?"""

import json

import pytest

from course_lib.course import world
from course_lib.paths import WORLD_DIR


@pytest.fixture(scope="module")
def hidden_tasks():
    return world.load_tasks("test", include_hidden=True)


@pytest.fixture(scope="module")
def public_text():
    """Every public world file as one string (decompressed)."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(WORLD_DIR.glob("*.jsonl"))]
    parts.append(world.load_traffic().to_csv(index=False))
    return "\n".join(parts)


def test_public_task_file_holds_no_test_split(hidden_tasks):
    public = world.load_tasks()
    assert "test" not in set(public["split"])
    assert not set(public["task_id"]) & set(hidden_tasks["task_id"])
    assert not set(public["question"]) & set(hidden_tasks["question"])
    assert not set(public["group_id"]) & set(hidden_tasks["group_id"])


def test_no_test_task_id_or_question_appears_in_any_public_file(hidden_tasks, public_text):
    for task_id in hidden_tasks["task_id"]:
        assert task_id not in public_text, task_id
    public_traffic = set(world.load_traffic()["text"])
    pairs = world.load_pairs()
    public_questions = public_traffic | set(pairs["q1"]) | set(pairs["q2"])
    leaked = set(hidden_tasks["question"]) & public_questions
    assert not leaked, sorted(leaked)[:3]
    # the JSON-escaped question is not in the public files either
    for question in hidden_tasks["question"]:
        assert json.dumps(question, ensure_ascii=False)[1:-1] not in public_text


def test_public_traffic_only_links_train_and_dev_tasks():
    public = world.load_traffic()
    tasks = world.load_tasks()
    linked = set(public.loc[public["task_id"] != "", "task_id"])
    assert linked <= set(tasks["task_id"])


def test_hidden_traffic_is_a_later_disjoint_slice():
    public, both = world.load_traffic(), world.load_traffic(include_hidden=True)
    hidden = both[both["split"] == "hidden"]
    assert len(hidden) >= 5000
    assert not set(hidden["request_id"]) & set(public["request_id"])
    assert hidden["ts"].min() > public["ts"].max()


def test_hidden_pairs_share_no_text_with_public_pairs():
    public = world.load_pairs()
    both = world.load_pairs(include_hidden=True)
    hidden = both[both["split"] == "test"]
    public_texts = set(public["q1"]) | set(public["q2"])
    assert not (set(hidden["q1"]) | set(hidden["q2"])) & public_texts
    assert not set(hidden["pair_id"]) & set(public["pair_id"])
