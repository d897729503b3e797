"""Cascades and evaluation end to end: connect(isolated=True), the simulator, the ledger."""

from decimal import Decimal

import pytest

from course_lib.cascade import (Agreement, Cascade, CascadeConfigError, Verifier, evaluate,
                                measure_models, replay, runs_of)
from course_lib.course import world


def test_does_an_escalation_leave_two_ledger_rows_of_one_call(client, request_for, dev_sample):
    cascade = Cascade(ladder=["gpt-4.1-nano", "gpt-4.1"], thresholds=[1.0])   # always climbs
    client.pipeline.use(cascade, slot="router")
    client.chat.completions.create(**request_for(dev_sample[0]))
    rows = client.ledger.records()
    assert [(r.model, r.attempt) for r in rows] == [("gpt-4.1-nano", 1), ("gpt-4.1", 2)]
    assert len({r.call_id for r in rows}) == 1 and all(r.cost > 0 for r in rows)


def test_does_a_confident_answer_stop_at_the_first_rung(client, request_for, dev_sample):
    cascade = Cascade(ladder=["gpt-4o-mini", "gpt-4o"], thresholds=[0.0])      # never climbs
    client.pipeline.use(cascade, slot="router")
    client.chat.completions.create(**request_for(dev_sample[0]))
    assert [r.model for r in client.ledger.records()] == ["gpt-4o-mini"]


def test_does_the_evaluation_count_every_attempt(client, request_for, dev_sample):
    cascade = Cascade(ladder=["gpt-4o-mini", "gpt-4o"], thresholds=[0.7])
    result = evaluate(client, dev_sample, request=request_for, is_correct=world.is_correct,
                      strategy=cascade)
    rows = client.ledger.records()
    assert result.cost == sum((r.cost for r in rows), Decimal(0))
    assert sum(result.attempts.values()) == len(rows) > len(dev_sample)
    assert result.share_calling("gpt-4o") == pytest.approx(
        sum("gpt-4o" in o.models for o in result.outcomes) / len(dev_sample))
    assert sum(o.cost for o in result.outcomes) == result.cost
    assert result.latency_ms(0.95) >= result.latency_ms(0.5) > 0


def test_does_the_replay_agree_with_the_live_cascade(client, request_for, dev_sample):
    ladder, thresholds = ["gpt-4o-mini", "gpt-4.1-mini", "gpt-4o"], [0.75, 0.7]
    singles = measure_models(client, dev_sample, ladder,
                             request=lambda t: {**request_for(t), "logprobs": True},
                             is_correct=world.is_correct)
    replayed = replay(runs_of(singles), ladder, thresholds)
    live = evaluate(client, dev_sample, request=request_for, is_correct=world.is_correct,
                    strategy=Cascade(ladder=ladder, thresholds=thresholds))
    assert [r.models for r in replayed] == [o.models for o in live.outcomes]
    assert [r.correct for r in replayed] == live.correct
    assert sum(r.cost for r in replayed) == live.cost


def test_is_a_strategy_that_writes_the_answer_itself_scored_wrong(client, request_for, dev_sample):
    def forger(call, call_next):
        response = call_next(call)
        response.choices[0].message.content = "Texto inventado"
        return response

    result = evaluate(client, dev_sample[:5], request=request_for, is_correct=lambda t, a: True,
                      strategy=forger)
    assert result.forged == 5 and result.accuracy == 0.0


def test_are_agreement_samples_and_verifier_calls_billed(client, request_for, dev_sample):
    for scorer, extra_model in ((Agreement(n=3), "gpt-4o-mini"), (Verifier(judge="gpt-4.1-mini"),
                                                                   "gpt-4.1-mini")):
        cascade = Cascade(ladder=["gpt-4o-mini", "gpt-4o"], thresholds=[0.99], scorer=scorer,
                          name=f"c_{type(scorer).__name__}")
        before = len(client.ledger.records())
        result = evaluate(client, dev_sample[:4], request=request_for,
                          is_correct=world.is_correct, strategy=cascade)
        rows = client.ledger.records()[before:]
        assert result.attempts.get(extra_model, 0) >= 4 * (2 if extra_model == "gpt-4o-mini" else 1)
        assert result.cost == sum((r.cost for r in rows), Decimal(0))


def test_does_a_ladder_with_a_missing_threshold_say_so():
    with pytest.raises(CascadeConfigError, match="necesita 2 umbrales"):
        Cascade(ladder=["a", "b", "c"], thresholds=[0.5])


def test_does_a_reasoning_setting_apply_only_to_its_rung(client, request_for, dev_sample):
    cascade = Cascade(ladder=["gpt-5-mini@minimal", "gpt-4.1"], thresholds=[1.0])
    client.pipeline.use(cascade, slot="router")
    client.chat.completions.create(**request_for(dev_sample[0]))
    rows = client.ledger.records()
    assert [r.model for r in rows] == ["gpt-5-mini", "gpt-4.1"] and rows[1].reasoning_tokens == 0


def test_does_sending_tasks_in_parallel_measure_the_same(request_for, dev_sample):
    from course_lib import connect

    cascade = Cascade(ladder=["gpt-4o-mini", "gpt-4.1"], thresholds=[0.75])
    one = evaluate(connect(isolated=True), dev_sample, request=request_for, is_correct=world.is_correct,
                   strategy=cascade, workers=1)
    four = evaluate(connect(isolated=True), dev_sample, request=request_for, is_correct=world.is_correct,
                    strategy=cascade, workers=4)
    assert [(o.task_id, o.correct, o.cost, o.models) for o in one.outcomes] == \
        [(o.task_id, o.correct, o.cost, o.models) for o in four.outcomes]
    assert one.cost == four.cost and four.forged == 0
