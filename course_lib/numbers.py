"""Numbers the way a Spanish reader reads them: decimal comma, thousands with a point.

Every figure the course shows a learner (notebook prints, grader hints, CLI
tables, the cost report) goes through these helpers, which format with Babel's
CLDR data for the ``es_ES`` locale:

* :func:`num` — a number with a fixed count of decimals (``1.234,50``);
* :func:`count` — a whole number (``12.345``);
* :func:`tokens` — a token count with its unit (``12.345 tokens``);
* :func:`usd` — an amount of money in US dollars (``2.345,67 USD``);
* :func:`pct` — a fraction as a percentage (``0.723`` → ``72,3 %``);
* :func:`points` — a difference of two accuracies in accuracy points
  (``0.05`` → ``5,0 puntos``), the unit of every quality margin in the course.

Two decisions, stated once:

* **Grouping from four digits.** CLDR's ``es`` data says not to group numbers
  of four digits (``minimumGroupingDigits = 2``: «7987», «12.345»). A Spanish
  reader of a bill or a table expects «7.987» beside «12.345», so these
  helpers always group thousands, whatever the number of digits (the explicit
  ``#,##0`` patterns below; Babel does not apply the minimum either).
* **Plain spaces and half-up rounding.** The unit follows after an ordinary
  space (``72,3 %``, ``2,67 USD``; CLDR would put a no-break space, which a
  test or a ``grep`` then fails to match), and rounding is half up, as on a
  bill (``2,675`` → ``2,68``), not Babel's half-even.

Money stays :class:`~decimal.Decimal` until it is printed: the helpers accept
``int``, ``float`` and ``Decimal`` (and NumPy scalars) and never change the
value they are given. They do not parse numbers back from text
(``course_lib.text`` compares texts) nor convert currencies.
"""

from __future__ import annotations

import numbers as _abc
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_decimal

LOCALE = "es_ES"
"""The CLDR locale of every figure a learner reads."""


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (_abc.Real, Decimal)):
        raise TypeError(f"Se esperaba un número (int, float o Decimal), no {type(value).__name__}: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, _abc.Integral):
        result = Decimal(int(value))
    else:
        result = Decimal(repr(float(value)))
    if not result.is_finite():
        raise ValueError(f"No se puede escribir {value!r} como cifra: no es un número finito")
    return result


def _pattern(decimals: int) -> str:
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise ValueError(f"decimals debe ser un entero entre 0 y 12, no {decimals!r}")
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _format(value: Decimal, decimals: int) -> str:
    pattern = _pattern(decimals)
    try:
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # more digits than the context's precision
        raise ValueError(f"El número {value} es demasiado grande para escribirlo") from exc
    if rounded == 0:
        rounded = abs(rounded)  # no «-0,00»
    return format_decimal(rounded, format=pattern, locale=LOCALE)


def num(value: float | Decimal, *, decimals: int = 2) -> str:
    """``value`` with ``decimals`` decimals, a decimal comma and thousands grouped.

    >>> num(2.6712)
    '2,67'
    >>> num(7987.5, decimals=1)
    '7.987,5'
    >>> num(Decimal("1234567.125"), decimals=2)
    '1.234.567,13'
    >>> num(-0.001)
    '0,00'
    """
    return _format(_decimal(value), decimals)


def count(value: int | float | Decimal) -> str:
    """A whole number with its thousands grouped (rounded half up if it has decimals).

    >>> count(7987)
    '7.987'
    >>> count(12345)
    '12.345'
    >>> count(999)
    '999'
    """
    return _format(_decimal(value), 0)


def tokens(value: int) -> str:
    """A token count with its unit: «1 token», «7.987 tokens».

    >>> tokens(1)
    '1 token'
    >>> tokens(7987)
    '7.987 tokens'
    """
    text = count(value)
    return f"{text} token" if text == "1" else f"{text} tokens"


def usd(value: float | Decimal, *, decimals: int = 2) -> str:
    """An amount in US dollars: «2,67 USD»; use more ``decimals`` for a price per token or call.

    >>> usd(Decimal("2345.6712"))
    '2.345,67 USD'
    >>> usd(Decimal("0.000312"), decimals=6)
    '0,000312 USD'
    >>> usd(Decimal("2.675"))
    '2,68 USD'
    """
    return f"{num(value, decimals=decimals)} USD"


def pct(fraction: float | Decimal, *, decimals: int = 1) -> str:
    """A fraction written as a percentage: 0.723 → «72,3 %».

    >>> pct(0.723)
    '72,3 %'
    >>> pct(Decimal("0.2"), decimals=0)
    '20 %'
    >>> pct(12.5, decimals=0)
    '1.250 %'
    """
    return f"{num(_decimal(fraction) * 100, decimals=decimals)} %"


def points(difference: float | Decimal, *, decimals: int = 1) -> str:
    """A difference of two accuracies (fractions) in accuracy points: 0.05 → «5,0 puntos».

    >>> points(0.05)
    '5,0 puntos'
    >>> points(0.733 - 0.5, decimals=0)
    '23 puntos'
    >>> points(-0.01)
    '-1,0 puntos'
    >>> points(0.01, decimals=0)
    '1 punto'
    """
    text = num(_decimal(difference) * 100, decimals=decimals)
    return f"{text} punto" if text in ("1", "-1") else f"{text} puntos"
