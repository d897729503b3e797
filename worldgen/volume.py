"""When requests happen: 12 weeks of volume with growth, seasonality and anomalies.

Volume grows linearly, follows the hour of day in Madrid (office features in
working hours, customer features peaking in the evening) and the day of the
week, with two anomalies: a retry loop in the e-mail campaign tool on day 40
(added by :mod:`.traffic`) and a push-notification surge in the app on day 75.
This module only produces timestamps per feature; it does not choose texts.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from .scenario import START_DATE

DAYS, PUBLIC_DAYS = 84, 63
BASE_PER_DAY, GROWTH = 300, 0.011
SPIKE_DAY, SURGE_DAY = 40, 75
SURGE_FEATURE, SURGE_EXTRA = "asistente_app", 900
HOURS = {"consumer": [2, 1, 1, 1, 1, 2, 4, 8, 12, 15, 17, 18, 18, 16, 14, 13, 14, 16, 19, 22, 24, 21, 14, 6],
         "office": [0, 0, 0, 0, 0, 0, 1, 4, 16, 24, 25, 25, 22, 12, 16, 22, 21, 18, 10, 3, 1, 1, 0, 0]}
WEEKDAY = {"consumer": [1.0, 1.04, 1.02, 0.98, 0.93, 0.78, 0.86], "office": [1.1, 1.12, 1.1, 1.08, 1.0, 0.12, 0.05]}


def madrid_to_utc(day: int, local_hour: int, minute: int, second: int) -> datetime:
    """Europe/Madrid local time on day ``day`` to UTC (CET; CEST from 29 March 2026 01:00 UTC).

    >>> madrid_to_utc(0, 9, 0, 0).isoformat(), madrid_to_utc(83, 21, 0, 0).isoformat()
    ('2026-01-05T08:00:00+00:00', '2026-03-29T19:00:00+00:00')
    """
    start = datetime.fromisoformat(START_DATE).replace(tzinfo=timezone.utc)
    t = start + timedelta(days=day, hours=local_hour - 1, minutes=minute, seconds=second)
    return t - timedelta(hours=1) if t >= datetime(2026, 3, 29, 1, tzinfo=timezone.utc) else t


def schedule(rng: random.Random, shares: dict[str, tuple[float, str]]) -> list[tuple[datetime, str, int]]:
    """``(utc time, feature, day)`` of every request; ``shares`` maps feature → (share, profile)."""
    events = []
    for day in range(DAYS):
        weekday = (datetime.fromisoformat(START_DATE) + timedelta(days=day)).weekday()
        total = BASE_PER_DAY * (1 + GROWTH * day) * rng.uniform(0.93, 1.07)
        for feature, (share, profile) in shares.items():
            n = round(total * share * WEEKDAY[profile][weekday])
            if day == SURGE_DAY and feature == SURGE_FEATURE:
                n += SURGE_EXTRA
            for _ in range(n):
                hour = rng.choices(range(24), HOURS[profile])[0]
                if day == SURGE_DAY and feature == SURGE_FEATURE and rng.random() < 0.75:
                    hour = rng.choice([19, 20, 21])
                events.append((madrid_to_utc(day, hour, rng.randrange(60), rng.randrange(60)), feature, day))
    return sorted(events, key=lambda e: (e[0], e[1]))
