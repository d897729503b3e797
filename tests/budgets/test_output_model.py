"""The output-length model tightens the guard's reservation: more calls admitted under the same cap."""

from decimal import Decimal
from types import SimpleNamespace

from course_lib.budgets import Budget, BudgetExceeded, BudgetGuard
from course_lib.budgets.output_model import OutputLengthModel
from course_lib.client.pipeline import Call, Pipeline
from course_lib.pricing import PriceBook, Usage

ASK = [{"role": "user", "content": "¿Cuánto cuesta el envío a Canarias?"}]
PARAMS = {"model": "gpt-4o", "messages": ASK, "max_tokens": 1000, "metadata": {"feature": "chat_web"}}


def _history(n=200):
    return [SimpleNamespace(model="gpt-4o", feature="chat_web", output_tokens=80 + (i * 37) % 60, status="ok",
                            response_cache_hit=False) for i in range(n)]


def _admitted(output_model, limit="0.05"):
    pipe = Pipeline(transport=lambda call: SimpleNamespace(
        model=call.model, usage={"prompt_tokens": 16, "completion_tokens": 120}))
    guard = BudgetGuard([Budget(name="org", limit=limit)], prices=PriceBook.default(), clock=lambda: 0.0,
                        output_model=output_model)
    pipe.use(guard, slot="guard")
    admitted = 0
    for _ in range(100):
        try:
            pipe.handle(Call("chat.completions", dict(PARAMS)))
            admitted += 1
        except BudgetExceeded:
            break
    return admitted, guard


def test_does_the_model_reserve_a_high_quantile_not_the_cap():
    model = OutputLengthModel().fit(_history())
    assert 130 <= model.predict(PARAMS) <= 139
    guard = BudgetGuard([], prices=PriceBook.default(), output_model=model)
    assert guard.reservation(PARAMS) < guard.worst_case(PARAMS) / 5


def test_does_a_tighter_reservation_admit_more_calls_under_the_same_cap():
    plain, _ = _admitted(None)
    tight, guard = _admitted(OutputLengthModel().fit(_history()))
    one = PriceBook.default().cost("gpt-4o", Usage(16, 120))
    assert tight > plain and guard.spent("org") == one * tight
    assert guard.spent("org") <= Decimal("0.05") + guard.worst_case(PARAMS)


def test_does_an_unknown_model_fall_back_to_the_worst_case():
    guard = BudgetGuard([], prices=PriceBook.default(), output_model=OutputLengthModel().fit(_history()))
    other = {**PARAMS, "model": "gpt-4o-mini"}
    assert guard.reservation(other) == guard.worst_case(other)
