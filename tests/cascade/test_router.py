"""The learned router: one attempt per call, explained decisions, scikit-learn's shape."""

import numpy as np
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


def test_does_scoring_one_request_give_the_batch_estimates(fitted, dev_sample):
    X = _table(dev_sample)
    batch = fitted.predict_proba(X).to_numpy()
    one = np.array([fitted.proba_one(row) for row in X.to_dict("records")])
    assert np.allclose(one, batch, atol=1e-9)


def test_does_it_score_through_scikit_learn_like_a_fitted_pipeline(fitted, dev_sample):
    """The folded weights are the logistic regressions': refit one with scikit-learn and compare."""
    from course_lib.cascade.router import _logistic

    train = world.load_tasks("train").head(300)
    X = _table(train.to_dict("records"))
    target = X["type"].isin(["intent", "extraction"]).to_numpy()
    scorer = fitted.scorer_
    est = _logistic(fitted.C_["gpt-4o-mini"], None).fit(scorer.design.transform(X), target)
    X_dev = _table(dev_sample)
    assert np.allclose(est.predict_proba(scorer.design.transform(X_dev))[:, 1],
                       fitted.predict_proba(X_dev)["gpt-4o-mini"], atol=1e-6)


def test_is_the_cross_validated_C_one_of_the_candidates(fitted):
    assert fitted.C_["gpt-4o-mini"] in fitted.Cs and "gpt-4.1" not in fitted.C_   # constant column


def test_is_the_explanation_in_the_pipeline_computed_only_when_asked(fitted, client, request_for, dev_sample):
    seen = {}

    def spy(call, call_next):
        response = call_next(call)
        seen["decision"] = call.notes["router"]
        return response

    client.pipeline.use(fitted.middleware(features=_table(dev_sample)), slot="router", name="r")
    client.pipeline.use(spy, slot="router", name="spy")
    client.chat.completions.create(**request_for(dev_sample[0]))
    decision = seen["decision"]
    assert decision.model == client.ledger.records()[0].model == decision["modelo"]
    assert decision.explain()["modelo"] == decision.model and decision.explain()["rasgos"]


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
