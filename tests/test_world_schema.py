"""Is every world file well formed, consistent and as large and varied as the course needs?"""

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from course_lib.course import world
from course_lib.tokens import count_tokens


@pytest.fixture(scope="module")
def docs():
    return world.load_documents()


@pytest.fixture(scope="module")
def facts():
    return world.load_facts()


@pytest.fixture(scope="module")
def tasks():
    return world.load_tasks(include_hidden=True)


@pytest.fixture(scope="module")
def traffic():
    return world.load_traffic(include_hidden=True)


@pytest.fixture(scope="module")
def pairs():
    return world.load_pairs(include_hidden=True)


# -- knowledge base -----------------------------------------------------------------------------

def test_knowledge_base_is_long_enough_for_context_choices(docs):
    assert len(docs) >= 25 and docs["doc_id"].is_unique
    assert sum(count_tokens(t) for t in docs["text"]) >= 30_000
    assert docs["category"].nunique() >= 6


def test_every_fact_is_verbatim_in_its_document_with_its_keywords(docs, facts):
    assert facts["fact_id"].is_unique
    assert facts["fact_id"].str.fullmatch(r"F-[A-Z]{3}-\d{3}").all()
    text_of = dict(zip(docs["doc_id"], docs["text"]))
    for fact in facts.itertuples():
        assert fact.text in text_of[fact.doc_id], fact.fact_id
        assert 1 <= len(fact.keywords) <= 4, fact.fact_id
        for keyword in fact.keywords:
            assert world.contains(fact.text, keyword), (fact.fact_id, keyword)


def test_keyword_sets_are_distinctive(facts):
    """No fact's keywords are all present in another fact's text."""
    for fact in facts.itertuples():
        others = facts[facts["fact_id"] != fact.fact_id]
        clash = [o.fact_id for o in others.itertuples() if world.fact_in_text(fact.keywords, o.text)]
        assert not clash, (fact.fact_id, clash)


def test_documents_carry_removable_boilerplate(docs):
    footer = "Información importante: los plazos, precios y condiciones"
    assert docs["text"].str.contains(footer, regex=False).all()


# -- tasks --------------------------------------------------------------------------------------

def test_task_bank_size_types_and_splits(tasks):
    assert len(tasks) >= 800 and tasks["task_id"].is_unique and tasks["question"].is_unique
    assert set(tasks["type"]) == set(world.TASK_TYPES)
    assert set(tasks["split"]) == {"train", "dev", "test"}
    assert (tasks.groupby("type")["split"].nunique() == 3).all()


def test_tasks_reference_existing_facts_and_valid_difficulty(tasks, facts):
    known = set(facts["fact_id"])
    assert all(set(ids) <= known for ids in tasks["fact_ids"])
    assert tasks.loc[tasks["type"].isin(["faq", "calculation", "multistep"]), "fact_ids"].map(len).ge(1).all()
    assert tasks["difficulty"].between(0, 1).all()
    required = {"n_words", "n_facts", "topic", "register", "variant", "has_numbers", "n_typos", "length"}
    assert all(required <= set(f) for f in tasks["features"])


def test_is_correct_accepts_every_gold_and_variant_and_rejects_every_wrong_answer(tasks):
    for task in tasks.to_dict("records"):
        assert world.is_correct(task, f"La respuesta es {task['answer']}."), task["task_id"]
        for accepted in task["accepted"]:
            assert world.is_correct(task, accepted), (task["task_id"], accepted)
        for wrong in task["wrong_answers"]:
            assert not world.is_correct(task, f"La respuesta es {wrong}."), (task["task_id"], wrong)


def test_questions_do_not_give_away_their_facts(tasks, facts):
    """At least one keyword of the needed facts is missing from the bare question."""
    keywords = dict(zip(facts["fact_id"], facts["keywords"]))
    for task in tasks[tasks["fact_ids"].map(len) > 0].to_dict("records"):
        assert world.missing_facts(task, task["question"], facts=facts), task["task_id"]


def test_a_meaning_never_crosses_splits(tasks):
    assert (tasks.groupby("group_id")["split"].nunique() == 1).all()


def test_difficulty_is_partly_but_not_perfectly_predictable(tasks):
    feats = pd.json_normalize(tasks["features"].tolist())
    x = pd.get_dummies(pd.concat([tasks[["type"]], feats[["n_words", "n_facts", "register", "variant",
                                                           "n_typos", "has_numbers"]]], axis=1)).astype(float)
    x["bias"] = 1.0
    y = tasks["difficulty"].to_numpy()
    train = (tasks["split"] == "train").to_numpy()
    coef, *_ = np.linalg.lstsq(x[train].to_numpy(), y[train], rcond=None)
    pred = x[~train].to_numpy() @ coef
    r2 = 1 - ((y[~train] - pred) ** 2).sum() / ((y[~train] - y[~train].mean()) ** 2).sum()
    assert 0.4 < r2 < 0.92, r2


def test_questions_are_varied_not_one_template(tasks):
    feats = pd.json_normalize(tasks["features"].tolist())
    assert set(feats["register"]) == {"formal", "neutral", "coloquial"}
    assert (feats["variant"] == "es-LatAm").mean() > 0.08
    assert feats["n_typos"].gt(0).mean() > 0.2
    assert feats["n_words"].min() <= 6 and feats["n_words"].max() >= 60
    openings = Counter(q.split()[0].lower().strip(",.:!¿") for q in tasks["question"])
    assert openings.most_common(1)[0][1] / len(tasks) < 0.2 and len(openings) >= 40


# -- traffic ------------------------------------------------------------------------------------

def test_traffic_has_the_contract_columns_and_values(traffic):
    assert list(traffic.columns) == ["ts", "request_id", "user_id", "team", "feature", "text", "task_id",
                                     "group_id", "relation", "split"]
    assert traffic["request_id"].is_unique
    assert set(traffic["relation"]) == set(world.RELATIONS)
    assert traffic["text"].str.len().gt(0).all()


def test_public_traffic_size_span_users_and_teams(traffic):
    public = traffic[traffic["split"] == "public"]
    assert len(public) >= 20_000
    assert public["ts"].dt.date.nunique() >= 60
    assert public["user_id"].nunique() >= 200
    assert public["team"].nunique() >= 5 and public["feature"].nunique() >= 5
    assert traffic.loc[traffic["split"] == "hidden", "ts"].min() > public["ts"].max()


def test_traffic_has_daily_and_weekly_seasonality_growth_and_a_spike(traffic):
    public = traffic[traffic["split"] == "public"]
    madrid = public["ts"].dt.tz_convert("Europe/Madrid") if _has_tzdata() else public["ts"] + pd.Timedelta(hours=1)
    by_hour = madrid.dt.hour.value_counts()
    assert by_hour.loc[[10, 11, 20, 21]].min() > 5 * by_hour.loc[[3, 4]].max()
    daily = public.groupby(public["ts"].dt.date).size()
    weekday = pd.Series(daily.values, index=pd.to_datetime(daily.index).day_of_week)
    assert weekday[weekday.index == 6].median() < 0.75 * weekday[weekday.index < 5].median()
    assert daily.iloc[-14:].median() > 1.3 * daily.iloc[:14].median()
    assert daily.max() > 3 * daily.median()


def _has_tzdata():
    try:
        pd.Timestamp("2026-01-05", tz="Europe/Madrid")
        return True
    except Exception:
        return False


def test_traffic_links_tasks_and_groups_consistently(traffic, tasks):
    task_group = dict(zip(tasks["task_id"], tasks["group_id"]))
    linked = traffic[traffic["task_id"] != ""]
    assert len(linked) > 0.5 * len(traffic)
    assert linked["task_id"].isin(task_group).all()
    assert (linked["task_id"].map(task_group) == linked["group_id"]).all()
    # a repeat is the exact text of an earlier request in the same group
    seen = set()
    for row in traffic[["group_id", "text", "relation"]].itertuples(index=False):
        if row.relation == "repeat":
            assert (row.group_id, row.text) in seen
        seen.add((row.group_id, row.text))


@pytest.mark.parametrize("a,b", [("Canarias", "Madrid"), ("PayPal", "Bizum"), ("90 días", "30 días")])
def test_traffic_contains_the_classic_near_misses(traffic, a, b):
    public = traffic[traffic["split"] == "public"]
    near = public[(public["relation"] == "near_miss") & public["text"].str.contains(a, regex=False)]
    swapped = set(public["text"])
    assert any(t.replace(a, b) in swapped for t in near["text"]), (a, b)


# -- pairs --------------------------------------------------------------------------------------

def test_pairs_are_labelled_and_split(pairs):
    assert len(pairs) >= 1500 and pairs["pair_id"].is_unique
    assert set(pairs["label"]) == set(world.PAIR_LABELS)
    assert pairs["label"].value_counts(normalize=True).min() > 0.2
    assert (pairs["q1"] != pairs["q2"]).all()
    assert (pairs["split"] == "test").sum() >= 500


def test_near_miss_pairs_often_differ_in_a_single_detail(pairs):
    near = pairs[pairs["label"] == "near_miss"]
    diff = [len(set(re.findall(r"\w+", a)) ^ set(re.findall(r"\w+", b))) for a, b in zip(near["q1"], near["q2"])]
    assert np.mean([d <= 4 for d in diff]) > 0.3
