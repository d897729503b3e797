"""Routing metrics against hand-computed cases (RouteLLM's definitions)."""

import pytest

from course_lib.cascade.metrics import (MetricError, oracle_curve, pgr, random_curve,
                                        routing_curve)

WEAK = [True, False, False, True, False, True, False, False, True, False]     # 40 %
STRONG = [True, True, False, True, True, True, True, False, False, True]      # 70 %


def test_is_pgr_the_share_of_the_gap_recovered():
    assert pgr(0.55, weak=0.40, strong=0.70) == pytest.approx(0.5)
    assert pgr(0.40, weak=0.40, strong=0.70) == 0.0
    assert pgr(0.70, weak=0.40, strong=0.70) == pytest.approx(1.0)


def test_does_pgr_refuse_two_equally_good_models():
    with pytest.raises(MetricError, match="no está definida"):
        pgr(0.5, weak=0.6, strong=0.6)


def test_is_the_random_router_the_diagonal_with_apgr_one_half():
    curve = random_curve(WEAK, STRONG)
    assert curve.pgrs == pytest.approx([k / 10 for k in range(11)])
    assert curve.apgr() == pytest.approx(0.5)
    assert curve.cpt(0.5) == pytest.approx(0.5) and curve.cpt(0.8) == pytest.approx(0.8)


def test_does_the_oracle_recover_the_whole_gap_with_the_fewest_strong_calls():
    # Only tasks 2, 5, 7 and 10 (1-based) are solved by strong alone: 4 of 10.
    curve = oracle_curve(WEAK, STRONG)
    assert curve.accuracies[0] == pytest.approx(0.4)
    # After 4 strong calls: 0.4 + 4/10 = 0.8 > strong's 0.7, so PGR 4/3.
    assert curve.at_share(0.4) == pytest.approx(0.8)
    assert curve.cpt(1.0) == pytest.approx(0.3)   # 0.4 + 3/10 = 0.7 reaches PGR 1 at 30 %
    assert curve.cpt(0.5) == pytest.approx(0.2)   # 0.4 + 2/10 = 0.6: PGR 2/3


def test_is_apgr_the_trapezoid_area_of_a_hand_made_curve():
    # Scores put the 4 strong-only wins first, then the 1 weak-only, then the rest.
    scores = [0, 9, 1, 0, 9, 0, 9, 1, -5, 9]
    curve = routing_curve(scores, WEAK, STRONG)
    # Ties move together: shares 0, 0.4 (four 9s), 0.6 (two 1s), 0.7 (three 0s)… 1.0.
    assert curve.shares == (0.0, 0.4, 0.6, 0.9, 1.0)
    assert curve.accuracies == pytest.approx((0.4, 0.8, 0.8, 0.8, 0.7))
    p = [0, 4 / 3, 4 / 3, 4 / 3, 1]
    expected = 0.4 * (p[0] + p[1]) / 2 + 0.2 * (p[1] + p[2]) / 2 + 0.3 * (p[2] + p[3]) / 2 \
        + 0.1 * (p[3] + p[4]) / 2
    assert curve.apgr() == pytest.approx(expected)


def test_does_a_router_that_sends_the_wrong_ones_do_worse_than_random():
    anti = [-s for s in [0, 9, 1, 0, 9, 0, 9, 1, -5, 9]]
    assert routing_curve(anti, WEAK, STRONG).apgr() < random_curve(WEAK, STRONG).apgr()


def test_are_mismatched_lengths_a_clear_error():
    with pytest.raises(MetricError, match="misma longitud"):
        routing_curve([1, 2], WEAK, STRONG)
