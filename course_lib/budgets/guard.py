"""The budget guard: the pipeline's ``"guard"`` middleware that enforces hard caps.

For every provider attempt it (1) prices the worst case — input tokens counted
exactly with the model's tokenizer, output at ``max_tokens`` (or
``max_completion_tokens``; when the caller set neither, the guard sets
``max_completion_tokens=default_max_output``, which every model accepts, so the
worst case really is an upper bound),
times ``n``, no prompt-cache discount; (2) reserves it atomically in every
budget that applies to the call (``BudgetStore.reserve``); (3) calls the
provider; (4) settles on the real ``usage`` or releases the reservation if
the attempt failed. A budget at its cap refuses with :class:`BudgetExceeded`
(a ``CallRefused``: it reaches the caller unchanged) or, with
``on_cap="degrade"``, switches the attempt to ``degrade_to`` and tries again.

Zero-cost attempts (an edge model priced at 0) are never blocked by a money
cap, and response-cache hits never reach the guard (the cache slot is
outside it). A model with no price is refused (its cost is unknown, not
zero), and when the store is unreachable the guard fails closed unless
``fail_open=True``.

Streams are settled when they end, on their real usage: the recorder asks
for ``stream_options.include_usage`` and reads the final usage chunk; the
guard wraps the stream and settles as its last chunk is read (the
reservation is held meanwhile). A stream abandoned or broken before its end
settles at what was delivered (prompt plus the text seen, as the ledger
records it) or, with ``abandoned="reservation"``, at its full reservation.

With ``output_model=`` (an :class:`~course_lib.budgets.output_model.OutputLengthModel`)
the reservation prices the *predicted* output instead of ``max_tokens``
(:meth:`BudgetGuard.reservation`): more calls fit near the cap, at the stated
cost of a small possible overshoot (see that module).

>>> from course_lib.budgets.budget import Budget
>>> from course_lib.pricing import PriceBook
>>> guard = BudgetGuard([Budget(name="org", limit="0")], prices=PriceBook.default(), clock=lambda: 0.0)
>>> guard.worst_case({"model": "gpt-4o", "messages": [{"role": "user", "content": "hola"}],
...                   "max_tokens": 100})
Decimal('0.00102')
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from decimal import Decimal
from typing import Literal

from course_lib.client.pipeline import CallRefused
from course_lib.client.recorder import _metadata, key_id
from course_lib.pricing import Usage

from .alerts import usd
from .budget import Budget
from .periods import period_bounds, zone
from .store import BudgetStore, StoreUnavailable


Abandoned = Literal["delivered", "reservation"]


class BudgetExceeded(CallRefused):
    """A hard cap refused the call; ``budget`` says which."""

    def __init__(self, message: str, *, budget: Budget | None = None):
        super().__init__(message)
        self.budget = budget


def _when(ts: float, tz: str) -> str:
    from datetime import datetime
    return datetime.fromtimestamp(ts, zone(tz)).strftime("%d/%m/%Y %H:%M") + f" ({tz})"


class BudgetGuard:
    """``guard(call, call_next)``: reserve, call, settle. Install with
    ``client.pipeline.use(guard, slot="guard")``."""

    name = "budget_guard"

    def __init__(self, budgets: list[Budget], *, prices, store: BudgetStore | None = None,
                 clock=time.time, dispatcher=None, default_max_output: int = 1024,
                 api_key: str = "", fail_open: bool = False, abandoned: Abandoned = "delivered",
                 output_model=None):
        names = [b.name for b in budgets]
        if len(set(names)) != len(names):
            raise ValueError("Dos presupuestos con el mismo nombre: cada uno necesita un name= distinto.")
        if default_max_output < 1:
            raise ValueError("default_max_output debe ser un número de tokens ≥ 1.")
        if abandoned not in ("delivered", "reservation"):
            raise ValueError(f"abandoned={abandoned!r}: usa 'delivered' (lo entregado) o 'reservation' (la reserva).")
        self.budgets, self.prices = list(budgets), prices
        self.store = store if store is not None else BudgetStore(":memory:")
        self.clock, self.dispatcher = clock, dispatcher
        self.default_max_output, self.fail_open = default_max_output, fail_open
        self.api_key_id = key_id(api_key) if api_key else ""
        self.abandoned = abandoned
        self.output_model = output_model        # OutputLengthModel: reserve a predicted output, not the cap
        self.refused = 0

    # -- pricing the worst case -----------------------------------------------------------

    def _input_tokens(self, params: dict, endpoint: str) -> int:
        from course_lib.tokens import count_chat_tokens, count_tokens
        model = str(params.get("model", ""))
        if endpoint == "embeddings":
            items = params.get("input")
            items = [items] if isinstance(items, str) else list(items or [])
            return sum(count_tokens(x, model) if isinstance(x, str) else len(x) for x in items)
        return count_chat_tokens(list(params.get("messages") or []), model)

    def worst_case(self, params: dict, endpoint: str = "chat.completions") -> Decimal:
        """Highest cost this request can have, in USD (raises ``UnknownModelError``)."""
        price = self.prices.get(str(params.get("model", "")))
        tokens_in = self._input_tokens(params, endpoint)
        if endpoint == "embeddings":
            return self.prices.cost(price.model, Usage(tokens_in))
        cap = params.get("max_completion_tokens") or params.get("max_tokens") or self.default_max_output
        n = max(int(params.get("n") or 1), 1)
        return self.prices.cost(price.model, Usage(tokens_in, int(cap) * n))

    def reservation(self, params: dict, endpoint: str = "chat.completions") -> Decimal:
        """What the guard reserves: the worst case, or with ``output_model`` the predicted output."""
        predicted = self.output_model.predict(params) if self.output_model is not None else None
        if endpoint == "embeddings" or predicted is None:
            return self.worst_case(params, endpoint)
        price = self.prices.get(str(params.get("model", "")))
        n = max(int(params.get("n") or 1), 1)
        return self.prices.cost(price.model, Usage(self._input_tokens(params, endpoint), int(predicted) * n))

    # -- the middleware ---------------------------------------------------------------------

    def attribution(self, params: dict) -> dict:
        meta = _metadata(params)
        return {"user": params.get("user") or meta.get("user") or "", "team": meta.get("team", ""),
                "feature": meta.get("feature", ""), "api_key_id": self.api_key_id}

    def __call__(self, call, call_next):
        if call.endpoint == "chat.completions" and not (call.params.get("max_tokens")
                                                        or call.params.get("max_completion_tokens")):
            call.params = {**call.params, "max_completion_tokens": self.default_max_output}
        applying = [b for b in self.budgets if b.applies(self.attribution(call.params))]
        admission, worst = self._admit(call, applying)
        if admission is None:          # nothing to reserve: free model or no budget applies
            return call_next(call)
        first = len(call.attempts)
        try:
            response = call_next(call)
        except BaseException:
            self._safely(self.store.release, admission.id)
            raise
        if call.params.get("stream") and hasattr(response, "_iterator"):
            return self._watch(response, call, admission, applying, worst, first)
        self._settle(call, admission, applying, self._actual(call, response, worst))
        return response

    def _settle(self, call, admission, applying, actual: Decimal) -> None:
        alerts = self._safely(self.store.settle, admission.id, actual, applying, now=self.clock(),
                              request_id=call.call_id) or []
        call.notes.setdefault("budget", {}).update(settled=actual, alerts=[a.message for a in alerts])
        if self.dispatcher is not None:
            self.dispatcher.notify()

    def _watch(self, stream, call, admission, applying, worst: Decimal, first: int):
        """Settle a stream when it ends (real usage) or is dropped (delivered text, or the reservation)."""
        inner, seen = stream._iterator, {"usage": None, "model": None, "text": [], "done": False}

        def finish(ended: bool) -> None:
            if seen["done"]:
                return
            seen["done"] = True
            record = call.attempts[first].record if len(call.attempts) > first else None
            if not ended and self.abandoned == "reservation":
                actual = worst
            elif seen["usage"] is not None:
                actual = self._actual(call, SimpleNamespace(usage=seen["usage"], model=seen["model"]), worst)
            elif record is not None and record.priced:
                actual = record.cost                        # what the recorder read or estimated
            elif ended:
                actual = worst
            else:
                actual = self._delivered(call, "".join(seen["text"]), worst)
            call.notes.setdefault("budget", {})["stream"] = "completo" if ended else "abandonado"
            self._settle(call, admission, applying, actual)

        def watched():
            try:
                for chunk in inner:
                    if getattr(chunk, "usage", None) is not None:
                        seen["usage"], seen["model"] = chunk.usage, getattr(chunk, "model", None)
                    for choice in getattr(chunk, "choices", None) or []:
                        text = getattr(getattr(choice, "delta", None), "content", None)
                        if text:
                            seen["text"].append(text)
                    yield chunk
            except GeneratorExit:
                inner.close()                               # the recorder writes the incomplete row first
                finish(False)
                raise
            except BaseException:
                finish(False)
                raise
            finish(True)

        stream._iterator = watched()
        return stream

    def _delivered(self, call, text: str, worst: Decimal) -> Decimal:
        from course_lib.tokens import count_tokens
        try:
            tokens_in = self._input_tokens(call.params, call.endpoint)
            return self.prices.cost(call.model, Usage(tokens_in, count_tokens(text, call.model)))
        except Exception:       # an unknown tokenizer: keep the safe side
            return worst

    def _admit(self, call, applying):
        if not applying:
            return None, Decimal(0)
        while True:
            try:
                worst = self.reservation(call.params, call.endpoint)
            except KeyError:
                self.refused += 1
                raise BudgetExceeded(f"El modelo {call.model!r} no tiene precio en la tabla: no puedo "
                                     "reservar su coste en el presupuesto. Añade su precio al PriceBook "
                                     "o usa un modelo con precio.") from None
            if worst == 0:
                return None, worst
            try:
                admission = self.store.reserve(applying, worst, now=self.clock())
            except StoreUnavailable as exc:
                if self.fail_open:
                    return None, worst
                self.refused += 1
                raise BudgetExceeded(f"{exc} — por seguridad la llamada se rechaza (fail_open=False): sin "
                                     "poder contar el gasto, no se deja gastar.") from exc
            if admission.admitted:
                call.notes.setdefault("budget", {}).update(reserved=worst, model=call.model)
                return admission, worst
            b = admission.blocked
            if b.on_cap == "degrade" and call.model != b.degrade_to:
                call.notes.setdefault("budget", {})["degraded_from"] = call.model
                call.params = {**call.params, "model": b.degrade_to}
                continue
            self.refused += 1
            _, reset = period_bounds(self.clock(), b.period, b.tz)
            raise BudgetExceeded(
                f"Presupuesto «{b.name}» ({b.describe()}) agotado: gastado {usd(admission.spent, 4)} y "
                f"reservado {usd(admission.reserved, 4)}; esta llamada podría costar hasta {usd(worst, 4)}. "
                f"Se reinicia el {_when(reset, b.tz)}. Pide más presupuesto, baja max_tokens o usa un "
                "modelo más barato.", budget=b)

    def _actual(self, call, response, worst: Decimal) -> Decimal:
        if getattr(response, "usage", None) is None and hasattr(response, "parse") and hasattr(response, "headers"):
            response = response.parse()          # a raw response (a rate limiter inside the guard)
        usage = getattr(response, "usage", None)
        if usage is None:              # no usage reported: keep the worst case
            return worst
        model = getattr(response, "model", None) or call.model
        try:
            return self.prices.cost(str(model), Usage.from_openai(usage))
        except KeyError:
            return self.prices.cost(call.model, Usage.from_openai(usage))

    def _safely(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except StoreUnavailable:
            return None                 # the call already happened; the next reservation fails closed

    def spent(self, budget: Budget | str) -> Decimal:
        """Settled spend of ``budget`` (or its name) in the current period."""
        b = budget if isinstance(budget, Budget) else next(x for x in self.budgets if x.name == budget)
        return self.store.spent(b, now=self.clock())
