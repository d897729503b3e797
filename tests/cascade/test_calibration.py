"""Threshold calibration on replayed runs."""

from decimal import Decimal

import pytest

from course_lib.cascade import CalibrationError, calibrate, outcome, report, threshold_for_share

D = Decimal
WEAK = [(i % 3 != 0, (i * 37 % 100) / 100, D("0.001")) for i in range(100)]
STRONG = [(True, 0.9, D("0.01"))] * 100
RUNS = {"debil": WEAK, "fuerte": STRONG}


@pytest.mark.parametrize("share", [0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
def test_does_a_share_target_land_on_its_calibration_split(share):
    thresholds = calibrate(RUNS, ["debil", "fuerte"], target_share=share)
    assert outcome(RUNS, ["debil", "fuerte"], thresholds).share == pytest.approx(share, abs=0.011)


def test_is_an_accuracy_target_met_at_the_lowest_cost():
    thresholds = calibrate(RUNS, ["debil", "fuerte"], target_accuracy=0.8)
    best = outcome(RUNS, ["debil", "fuerte"], thresholds)
    assert best.accuracy >= 0.8
    # Brute force over every possible threshold: nothing cheaper reaches 0.8.
    for t in sorted({c for _, c, _ in WEAK} | {0.0, 1.0}):
        other = outcome(RUNS, ["debil", "fuerte"], [t])
        assert other.accuracy < 0.8 or other.cost >= best.cost


def test_does_an_unreachable_target_say_what_to_do():
    with pytest.raises(CalibrationError, match="Baja el objetivo"):
        calibrate({"debil": WEAK, "fuerte": WEAK}, ["debil", "fuerte"], target_accuracy=0.99)


def test_does_the_report_show_where_another_split_lands():
    shifted = {"debil": [(c, min(1.0, conf + 0.2), k) for c, conf, k in WEAK], "fuerte": STRONG}
    rep = report(RUNS, shifted, ["debil", "fuerte"], target_share=0.3)
    assert rep.calibrated.share == pytest.approx(0.3, abs=0.011)
    assert rep.other.share < rep.calibrated.share and rep.drift()["cuota_fuerte"] < 0


def test_is_a_three_rung_share_target_met():
    runs = {**RUNS, "medio": [(i % 5 != 0, (i * 53 % 100) / 100, D("0.003")) for i in range(100)]}
    thresholds = calibrate(runs, ["debil", "medio", "fuerte"], target_share=0.2)
    assert outcome(runs, ["debil", "medio", "fuerte"], thresholds).share == pytest.approx(0.2, abs=0.03)


def test_is_a_share_outside_zero_one_refused():
    with pytest.raises(CalibrationError, match="entre 0 y 1"):
        threshold_for_share([0.5], 1.5)
