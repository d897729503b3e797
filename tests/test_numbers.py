"""Do the course's figures read the Spanish way, whatever type the number comes in?"""

from decimal import Decimal

import numpy as np
import pytest

from course_lib.numbers import count, num, pct, points, tokens, usd


def test_are_four_digit_numbers_grouped_like_five_digit_ones():
    assert count(7987) == "7.987" and count(12345) == "12.345" and count(1234567) == "1.234.567"


def test_is_the_decimal_separator_a_comma():
    assert num(2.5) == "2,50" and usd(Decimal("2.67")) == "2,67 USD" and pct(0.5) == "50,0 %"


@pytest.mark.parametrize("value, expected", [(Decimal("2.675"), "2,68"), (Decimal("2.665"), "2,67"),
                                             (Decimal("-2.675"), "-2,68"), (0.125, "0,13")])
def test_is_rounding_half_up_as_on_a_bill(value, expected):
    assert num(value) == expected


def test_does_a_money_amount_keep_all_its_decimals_until_printed():
    price = Decimal("0.0000004")
    assert usd(price * 1_000_000) == "0,40 USD" and usd(price, decimals=7) == "0,0000004 USD"


def test_are_numpy_scalars_accepted():
    assert count(np.int64(7987)) == "7.987" and pct(np.float64(0.25), decimals=0) == "25 %"


def test_do_units_agree_in_number():
    assert tokens(1) == "1 token" and tokens(2) == "2 tokens"
    assert points(0.01, decimals=0) == "1 punto" and points(0.05) == "5,0 puntos"


def test_is_an_accuracy_difference_written_in_points_not_percent():
    assert points(0.733 - 0.683) == "5,0 puntos"


def test_is_there_no_negative_zero():
    assert num(-0.0001) == "0,00" and usd(Decimal("-0.001")) == "0,00 USD"


def test_is_the_unit_after_a_plain_space():
    assert "\xa0" not in usd(1) + pct(1) + tokens(5) + count(1234)


@pytest.mark.parametrize("bad", [None, "7", True, [1]])
def test_does_a_non_number_get_a_spanish_error(bad):
    with pytest.raises(TypeError, match="Se esperaba un número"):
        num(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN")])
def test_does_a_non_finite_number_get_a_spanish_error(bad):
    with pytest.raises(ValueError, match="no es un número finito"):
        num(bad)


@pytest.mark.parametrize("bad", [-1, 1.5, 13, True])
def test_are_bad_decimals_refused(bad):
    with pytest.raises(ValueError, match="decimals"):
        num(1, decimals=bad)
