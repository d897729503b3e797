"""Do the world loaders return the expected DataFrames, and does scoring behave?"""

import pandas as pd
import pytest

from course_lib.course import world


def test_documents_and_facts_have_the_contract_columns():
    assert list(world.load_documents().columns) == ["doc_id", "title", "category", "text"]
    facts = world.load_facts()
    assert list(facts.columns) == ["fact_id", "doc_id", "text", "keywords"]
    assert all(isinstance(k, list) for k in facts["keywords"])


def test_load_tasks_filters_by_split_and_keeps_test_hidden_by_default():
    public = world.load_tasks()
    assert set(public["split"]) == {"train", "dev"}
    assert set(world.load_tasks("dev")["split"]) == {"dev"}
    with pytest.raises(ValueError, match="oculto"):
        world.load_tasks("test")
    with pytest.raises(ValueError, match="Split desconocido"):
        world.load_tasks("validation")
    test = world.load_tasks("test", include_hidden=True)
    assert len(test) > 0 and set(test["split"]) == {"test"}
    assert {"task_id", "type", "question", "fact_ids", "answer", "accepted", "wrong_answers", "difficulty",
            "features"} <= set(public.columns)


def test_get_task_finds_public_and_hidden_tasks():
    hidden_id = world.load_tasks("test", include_hidden=True)["task_id"].iloc[0]
    assert world.get_task(hidden_id)["split"] == "test"
    with pytest.raises(KeyError):
        world.get_task("T-NOPE-0000")


def test_traffic_timestamps_are_utc_datetimes_and_task_ids_strings():
    traffic = world.load_traffic(include_hidden=True)
    assert str(traffic["ts"].dtype).startswith("datetime64") and str(traffic["ts"].dt.tz) == "UTC"
    assert traffic["task_id"].map(type).eq(str).all()
    assert set(traffic["split"]) == {"public", "hidden"}
    assert traffic["ts"].is_monotonic_increasing


def test_pairs_loader_adds_the_hidden_split_only_on_request():
    assert set(world.load_pairs()["split"]) == {"train", "dev"}
    assert set(world.load_pairs(include_hidden=True)["split"]) == {"train", "dev", "test"}


def test_missing_files_raise_a_spanish_hint(tmp_path):
    with pytest.raises(world.WorldDataError, match="make data"):
        world.load_tasks(world_dir=tmp_path)


@pytest.mark.parametrize("text,expected", [
    ("El envío a Canarias cuesta 9,95 €.", True),
    ("Son 9.95 euros", True),
    ("Cuesta 19,95 €", False),           # a longer number is not the gold
    ("Cuesta 5,95 €", False),            # a wrong answer
    ("9,95 € o quizá 5,95 €", False),    # gold plus a wrong answer
    ("No lo sé", False),
])
def test_is_correct_accepts_gold_and_rejects_wrong_answers(text, expected):
    task = {"answer": "9,95 €", "accepted": ["9,95 euros"], "wrong_answers": ["5,95 €", "3,95 €"]}
    assert world.is_correct(task, text) is expected


def test_is_correct_takes_a_task_id():
    task = world.load_tasks("train").iloc[0].to_dict()
    assert world.is_correct(task["task_id"], f"Respuesta: {task['answer']}")


def test_missing_facts_spots_a_trimmed_context():
    facts = world.load_facts()
    fact = facts.set_index("fact_id").loc["F-DEV-012"]
    task = {"fact_ids": ["F-DEV-012"]}
    assert world.missing_facts(task, fact["text"], facts=facts) == []
    assert world.missing_facts(task, "Texto sin el dato.", facts=facts) == ["F-DEV-012"]
    assert isinstance(facts, pd.DataFrame)


def test_feature_table_flattens_visible_features_only():
    tasks = world.load_tasks("dev")
    table = world.feature_table(tasks)
    assert list(table.index) == list(tasks["task_id"])
    assert not {"difficulty", "answer", "group_id", "question"} & set(table.columns)
    assert table["n_words"].dtype.kind == "i" and set(table["type"]) <= set(world.TASK_TYPES)
