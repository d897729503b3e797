"""Prices of LLM models and the cost of a usage record, in exact ``Decimal`` USD.

A ``PriceBook`` holds dated prices (USD per 1M tokens) for input, cached input
and output tokens. It loads the course's dated snapshot, LiteLLM's price-map
JSON, or prices you add by hand; a model can have several prices with
different effective dates, and a cost is computed at a given date. A provider's
dated snapshot names (``gpt-4o-2024-05-13``) are entries of their own, with
their own prices and ``snapshot_of`` naming the model; other dated names are
unknown models, like any other unknown name.

It does not fetch prices from the network, guess prices of unknown models, or
count tokens (that is ``course_lib.tokens``).

>>> book = PriceBook.default()
>>> book.cost("gpt-4o", Usage(input_tokens=1000, output_tokens=200))
Decimal('0.0045')
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from course_lib.paths import PRICES_DIR

ONE_MILLION = Decimal(1_000_000)
SNAPSHOT = PRICES_DIR / "prices_2025-09-05.json"


class UnknownModelError(KeyError):
    """Raised when a model has no price; the message names the closest models."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


@dataclass(frozen=True)
class ModelPrice:
    """Price of one model in USD per 1M tokens, valid from ``effective_from``."""

    model: str
    input: Decimal
    output: Decimal
    cached_input: Decimal | None = None
    context_window: int = 128_000
    provider: str = "custom"
    mode: Literal["chat", "embedding"] = "chat"
    batch_discount: Decimal = Decimal("0.5")
    effective_from: date = date(1970, 1, 1)
    snapshot_of: str | None = None      # a dated snapshot: the model it is a version of

    def __post_init__(self):
        for field in ("input", "output", "cached_input", "batch_discount"):
            value = getattr(self, field)
            if value is None:
                continue
            value = Decimal(str(value))  # accept int/float/str, store exact Decimal
            if value < 0:
                raise ValueError(f"El precio '{field}' de {self.model} no puede ser negativo: {value}")
            object.__setattr__(self, field, value)
        if self.cached_input is None:
            object.__setattr__(self, "cached_input", self.input)


@dataclass(frozen=True)
class Usage:
    """Tokens of one call, with OpenAI's semantics.

    ``input_tokens`` includes ``cached_tokens`` (it is ``prompt_tokens``) and
    ``output_tokens`` includes ``reasoning_tokens`` (it is ``completion_tokens``).
    """

    input_tokens: int
    output_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0

    def __post_init__(self):
        if min(self.input_tokens, self.output_tokens, self.cached_tokens, self.reasoning_tokens) < 0:
            raise ValueError("Los recuentos de tokens no pueden ser negativos.")
        if self.cached_tokens > self.input_tokens:
            raise ValueError("cached_tokens no puede superar input_tokens (los cacheados forman parte de la entrada).")
        if self.reasoning_tokens > self.output_tokens:
            raise ValueError("reasoning_tokens no puede superar output_tokens (el razonamiento se factura como salida).")

    @classmethod
    def from_openai(cls, usage) -> Usage:
        """Build from an SDK ``CompletionUsage`` (or its dict form).

        >>> Usage.from_openai({"prompt_tokens": 1200, "completion_tokens": 50,
        ...     "prompt_tokens_details": {"cached_tokens": 1024}})
        Usage(input_tokens=1200, output_tokens=50, cached_tokens=1024, reasoning_tokens=0)
        """
        data = usage if isinstance(usage, dict) else usage.model_dump()
        prompt_details = data.get("prompt_tokens_details") or {}
        completion_details = data.get("completion_tokens_details") or {}
        return cls(
            input_tokens=int(data.get("prompt_tokens") or 0),
            output_tokens=int(data.get("completion_tokens") or 0),
            cached_tokens=int(prompt_details.get("cached_tokens") or 0),
            reasoning_tokens=int(completion_details.get("reasoning_tokens") or 0),
        )


def cost_of(usage: Usage, price: ModelPrice, *, batch: bool = False) -> Decimal:
    """Exact cost in USD of ``usage`` at ``price``; batch applies the batch discount.

    >>> cost_of(Usage(2048, 100, cached_tokens=1024), ModelPrice("m", input=2, output=8, cached_input="0.5"))
    Decimal('0.00336')
    """
    uncached = usage.input_tokens - usage.cached_tokens
    total = (uncached * price.input + usage.cached_tokens * price.cached_input
             + usage.output_tokens * price.output) / ONE_MILLION
    return total * price.batch_discount if batch else total


def _as_date(when: date | datetime | str | None) -> date:
    if when is None:
        return date.today()
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, str):
        return date.fromisoformat(when[:10])
    return when


class PriceBook:
    """Dated prices of many models; immutable (``with_price`` returns a new book)."""

    def __init__(self, prices: list[ModelPrice] = (), *, source: str = "", as_of: str = ""):
        self.source, self.as_of = source, as_of
        self._prices: dict[str, list[ModelPrice]] = {}
        for price in prices:
            self._prices.setdefault(price.model, []).append(price)
        for versions in self._prices.values():
            versions.sort(key=lambda p: p.effective_from)

    # -- loading ---------------------------------------------------------

    @classmethod
    def default(cls) -> PriceBook:
        """The course snapshot shipped in ``data/prices`` (see its ``source``)."""
        return cls.from_file(SNAPSHOT)

    @classmethod
    def from_file(cls, path: str | Path) -> PriceBook:
        """Load the course's snapshot format (prices as strings, per 1M tokens)."""
        path = Path(path)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            since = date.fromisoformat(doc["as_of"])
            prices = [ModelPrice(model=name, effective_from=since, **fields)
                      for name, fields in doc["models"].items()]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"No se pudo leer el fichero de precios {path}: {exc}. "
                "Restaura el original con 'git checkout -- data/prices'.") from exc
        return cls(prices, source=doc.get("source", ""), as_of=doc["as_of"])

    @classmethod
    def from_litellm(cls, source: str | Path | dict, *, effective_from: date | str = date(1970, 1, 1)) -> PriceBook:
        """Load LiteLLM's price map (``model_prices_and_context_window.json``).

        Entries without per-token prices (images, audio…) are skipped.

        >>> book = PriceBook.from_litellm({"my-model": {"input_cost_per_token": 2.5e-06,
        ...     "output_cost_per_token": 1e-05, "litellm_provider": "openai", "mode": "chat"}})
        >>> book.get("my-model").input
        Decimal('2.5000000')
        """
        doc = source if isinstance(source, dict) else json.loads(Path(source).read_text(encoding="utf-8"))
        since = _as_date(effective_from)
        prices = []
        for name, entry in doc.items():
            if not isinstance(entry, dict) or "input_cost_per_token" not in entry:
                continue  # e.g. LiteLLM's "sample_spec" or non-token pricing
            per_m = lambda key: Decimal(str(entry[key])) * ONE_MILLION if entry.get(key) is not None else None
            mode = "embedding" if entry.get("mode") == "embedding" else "chat"
            prices.append(ModelPrice(
                model=name, input=per_m("input_cost_per_token"),
                output=per_m("output_cost_per_token") or Decimal(0),
                cached_input=per_m("cache_read_input_token_cost"),
                context_window=int(entry.get("max_input_tokens") or entry.get("max_tokens") or 0),
                provider=entry.get("litellm_provider", "unknown"), mode=mode, effective_from=since))
        return cls(prices, source="LiteLLM price map", as_of=since.isoformat())

    # -- queries ---------------------------------------------------------

    def models(self, *, mode: str | None = None, snapshots: bool = False) -> list[str]:
        """Known model names, optionally only ``"chat"`` or ``"embedding"`` ones.

        Dated snapshot names are left out unless ``snapshots=True``.

        >>> book = PriceBook.default()
        >>> "gpt-4o-2024-05-13" in book.models(snapshots=True), "gpt-4o-2024-05-13" in book.models()
        (True, False)
        """
        return sorted(m for m, v in self._prices.items() if (mode is None or v[-1].mode == mode)
                      and (snapshots or v[-1].snapshot_of is None))

    def closest(self, model: str, *, n: int = 3) -> list[str]:
        """The known names most like ``model`` (for "did you mean" messages).

        >>> PriceBook.default().closest("gpt-4o-mini-1999-99-99")
        ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'gpt-4.1-mini']
        """
        return difflib.get_close_matches(str(model), list(self._prices), n=n, cutoff=0.4)

    def __contains__(self, model: str) -> bool:
        return model in self._prices

    def get(self, model: str, *, at: date | datetime | str | None = None) -> ModelPrice:
        """The price of ``model`` in force at ``at`` (default: today).

        >>> book = PriceBook.default()
        >>> book.get("gpt-4o-2024-05-13").output, book.get("gpt-4o-2024-05-13").snapshot_of
        (Decimal('15.00'), 'gpt-4o')
        """
        versions = self._prices.get(model)
        if not versions:
            close = self.closest(model)
            hint = f" ¿Quisiste decir {', '.join(close)}?" if close else ""
            raise UnknownModelError(
                f"Modelo desconocido: '{model}'.{hint} Los modelos con precio son: "
                f"{', '.join(self.models())}. Para otro modelo, añádelo con PriceBook.with_price(ModelPrice(...)).")
        day = _as_date(at)
        valid = [p for p in versions if p.effective_from <= day]
        if not valid:
            raise UnknownModelError(
                f"El modelo '{model}' no tenía precio el {day}: su primer precio rige desde "
                f"{versions[0].effective_from}.")
        return valid[-1]

    def cost(self, model: str, usage: Usage, *, batch: bool = False,
             at: date | datetime | str | None = None) -> Decimal:
        """Exact USD cost of ``usage`` on ``model`` at date ``at``."""
        return cost_of(usage, self.get(model, at=at), batch=batch)

    def with_price(self, price: ModelPrice) -> PriceBook:
        """A new book that also holds ``price`` (a new model, or a new dated version).

        >>> book = PriceBook.default().with_price(ModelPrice("gpt-4o", input="1.25", output="5",
        ...     effective_from=date(2030, 1, 1)))
        >>> book.get("gpt-4o", at="2029-12-31").input, book.get("gpt-4o", at="2030-01-01").input
        (Decimal('2.50'), Decimal('1.25'))
        """
        same_day = [p for p in self._prices.get(price.model, []) if p.effective_from == price.effective_from]
        kept = [p for versions in self._prices.values() for p in versions if p not in same_day]
        return PriceBook(kept + [price], source=self.source, as_of=self.as_of)

    def discounted(self, model: str, *, factor: Decimal | str, effective_from: date | str) -> PriceBook:
        """A new book where ``model`` costs ``factor`` times its current price from a date."""
        base = self.get(model, at=effective_from)
        factor = Decimal(str(factor))
        return self.with_price(replace(
            base, input=base.input * factor, output=base.output * factor,
            cached_input=base.cached_input * factor, effective_from=_as_date(effective_from)))
