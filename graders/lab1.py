"""Checks for lab 1 «Medir y optimizar tokens» (exercises 1–3: cost, tokens, estimate).

``check_*`` run on public examples in the learner's kernel and are the visible
checks; ``check_*_oculto(worker)`` are the hidden checks: they run in the grader
process (``graders.verdicts``), read ``graders/hidden/lab1_cases.json`` and send
the kernel only each case's inputs, calling the learner's function through
``worker.call`` (:class:`Learner`) and judging its plain result here.
Money is compared exactly (the expected values are exact ``Decimal``), token
counts exactly. Each failure names the likely mistake (cached tokens at full
price, floats converted at the end, a missing ``None`` guard, priming tokens,
the wrong tokenizer for a model family, stripped text...) by recomputing the
typical wrong formulas. Exercise 3 is graded on its own formula: its expected
value is computed with the reference counter *and* with the learner's own
exercise-2 counter, so a broken counter costs exercise 2's points only, and the
feedback says so. The other exercises are checked in ``graders.lab1_optimizer``,
``graders.lab1_prompt`` and ``graders.lab1_roi``.
"""

from __future__ import annotations

from decimal import Decimal

from graders import CheckFailed, call, fail, load_hidden, on_kernel, quiet, run_visible_checks
from graders.wire import kind

M = Decimal(1_000_000)
EJ1, EJ2, EJ3 = "Ejercicio 1 (coste de una llamada)", "Ejercicio 2 (tokens de un chat)", "Ejercicio 3 (estimar el coste)"

# Prices (USD / 1M tokens) of the public examples, from the course snapshot 2025-09-05.
_PUBLIC_PRICES = {
    "gpt-4o": ("2.50", "1.25", "10.00"), "gpt-4o-mini": ("0.15", "0.075", "0.60"),
    "gpt-5-mini": ("0.25", "0.025", "2.00"), "gpt-4.1-mini": ("0.40", "0.10", "1.60"),
}
COST_EXAMPLES = [
    # (model, usage, batch, expected USD)
    ("gpt-4o", {"prompt_tokens": 1000, "completion_tokens": 200}, False, "0.0045"),
    ("gpt-4o-mini", {"prompt_tokens": 2048, "completion_tokens": 100,
                     "prompt_tokens_details": {"cached_tokens": 1024}}, False, "0.0002904"),
    ("gpt-5-mini", {"prompt_tokens": 500, "completion_tokens": 800,
                    "completion_tokens_details": {"reasoning_tokens": 600}}, False, "0.001725"),
    ("gpt-4.1-mini", {"prompt_tokens": 10000, "completion_tokens": 1000, "prompt_tokens_details": None}, True,
     "0.0028"),
]
COOKBOOK_MESSAGES = [
    {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
    {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
    {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
    {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."},
]
COOKBOOK_COUNTS = {"gpt-4o": 124, "gpt-4": 129}  # OpenAI Cookbook, as the API reports them


class Learner:
    """The learner's function ``name``, run in the kernel through a hidden check's ``worker``.

    Calling it returns the plain result (``graders.wire``); when the function
    raised it raises :class:`graders.verdicts.LearnerRaised` (with the
    exception's ``type_name`` and ``detail``), so a check can name the mistake
    by the exception's type as it does with a local function.
    """

    def __init__(self, worker, name: str):
        self.worker, self.name = worker, name

    def __call__(self, *args, **kwargs):
        return self.worker.call(self.name, *args, **kwargs)


def run(exercise: str, func, *args, **kwargs):
    """:func:`graders.call` for a local function, :func:`graders.on_kernel` for a :class:`Learner`."""
    if isinstance(func, Learner):
        return on_kernel(exercise, func.worker.call, func.name, *args, **kwargs)
    return call(exercise, func, *args, **kwargs)


def _raised(exc: Exception) -> tuple[str, str]:
    """Type name and message of an exception, raised here or (``LearnerRaised``) in the kernel."""
    from graders.verdicts import LearnerRaised

    return (exc.type_name, exc.detail) if isinstance(exc, LearnerRaised) else (type(exc).__name__, str(exc))


def _usd(value) -> str:
    """An exact amount in Spanish, with every decimal it has (a float's tail included).

    >>> _usd(Decimal("0.0000486")), _usd(Decimal("2.5"))
    ('0,0000486 USD', '2,50 USD')
    >>> _usd(Decimal("0.00038624999999999993")), _usd(Decimal("1234.5000000000000001"))
    ('0,00038624999999999993 USD', '1.234,5000000000000001 USD')
    """
    from course_lib.numbers import num, usd

    value = Decimal(value)
    decimals = max(2, -value.normalize().as_tuple().exponent) if value.is_finite() else 2
    if decimals <= 12:
        return usd(value, decimals=decimals)
    whole, _, tail = format(abs(value), "f").partition(".")  # more decimals than course_lib.numbers writes
    return f"{'-' if value < 0 else ''}{num(Decimal(whole), decimals=0)},{tail[:40]} USD"


def _tokens(usage: dict) -> tuple[int, int, int, int]:
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    reasoning = (usage.get("completion_tokens_details") or {}).get("reasoning_tokens") or 0
    return usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0, cached, reasoning


def _price(model: str, prices: dict | None):
    if prices and model in prices:
        return tuple(Decimal(x) for x in prices[model])
    from course_lib.pricing import PriceBook  # hidden cases use the shipped snapshot

    p = PriceBook.default().get(model)
    return p.input, p.cached_input, p.output


def _has_gaps(usage: dict) -> bool:
    """Whether a usage record has a detail field that is None or absent."""
    details = [usage.get("prompt_tokens_details"), usage.get("completion_tokens_details")]
    return any(d is None for d in details) or any(
        v is None for d in details if isinstance(d, dict) for v in d.values()) or not all(
        isinstance(d, dict) and d for d in details)


# ---------------------------------------------------------------- exercise 1
def _cost_mistake(got: Decimal, usage: dict, batch: bool, price) -> tuple[str, str]:
    p_in, p_cached, p_out = price
    prompt, completion, cached, reasoning = _tokens(usage)
    factor = Decimal("0.5") if batch else Decimal(1)
    right = ((prompt - cached) * p_in + cached * p_cached + completion * p_out) / M * factor
    as_float = ((prompt - cached) * float(p_in) + cached * float(p_cached) + completion * float(p_out)) / 1e6
    as_float *= 0.5 if batch else 1.0
    variants = [
        (Decimal(as_float), "calculas en float y conviertes a Decimal al final, y el float ya no es exacto",
         "haz toda la cuenta en Decimal (los precios ya lo son; int × Decimal es exacto) y divide entre Decimal(1_000_000)"),
        (Decimal(repr(as_float)), "calculas en float y conviertes a Decimal al final, y el float ya no es exacto",
         "haz toda la cuenta en Decimal (los precios ya lo son; int × Decimal es exacto) y divide entre Decimal(1_000_000)"),
        ((prompt * p_in + completion * p_out) / M * factor,
         "los tokens en caché se cobran a precio de entrada completo",
         "cobra (prompt_tokens - cached_tokens) al precio 'input' y cached_tokens al precio 'cached_input'"),
        ((prompt * p_in + cached * p_cached + completion * p_out) / M * factor,
         "los tokens en caché se cuentan dos veces",
         "prompt_tokens ya incluye cached_tokens: réstalos antes de aplicar el precio 'input'"),
        (right + reasoning * p_out / M * factor, "los tokens de razonamiento se cobran dos veces",
         "completion_tokens ya incluye reasoning_tokens; no los sumes otra vez"),
        (right / factor, "no aplicas el descuento batch",
         "si batch=True multiplica el coste por batch_discount (0,5)"),
        (right * M, "el coste es un millón de veces mayor",
         "los precios son USD por 1M de tokens: divide entre 1_000_000"),
        (right * 1000, "el coste es mil veces mayor", "los precios son por millón de tokens, no por mil"),
        (((prompt - cached) * p_out + cached * p_cached + completion * p_in) / M * factor,
         "has intercambiado los precios de entrada y salida",
         "prompt_tokens van al precio 'input' y completion_tokens al precio 'output'"),
    ]
    for value, problem, hint in variants:
        if got == value and value != right:
            return problem, hint
    return ("el coste no coincide con la factura",
            "revisa la fórmula: (entrada − caché)·input + caché·cached_input + salida·output, "
            "todo entre 1e6 (y ×0,5 en batch)")


def _call_cost(func, usage, model, batch):
    kwargs = {"batch": True} if batch else {}
    try:
        with quiet():
            return func(usage, model, **kwargs)
    except Exception as exc:
        name, text = _raised(exc)
        if name in ("TypeError", "KeyError", "AttributeError"):
            if "float" in text and "Decimal" in text:
                fail(EJ1, f"tu función lanzó {name}: {text}",
                     "no mezcles float y Decimal: multiplica por p.batch_discount (ya es Decimal), no por 0.5")
            if _has_gaps(usage):
                fail(EJ1, f"tu función lanzó {name}: {text} con un usage cuyos detalles faltan o "
                          f"valen None ({usage})",
                     "lee los detalles con (uso.get('prompt_tokens_details') or {}).get('cached_tokens') or 0, "
                     "y lo mismo con completion_tokens_details")
        return run(EJ1, func, usage, model, **kwargs)  # the generic crash message


def _check_cost_case(func, model, usage, batch, expected, price, where=""):
    if not callable(func):
        call(EJ1, func)
    got = _call_cost(func, usage, model, batch)
    if got is None:
        fail(EJ1, "la función devuelve None", "añade `return coste` al final")
    if not isinstance(got, Decimal):
        fail(EJ1, f"devuelve {kind(got)}, no Decimal",
             "trabaja con Decimal (los precios del PriceBook ya lo son) y no conviertas a float")
    expected = Decimal(expected)
    if got != expected:
        problem, hint = _cost_mistake(got, usage, batch, price)
        fail(EJ1, f"{problem}{where}: obtengo {_usd(got)}, esperaba {_usd(expected)}", hint)


def check_coste_llamada(func) -> None:
    """Visible check: four hand-computed bills (plain, cached, reasoning, batch without details)."""
    for model, usage, batch, expected in COST_EXAMPLES:
        price = tuple(Decimal(x) for x in _PUBLIC_PRICES[model])
        _check_cost_case(func, model, usage, batch, expected, price,
                         where=f" (ejemplo {model}, {usage}, batch={batch})")
    print("✔ Ejercicio 1: las cuatro facturas de ejemplo coinciden.")


def check_coste_llamada_oculto(worker) -> None:
    """Hidden check (grader): usage records of 13 models (details None or absent), cache, reasoning, batch.

    The kernel gets each case's usage, model and batch flag; the expected bill stays here.
    """
    func = Learner(worker, "coste_llamada")
    for case in load_hidden("lab1_cases.json")["cost"]:
        _check_cost_case(func, case["model"], case["usage"], case["batch"], case["expected"],
                         _price(case["model"], None), where=f" en un caso oculto ({case['model']})")


# ---------------------------------------------------------------- exercise 2
def reference_count(messages: list[dict], model: str) -> int:
    """The API's prompt tokens (``course_lib.tokens.count_chat_tokens``), the course's reference."""
    from course_lib.tokens import count_chat_tokens

    return count_chat_tokens(messages, model)


def _chat_mistake(got: int, messages: list[dict], model: str, expected: int) -> tuple[str, str]:
    from course_lib.tokens import count_tokens, encoding_name_for_model

    n = len(messages)
    names = sum(1 for m in messages if "name" in m)
    roles = sum(count_tokens(m["role"], model) for m in messages)
    encoding = encoding_name_for_model(model)
    other_model = "gpt-4" if encoding == "o200k_base" else "gpt-4o"
    stripped = [{k: v.strip() for k, v in m.items()} for m in messages]
    if got == expected - 3:
        return "faltan 3 tokens", "suma 3 tokens al final: la respuesta del asistente empieza con <|start|>assistant<|message|>"
    if got == expected - 3 * n:
        return "faltan 3 tokens por mensaje", "cada mensaje añade 3 tokens de formato"
    if names and got == expected - names:
        return "no cuentas el token extra de 'name'", "suma 1 token por cada mensaje que tenga 'name'"
    if got == expected - roles:
        return "no cuentas el texto del rol", "codifica también el valor de 'role' (y de 'name') de cada mensaje"
    if stripped != messages and got == reference_count(stripped, model):
        return ("quitas los espacios o saltos de línea del principio o del final del texto",
                "la API cuenta el texto tal cual llega: no hagas strip() antes de codificar")
    if got == reference_count(messages, other_model):
        return (f"usas el tokenizador equivocado para {model}",
                f"{model} usa {encoding}: usa encoding_for_model(modelo), que conoce cada familia de modelos")
    return "el recuento no coincide", "por mensaje: 3 + tokens de cada valor (+1 si hay 'name'); al final +3"


def _check_chat_case(func, messages, model, expected, where=""):
    got = run(EJ2, func, [dict(m) for m in messages], model)
    if not isinstance(got, int) or isinstance(got, bool):
        fail(EJ2, f"devuelve {kind(got)}, no un entero", "devuelve el número total de tokens (int)")
    if got != expected:
        from course_lib.numbers import count

        problem, hint = _chat_mistake(got, messages, model, expected)
        fail(EJ2, f"{problem} (obtengo {count(got)}, esperaba {count(expected)}{where})", hint)


def check_contar_tokens_chat(func) -> None:
    """Visible check: the OpenAI Cookbook conversation, 124 tokens (gpt-4o) and 129 (gpt-4)."""
    for model, expected in COOKBOOK_COUNTS.items():
        _check_chat_case(func, COOKBOOK_MESSAGES, model, expected, where=f" con {model}")
    _check_chat_case(func, [{"role": "user", "content": "Hola"}], "gpt-4o", 8, where=" para un solo 'Hola'")
    print("✔ Ejercicio 2: coincide con lo que factura la API (124 y 129 tokens).")


def check_contar_tokens_chat_oculto(worker) -> None:
    """Hidden check (grader): Spanish conversations on every model family of the encoding map.

    The kernel gets each conversation and model; the expected count stays here.
    """
    func = Learner(worker, "contar_tokens_chat")
    for case in load_hidden("lab1_cases.json")["chat"]:
        _check_chat_case(func, case["messages"], case["model"], case["expected"],
                         where=f" en un caso oculto con {case['model']}")


# ---------------------------------------------------------------- exercise 3
def _learner_count(contador, messages, model):
    """The learner's exercise-2 count, or None when it cannot give one."""
    if not callable(contador):
        return None
    try:
        with quiet():
            n = contador([dict(m) for m in messages], model)
    except Exception:
        return None
    return n if isinstance(n, int) and not isinstance(n, bool) else None


def _not_implemented(contador, messages, model) -> bool:
    """Whether the learner's exercise-2 counter still raises ``NotImplementedError``."""
    try:
        with quiet():
            contador([dict(m) for m in messages], model)
    except Exception as exc:
        return _raised(exc)[0] == "NotImplementedError"
    return False


def _estimate_mistake(got, messages, model, out, price, counts) -> tuple[str, str]:
    from course_lib.tokens import count_tokens

    p_in, _, p_out = price
    plain = sum(count_tokens(str(m.get("content", "")), model) for m in messages)
    default = reference_count(messages, "gpt-4o")
    for chat in counts:
        right = (chat * p_in + out * p_out) / M
        variants = [
            ((plain * p_in + out * p_out) / M, "cuentas solo el texto, sin el formato del chat",
             "usa tu contar_tokens_chat (o count_chat_tokens) para la entrada"),
            ((default * p_in + out * p_out) / M, f"cuentas los tokens con el tokenizador de gpt-4o, no con el de {model}",
             "pasa el modelo a tu contador: contar_tokens_chat(mensajes, modelo)"),
            (chat * p_in / M, "no incluyes la salida", "suma tokens_salida × precio 'output'"),
            ((chat + out) * p_in / M, "cobras la salida al precio de entrada",
             "la salida usa el precio 'output', que es 4–8 veces mayor"),
            (right * M, "el coste es un millón de veces mayor", "divide entre 1_000_000"),
            (Decimal((chat * float(p_in) + out * float(p_out)) / 1e6),
             "calculas en float y conviertes a Decimal al final", "haz la cuenta en Decimal de principio a fin"),
            (Decimal(repr((chat * float(p_in) + out * float(p_out)) / 1e6)),
             "calculas en float y conviertes a Decimal al final", "haz la cuenta en Decimal de principio a fin"),
        ]
        for value, problem, hint in variants:
            if isinstance(got, Decimal) and got == value and value != right:
                return problem, hint
    return "la estimación no coincide", "entrada (fórmula del chat) × input + tokens_salida × output, entre 1e6"


def _check_estimate_case(func, messages, model, out, price, contador, where="") -> bool:
    """True when right with the reference counter, False when right only with the learner's own."""
    try:
        got = run(EJ3, func, [dict(m) for m in messages], model, out)
    except CheckFailed as exc:
        if "NotImplementedError" in str(exc) and _not_implemented(contador, messages, model):
            fail(EJ3, "tu estimar_coste lanza NotImplementedError, y tu contar_tokens_chat (ejercicio 2), que "
                      "estimar_coste usa, aún no está implementada",
                 "termina antes el ejercicio 2; si tampoco has escrito estimar_coste, borra su línea "
                 "raise NotImplementedError()")
        raise
    if not isinstance(got, Decimal):
        fail(EJ3, f"devuelve {kind(got)}, no Decimal", "devuelve el coste como Decimal")
    p_in, _, p_out = price
    reference = reference_count(messages, model)
    own = _learner_count(contador, messages, model)
    expected = (reference * p_in + out * p_out) / M
    if got == expected:
        return True
    if own is not None and own != reference and got == (own * p_in + out * p_out) / M:
        return False  # exercise 2's mistake, already graded there
    problem, hint = _estimate_mistake(got, messages, model, out, price, [reference] + ([own] if own else []))
    if own is not None and own != reference:
        hint += (f". Además tu contar_tokens_chat (ejercicio 2) da {own} tokens donde la API factura "
                 f"{reference}: arréglalo primero")
    fail(EJ3, f"{problem}{where}: obtengo {_usd(got)}, esperaba {_usd(expected)}", hint)
    return False  # pragma: no cover - fail raises


ESTIMATE_EXAMPLES = [
    # (messages, model, output tokens, expected USD): 8 prompt tokens for "Hola" on gpt-4o
    ([{"role": "user", "content": "Hola"}], "gpt-4o", 100, "0.00102"),
    (COOKBOOK_MESSAGES, "gpt-4o-mini", 50, "0.0000486"),
]
_NOTE_EX2 = ("✔ Ejercicio 3: tu fórmula es correcta. Ojo: tu contar_tokens_chat (ejercicio 2) no cuenta "
             "como la API, así que tus estimaciones heredan su error hasta que lo arregles.")


def check_estimar_coste(func, contador=None) -> None:
    """Visible check: two hand-computed estimates (``contador``: the learner's exercise-2 counter)."""
    exact = True
    for messages, model, out, expected in ESTIMATE_EXAMPLES:
        price = tuple(Decimal(x) for x in _PUBLIC_PRICES[model])
        exact &= _check_estimate_case(func, messages, model, out, price, contador,
                                      where=f" (ejemplo {model}, {out} tokens de salida)")
    print("✔ Ejercicio 3: las estimaciones de ejemplo coinciden." if exact else _NOTE_EX2)


def check_estimar_coste_oculto(worker) -> None:
    """Hidden check (grader): requests on every encoding, Claude and Gemini included.

    The kernel gets each request's messages, model and output tokens; the learner's own
    ``contar_tokens_chat`` is called there too, so a broken counter costs exercise 2 only.
    """
    func, contador = Learner(worker, "estimar_coste"), Learner(worker, "contar_tokens_chat")
    for case in load_hidden("lab1_cases.json")["estimate"]:
        _check_estimate_case(func, case["messages"], case["model"], case["output_tokens"],
                             _price(case["model"], None), contador, where=f" en un caso oculto con {case['model']}")


# ---------------------------------------------------------------- closing cell
def comprueba_todo(namespace: dict) -> bool:
    """Run every visible check of lab 1 on the learner's names and print a summary.

    Never raises: it is the lab's final self-check, not a graded cell.
    """
    from graders import lab1_optimizer, lab1_prompt, lab1_roi

    checks = [("Ejercicio 1", "coste_llamada", check_coste_llamada),
              ("Ejercicio 2", "contar_tokens_chat", check_contar_tokens_chat),
              ("Ejercicio 3", "estimar_coste",
               lambda f: check_estimar_coste(f, namespace.get("contar_tokens_chat"))),
              ("Ejercicio 4", "PROMPT_CONCISO", lab1_prompt.check_prompt),
              ("Ejercicio 5", "optimizar_peticion", lab1_optimizer.check_optimizador),
              ("Ejercicio 6", "retorno", lab1_roi.check_retorno)]
    return run_visible_checks(namespace, checks)


__all__ = ["CheckFailed", "check_coste_llamada", "check_coste_llamada_oculto", "check_contar_tokens_chat",
           "check_contar_tokens_chat_oculto", "check_estimar_coste", "check_estimar_coste_oculto",
           "comprueba_todo", "reference_count"]
