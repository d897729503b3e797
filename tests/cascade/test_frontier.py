"""The single-model Pareto frontier."""

from course_lib.cascade.frontier import (Point, beats_frontier, cheapest_at_least, dominating,
                                         pareto_frontier)

MODELS = [Point("nano", 2.2, 0.62), Point("4o-mini", 3.3, 0.68), Point("4.1-mini", 8.9, 0.74),
          Point("5-mini", 159.7, 0.80), Point("4.1", 44.5, 0.85), Point("4o", 55.5, 0.86)]


def test_does_the_frontier_drop_a_dear_model_that_a_cheaper_one_beats():
    names = [p.name for p in pareto_frontier(MODELS)]
    assert names == ["nano", "4o-mini", "4.1-mini", "4.1", "4o"]


def test_is_a_single_model_never_strictly_above_a_frontier_that_holds_it():
    for p in MODELS:
        assert not beats_frontier(Point("copia", p.cost, p.accuracy), MODELS)


def test_does_a_cheap_accurate_strategy_beat_the_frontier():
    assert beats_frontier(Point("cascada", 20.0, 0.83), MODELS)
    assert [p.name for p in dominating(Point("mala", 50.0, 0.80), MODELS)] == ["4.1"]


def test_which_model_is_the_cheapest_to_reach_an_accuracy():
    assert cheapest_at_least(0.84, MODELS).name == "4.1"
    assert cheapest_at_least(0.99, MODELS) is None
