"""Edge vs cloud: what a model on the shop's own hardware costs, and when it pays off.

A cloud model bills per token, so its monthly cost grows with the volume. An
edge model (a small open-weights model on a rented or owned GPU box) has no
per-token price but a fixed hourly cost for the hardware, paid whether it
answers or not, and a capacity: beyond ``requests_per_hour`` you need another
box. :class:`EdgeCost` gives the monthly bill for a volume;
:func:`break_even` the monthly volume from which the edge box is cheaper than
a cloud model of a given cost per request. :meth:`EdgeCost.from_card` reads
the box from an edge model's card (the simulator's catalogue has one,
``tienda-edge-8b``: lower skill, its own latency, an hourly hardware cost);
:func:`edge_price` is the zero per-token entry that lets the client's
``PriceBook`` record its calls as priced at zero rather than unknown.

What this leaves out: electricity and staff, quantization choices, and the
quality difference, which the evaluation measures separately.

>>> box = EdgeCost(hourly=Decimal("1.20"), requests_per_hour=3600)
>>> box.monthly(100_000), box.monthly(3_000_000)
(Decimal('876.00'), Decimal('1752.00'))
>>> break_even(box, cloud_per_request=Decimal("0.0005"))
1752000
>>> break_even(box, cloud_per_request=Decimal("0.0003")) is None   # cheaper than a full box
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

HOURS_PER_MONTH = 730


@dataclass(frozen=True)
class EdgeCost:
    """Fixed hourly hardware cost and how many requests one box serves per hour."""

    hourly: Decimal
    requests_per_hour: int
    hours_per_month: int = HOURS_PER_MONTH

    def __post_init__(self):
        object.__setattr__(self, "hourly", Decimal(str(self.hourly)))
        if self.hourly < 0 or self.requests_per_hour <= 0 or self.hours_per_month <= 0:
            raise ValueError("EdgeCost necesita un coste por hora >= 0 y una capacidad y unas horas "
                             "al mes positivas.")

    @classmethod
    def from_card(cls, card: dict) -> "EdgeCost":
        """The box of an edge model's card (``client.models.retrieve(m).model_extra``: the
        simulator's catalogue gives an edge model a ``hardware`` cost instead of token prices).

        >>> EdgeCost.from_card({"hardware": {"usd_per_hour": 0.35, "requests_per_hour": 6000}}).hourly
        Decimal('0.35')
        """
        hardware = (card or {}).get("hardware")
        if not hardware:
            raise ValueError("Esta ficha de modelo no tiene coste de hardware ('hardware'): no es un "
                             "modelo edge; los modelos de la nube cobran por token.")
        return cls(hourly=Decimal(str(hardware["usd_per_hour"])),
                   requests_per_hour=int(hardware["requests_per_hour"]))

    @property
    def capacity(self) -> int:
        """Requests one box serves in a month."""
        return self.requests_per_hour * self.hours_per_month

    def boxes(self, monthly_requests: int) -> int:
        return max(1, math.ceil(monthly_requests / self.capacity))

    def monthly(self, monthly_requests: int) -> Decimal:
        """USD per month for ``monthly_requests`` (always at least one box running)."""
        return self.hourly * self.hours_per_month * self.boxes(monthly_requests)

    def per_request(self, monthly_requests: int) -> Decimal:
        return self.monthly(monthly_requests) / max(1, monthly_requests)


def cloud_monthly(cloud_per_request: Decimal, monthly_requests: int) -> Decimal:
    """USD per month on a cloud model."""
    return Decimal(str(cloud_per_request)) * monthly_requests


def break_even(edge: EdgeCost, *, cloud_per_request: Decimal, max_requests: int = 10**10) -> int | None:
    """Smallest monthly volume at which the edge box costs no more than the cloud.

    ``None`` when the cloud is cheaper at every volume up to ``max_requests``
    (a cloud request cheaper than the box's cost per request at full load).
    """
    per_request = Decimal(str(cloud_per_request))
    if per_request <= 0:
        return None
    one_box = edge.hourly * edge.hours_per_month
    volume = math.ceil(one_box / per_request)
    while volume <= max_requests:
        if edge.monthly(volume) <= cloud_monthly(per_request, volume):
            return volume
        volume = edge.boxes(volume) * edge.capacity + 1   # next box: try right after it starts
        volume = max(volume, math.ceil(edge.monthly(volume) / per_request))
    return None


def edge_price(model: str, *, context_window: int = 8_192):
    """A zero per-token ``ModelPrice`` for an edge model (provider ``"local"``)."""
    from course_lib.pricing import ModelPrice

    return ModelPrice(model, input=Decimal(0), output=Decimal(0), cached_input=Decimal(0),
                      context_window=context_window, provider="local", mode="chat")
