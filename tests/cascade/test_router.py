"""The learned router: one attempt per call, explained decisions, scikit-learn's shape."""

import pandas as pd
import pytest

from course_lib.cascade import LearnedRouter, RouterNotFitted, evaluate
from course_lib.course import world


def _table(tasks):
    frame = pd.DataFrame(tasks)
    X = world.feature_table(frame)
    X.insert(0, "question", frame.set_index("task_id")["question"])
    return X


@pytest.fixture(scope="module")
def fitted():
    """Labels made from the task type (intent and extraction: the weak model suffices)."""
    train = world.load_tasks("train").head(300)
    X = _table(train.to_dict("records"))
    easy = X["type"].isin(["intent", "extraction"])
    y = pd.DataFrame({"gpt-4o-mini": easy, "gpt-4.1": True}, index=X.index)
    return LearnedRouter(ladder=["gpt-4o-mini", "gpt-4.1"], min_p=0.6).fit(X, y)


def test_does_the_router_learn_a_rule_it_can_see(fitted, dev_sample):
    X = _table(dev_sample)
    chosen = fitted.predict(X)
    expected = ["gpt-4o-mini" if t in ("intent", "extraction") else "gpt-4.1" for t in X["type"]]
    assert (chosen == expected).mean() >= 0.9


def test_does_an_explanation_name_the_features_that_pushed(fitted, dev_sample):
    why = fitted.explain(_table(dev_sample).iloc[0])
    assert set(why) == {"modelo", "probabilidades", "umbral", "decide", "rasgos"}
    assert why["rasgos"] and all(isinstance(name, str) for name, _ in why["rasgos"])


def test_is_a_routed_call_one_provider_attempt(fitted, client, request_for, dev_sample):
    result = evaluate(client, dev_sample, request=request_for, is_correct=world.is_correct,
                      strategy=fitted.middleware(features=_table(dev_sample)))
    assert sum(result.attempts.values()) == len(dev_sample)
    assert {o.models for o in result.outcomes} == {("gpt-4o-mini",), ("gpt-4.1",)}


def test_does_a_request_without_a_known_task_route_on_its_text(fitted, client):
    client.pipeline.use(fitted.middleware(), slot="router")
    client.chat.completions.create(model="x", messages=[{"role": "user", "content": "¿Cuánto cuesta el envío?"}])
    assert client.ledger.records()[0].model in ("gpt-4o-mini", "gpt-4.1")


def test_is_predicting_before_fitting_a_clear_error():
    with pytest.raises(RouterNotFitted, match="fit"):
        LearnedRouter(ladder=["a", "b"]).predict(pd.DataFrame({"question": ["hola"]}))


def test_are_missing_label_columns_named():
    with pytest.raises(ValueError, match="Faltan"):
        LearnedRouter(ladder=["a", "b"]).fit(pd.DataFrame({"question": ["x", "y"]}),
                                             pd.DataFrame({"a": [True, False]}))
