"""Alerts: what a crossed threshold (or a worrying forecast) tells the people who pay.

An :class:`Alert` is a plain record with a Spanish message. Its identity is
``(budget, period_start, kind, threshold)``: the budget store keeps that key
unique, so each threshold fires once per period, at the request that crosses
it, re-arms when the period resets, and does not fire again after a restart.

>>> a = Alert(budget="ecommerce-mes", kind="threshold", threshold=Decimal("0.8"),
...           period="2026-03", period_start=0.0, spent=Decimal("2412.5"), limit=Decimal("3000"),
...           ts=1_773_000_000.0, scope="equipo ecommerce, 3.000 USD al mes (Europe/Madrid)")
>>> a.message
'Presupuesto «ecommerce-mes» (equipo ecommerce, 3.000 USD al mes (Europe/Madrid)): 80 % alcanzado en 2026-03 — gastado 2.412,50 USD de 3.000,00 USD.'
>>> Alert.from_dict(a.to_dict()) == a
True

Delivering alerts is the dispatcher's job (``course_lib.budgets.notify``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["threshold", "forecast"]


def usd(amount: Decimal, digits: int = 2) -> str:
    """``Decimal('2412.5')`` → ``'2.412,50 USD'`` (``course_lib.numbers``: Spanish figures).

    >>> usd(Decimal("0.004")), usd(Decimal("0.0001"), 4)
    ('0,00 USD', '0,0001 USD')
    """
    from course_lib import numbers
    return numbers.usd(Decimal(amount), decimals=digits)


def percent(share: Decimal) -> str:
    """``0.8`` → ``'80 %'``, ``0.125`` → ``'12,5 %'``."""
    from course_lib import numbers
    value = Decimal(share) * 100
    return numbers.pct(share, decimals=0 if value == value.to_integral_value() else 1)


@dataclass(frozen=True)
class Alert:
    """One alert. ``threshold`` is a share of the limit; for a forecast alert, ``day`` is the
    date the forecast crosses the limit and ``forecast`` the projected spend of the period."""

    budget: str
    kind: Kind
    threshold: Decimal
    period: str
    period_start: float
    spent: Decimal
    limit: Decimal
    ts: float
    scope: str = ""
    request_id: str = ""
    day: str = ""
    forecast: Decimal | None = None

    @property
    def key(self) -> tuple:
        return (self.budget, self.period_start, self.kind, str(self.threshold))

    @property
    def message(self) -> str:
        head = f"Presupuesto «{self.budget}»" + (f" ({self.scope})" if self.scope else "")
        if self.kind == "forecast":
            return (f"{head}: a este ritmo se supera el límite de {usd(self.limit)} el {self.day} "
                    f"(previsión del periodo {self.period}: {usd(self.forecast or 0)}; "
                    f"gastado hasta ahora {usd(self.spent)}).")
        return (f"{head}: {percent(self.threshold)} alcanzado en {self.period} — gastado "
                f"{usd(self.spent)} de {usd(self.limit)}.")

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in ("threshold", "spent", "limit", "forecast"):
            data[name] = None if data[name] is None else str(data[name])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Alert:
        data = dict(data)
        for name in ("threshold", "spent", "limit"):
            data[name] = Decimal(data[name])
        if data.get("forecast") is not None:
            data["forecast"] = Decimal(data["forecast"])
        return cls(**data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    def slack_payload(self) -> dict:
        """A Slack-compatible incoming-webhook body (``text`` plus one ``section`` block)."""
        emoji = ":chart_with_upwards_trend:" if self.kind == "forecast" else (
            ":rotating_light:" if self.threshold >= 1 else ":warning:")
        return {"text": f"{emoji} {self.message}",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"{emoji} {self.message}"}}],
                "costlab_alert": self.to_dict()}
