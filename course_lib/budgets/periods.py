"""Budget periods: the day, week or month a moment falls in, in the budget's time zone.

A budget resets at local midnight of its time zone (Monday for weeks, the 1st
for months), not at UTC midnight: a Madrid team's day starts at 23:00 UTC in
winter and 22:00 UTC in summer. Boundaries are computed with :mod:`zoneinfo`,
so daylight-saving days are 23 or 25 hours long, as they are on the wall.

>>> start, end = period_bounds(1_767_222_000, "month", "Europe/Madrid")  # 2025-12-31 23:00 UTC
>>> label(start, "month", "Europe/Madrid"), end - start == 31 * 86_400
('2026-01', True)

It only does calendar arithmetic; what is spent in a period is the store's job.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Period = Literal["day", "week", "month"]
PERIODS: tuple[str, ...] = ("day", "week", "month")


def zone(tz: str) -> ZoneInfo:
    """The ``ZoneInfo`` for ``tz``, with a Spanish error that names the fix.

    >>> zone("Marte/Olympus")
    Traceback (most recent call last):
    ...
    ValueError: Zona horaria desconocida 'Marte/Olympus': usa un nombre IANA como 'Europe/Madrid' o 'UTC'.
    """
    try:
        return ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"Zona horaria desconocida {tz!r}: usa un nombre IANA como "
                         "'Europe/Madrid' o 'UTC'.") from None


def check_period(period: str) -> str:
    if period not in PERIODS:
        raise ValueError(f"Periodo desconocido {period!r}: usa uno de {', '.join(PERIODS)}.")
    return period


def _local_start(moment: datetime, period: str) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        day -= timedelta(days=day.weekday())
    elif period == "month":
        day = day.replace(day=1)
    return day


def _next_local(start: datetime, period: str) -> datetime:
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month)


def period_bounds(ts: float, period: Period, tz: str = "UTC") -> tuple[float, float]:
    """``(start, end)`` in unix seconds of the ``period`` holding ``ts`` in time zone ``tz``.

    The end is exclusive and is the next period's start.

    >>> s, e = period_bounds(1_774_744_200, "day", "Europe/Madrid")   # 29 March 2026, DST day
    >>> (e - s) / 3600
    23.0
    """
    check_period(period)
    info = zone(tz)
    local = datetime.fromtimestamp(float(ts), info)
    # Wall-clock arithmetic on naive datetimes, then back to the zone: DST-safe.
    start = _local_start(local.replace(tzinfo=None), period)
    end = _next_local(start, period)
    return start.replace(tzinfo=info).timestamp(), end.replace(tzinfo=info).timestamp()


def label(ts: float, period: Period, tz: str = "UTC") -> str:
    """A readable name of the period holding ``ts``: ``2026-03-09``, ``2026-W11``, ``2026-03``.

    >>> label(1_773_014_400, "week", "UTC")
    '2026-W11'
    """
    start, _ = period_bounds(ts, period, tz)
    local = datetime.fromtimestamp(start, zone(tz))
    if period == "day":
        return local.strftime("%Y-%m-%d")
    if period == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.strftime("%Y-%m")
