"""A budget: a spending limit for one scope over a calendar period, with soft thresholds.

``Budget(name="ecommerce-mes", scope="team", value="ecommerce", period="month",
limit="3000", tz="Europe/Madrid")`` caps what team *ecommerce* spends each
month (Madrid calendar). ``thresholds`` are the shares of the limit at which an
alert fires once per period (by default 50 %, 80 % and 100 %). ``on_cap`` says
what the guard does when a call would go over the limit: ``"refuse"`` (a clear
Spanish error) or ``"degrade"`` (retry the reservation with ``degrade_to``, a
cheaper model). ``hard=False`` makes a soft budget: it alerts, never refuses.
``scope="organization"`` covers every call.

>>> b = Budget(name="app", scope="feature", value="asistente_app", period="day", limit="50")
>>> b.applies({"feature": "asistente_app", "team": "ecommerce"}), b.applies({"feature": "chat_web"})
(True, False)
>>> b.thresholds
(Decimal('0.5'), Decimal('0.8'), Decimal('1'))

It only describes the budget; what has been spent lives in the budget store.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from .periods import Period, check_period, zone

Scope = Literal["organization", "team", "user", "feature", "key"]
SCOPES: tuple[str, ...] = ("organization", "team", "user", "feature", "key")
OnCap = Literal["refuse", "degrade"]
_ATTRIBUTE = {"team": "team", "user": "user", "feature": "feature", "key": "api_key_id"}


def _money(value, what: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what} debe ser una cantidad en USD, no {value!r}.") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{what} debe ser un número finito ≥ 0, no {value!r}.")
    return amount


@dataclass(frozen=True)
class Budget:
    """A limit in USD for ``scope`` = ``value`` per ``period`` in time zone ``tz``."""

    name: str
    limit: Decimal
    scope: Scope = "organization"
    value: str = ""
    period: Period = "month"
    tz: str = "UTC"
    thresholds: tuple = (Decimal("0.5"), Decimal("0.8"), Decimal("1"))
    on_cap: OnCap = "refuse"
    degrade_to: str = ""
    hard: bool = True

    def __post_init__(self):
        if not self.name or any(c in self.name for c in "\n\t"):
            raise ValueError("Un presupuesto necesita un nombre (name=) de una línea.")
        if self.scope not in SCOPES:
            raise ValueError(f"Ámbito desconocido {self.scope!r}: usa uno de {', '.join(SCOPES)}.")
        if self.scope != "organization" and not self.value:
            raise ValueError(f"El presupuesto {self.name!r} de ámbito {self.scope!r} necesita value= "
                             f"(qué {self.scope}).")
        check_period(self.period)
        zone(self.tz)
        object.__setattr__(self, "limit", _money(self.limit, "limit"))
        shares = sorted({_money(t, "Cada umbral") for t in self.thresholds})
        if not shares or shares[0] <= 0:
            raise ValueError("Los umbrales son fracciones del límite mayores que 0 (p. ej. 0.5, 0.8, 1).")
        object.__setattr__(self, "thresholds", tuple(shares))
        if self.on_cap not in ("refuse", "degrade"):
            raise ValueError(f"on_cap={self.on_cap!r}: usa 'refuse' (rechazar) o 'degrade' (modelo barato).")
        if self.on_cap == "degrade" and not self.degrade_to:
            raise ValueError(f"El presupuesto {self.name!r} degrada al llegar al tope: indica "
                             "degrade_to= (el modelo barato).")

    def applies(self, attribution: dict) -> bool:
        """Does a call with this attribution (``team``, ``user``, ``feature``, ``api_key_id``) count?"""
        if self.scope == "organization":
            return True
        return str(attribution.get(_ATTRIBUTE[self.scope]) or "") == self.value

    def threshold_amount(self, share: Decimal) -> Decimal:
        """The USD amount at which threshold ``share`` is crossed."""
        return self.limit * share

    def describe(self) -> str:
        """Spanish one-liner: ``equipo ecommerce, 3.000 USD al mes (Europe/Madrid)``."""
        what = {"organization": "organización", "team": f"equipo {self.value}",
                "user": f"usuario {self.value}", "feature": f"funcionalidad {self.value}",
                "key": f"clave {self.value}"}[self.scope]
        per = {"day": "al día", "week": "a la semana", "month": "al mes"}[self.period]
        from course_lib import numbers
        exponent = self.limit.normalize().as_tuple().exponent
        return f"{what}, {numbers.num(self.limit, decimals=max(0, -int(exponent)))} USD {per} ({self.tz})"
