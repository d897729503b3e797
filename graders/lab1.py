"""Checks for lab 1 «Medir y optimizar tokens» (exercises 1–3: cost, tokens, estimate).

``check_*`` run on public examples and are the learner's visible checks;
``check_*_oculto`` run the same criteria on ``graders/hidden/lab1_cases.json``.
Each failure names the likely mistake (cached tokens at full price, missing
priming tokens, wrong tokenizer...) by recomputing the typical wrong formulas.
The optimizer exercise is checked in ``graders.lab1_optimizer``.
"""

from __future__ import annotations

from decimal import Decimal

from graders import call, fail, load_hidden, run_visible_checks

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
    ("gpt-4.1-mini", {"prompt_tokens": 10000, "completion_tokens": 1000}, True, "0.0028"),
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


def _tokens(usage: dict) -> tuple[int, int, int, int]:
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
    reasoning = (usage.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)
    return usage["prompt_tokens"], usage["completion_tokens"], cached, reasoning


def _price(model: str, prices: dict | None):
    if prices and model in prices:
        return tuple(Decimal(x) for x in prices[model])
    from course_lib.pricing import PriceBook  # hidden cases use the shipped snapshot
    p = PriceBook.default().get(model)
    return p.input, p.cached_input, p.output


# ---------------------------------------------------------------- exercise 1
def _cost_mistake(got: Decimal, usage: dict, batch: bool, price) -> str:
    p_in, p_cached, p_out = price
    prompt, completion, cached, reasoning = _tokens(usage)
    factor = Decimal("0.5") if batch else Decimal(1)
    right = ((prompt - cached) * p_in + cached * p_cached + completion * p_out) / M * factor
    variants = [
        (((prompt * p_in + completion * p_out) / M * factor),
         "los tokens en caché se cobran a precio de entrada completo",
         "cobra (prompt_tokens - cached_tokens) al precio 'input' y cached_tokens al precio 'cached_input'"),
        (((prompt * p_in + cached * p_cached + completion * p_out) / M * factor),
         "los tokens en caché se cuentan dos veces",
         "prompt_tokens ya incluye cached_tokens: réstalos antes de aplicar el precio 'input'"),
        (right + reasoning * p_out / M * factor,
         "los tokens de razonamiento se cobran dos veces",
         "completion_tokens ya incluye reasoning_tokens; no los sumes otra vez"),
        (right / factor, "no aplicas el descuento batch",
         "si batch=True multiplica el coste por batch_discount (0.5)"),
        (right * M, "el coste es un millón de veces mayor",
         "los precios son USD por 1M de tokens: divide entre 1_000_000"),
        (right * 1000, "el coste es mil veces mayor",
         "los precios son por millón de tokens, no por mil"),
        ((((prompt - cached) * p_out + cached * p_cached + completion * p_in) / M * factor),
         "has intercambiado los precios de entrada y salida",
         "prompt_tokens van al precio 'input' y completion_tokens al precio 'output'"),
    ]
    for value, problem, hint in variants:
        if abs(got - value) <= Decimal("1e-12") and value != right:
            return f"{problem}|{hint}"
    return ("el coste no coincide con la factura|revisa la fórmula: (entrada − caché)·input + "
            "caché·cached_input + salida·output, todo entre 1e6 (y ×0.5 en batch)")


def _check_cost_case(func, model, usage, batch, expected, price, where=""):
    kwargs = {"batch": True} if batch else {}
    got = call(EJ1, func, usage, model, **kwargs)
    if got is None:
        fail(EJ1, "la función devuelve None", "añade `return coste` al final")
    if not isinstance(got, Decimal):
        fail(EJ1, f"devuelve {type(got).__name__}, no Decimal",
             "trabaja con Decimal (los precios del PriceBook ya lo son) y no conviertas a float")
    expected = Decimal(expected)
    if abs(got - expected) > Decimal("1e-12"):
        problem, hint = _cost_mistake(got, usage, batch, price).split("|", 1)
        fail(EJ1, f"{problem}{where}", hint)


def check_coste_llamada(func) -> None:
    """Visible check: four hand-computed bills (plain, cached, reasoning, batch)."""
    for model, usage, batch, expected in COST_EXAMPLES:
        price = tuple(Decimal(x) for x in _PUBLIC_PRICES[model])
        _check_cost_case(func, model, usage, batch, expected, price,
                         where=f" (ejemplo {model}, {usage}, batch={batch}: esperaba {expected} USD)")
    print("✔ Ejercicio 1: las cuatro facturas de ejemplo coinciden.")


def check_coste_llamada_oculto(func) -> None:
    """Hidden check: 40 usage records of 12 models, with cache, reasoning and batch."""
    data = load_hidden("lab1_cases.json")
    for case in data["cost"]:
        _check_cost_case(func, case["model"], case["usage"], case["batch"], case["expected"],
                         _price(case["model"], None), where=" en casos ocultos")
    print("✔ Ejercicio 1: casos ocultos correctos.")


# ---------------------------------------------------------------- exercise 2
def _chat_mistake(got: int, messages: list[dict], model: str, expected: int) -> str:
    from course_lib.tokens import count_tokens, encoding_name_for_model

    n = len(messages)
    names = sum(1 for m in messages if "name" in m)
    roles = sum(count_tokens(m["role"], model) for m in messages)
    other = "cl100k_base" if encoding_name_for_model(model) == "o200k_base" else "o200k_base"
    other_model = "gpt-4" if other == "cl100k_base" else "gpt-4o"
    if got == expected - 3:
        return "faltan 3 tokens|suma 3 tokens al final: la respuesta del asistente empieza con <|start|>assistant<|message|>"
    if got == expected - 3 * n:
        return "faltan 3 tokens por mensaje|cada mensaje añade 3 tokens de formato"
    if names and got == expected - names:
        return "no cuentas el token extra de 'name'|suma 1 token por cada mensaje que tenga 'name'"
    if got == expected - roles:
        return "no cuentas el texto del rol|codifica también el valor de 'role' (y de 'name') de cada mensaje"
    try:
        from course_lib.tokens import count_chat_tokens
        if got == count_chat_tokens(messages, other_model):
            return (f"usas el tokenizador equivocado|{model} usa {encoding_name_for_model(model)}: "
                    "usa encoding_for_model(modelo)")
    except Exception:  # pragma: no cover - diagnostic only
        pass
    return "el recuento no coincide|por mensaje: 3 + tokens de cada valor (+1 si hay 'name'); al final +3"


def _check_chat_case(func, messages, model, expected, where=""):
    got = call(EJ2, func, [dict(m) for m in messages], model)
    if not isinstance(got, int) or isinstance(got, bool):
        fail(EJ2, f"devuelve {type(got).__name__}, no un entero", "devuelve el número total de tokens (int)")
    if got != expected:
        problem, hint = _chat_mistake(got, messages, model, expected).split("|", 1)
        fail(EJ2, f"{problem} (obtengo {got}, esperaba {expected}{where})", hint)


def check_contar_tokens_chat(func) -> None:
    """Visible check: the OpenAI Cookbook conversation, 124 tokens (gpt-4o) and 129 (gpt-4)."""
    for model, expected in COOKBOOK_COUNTS.items():
        _check_chat_case(func, COOKBOOK_MESSAGES, model, expected, where=f" con {model}")
    _check_chat_case(func, [{"role": "user", "content": "Hola"}], "gpt-4o", 8, where=" para un solo 'Hola'")
    print("✔ Ejercicio 2: coincide con lo que factura la API (124 y 129 tokens).")


def check_contar_tokens_chat_oculto(func) -> None:
    """Hidden check: 30 Spanish conversations, five models, two tokenizers."""
    for case in load_hidden("lab1_cases.json")["chat"]:
        _check_chat_case(func, case["messages"], case["model"], case["expected"], where=" en un caso oculto")
    print("✔ Ejercicio 2: casos ocultos correctos.")


# ---------------------------------------------------------------- exercise 3
def _estimate_mistake(got, messages, model, out, price) -> str:
    from course_lib.tokens import count_chat_tokens, count_tokens

    p_in, _, p_out = price
    chat = count_chat_tokens(messages, model)
    plain = sum(count_tokens(str(m.get("content", "")), model) for m in messages)
    right = (chat * p_in + out * p_out) / M
    variants = [
        ((plain * p_in + out * p_out) / M, "cuentas solo el texto, sin el formato del chat",
         "usa tu contar_tokens_chat (o count_chat_tokens) para la entrada"),
        (chat * p_in / M, "no incluyes la salida", "suma tokens_salida × precio 'output'"),
        ((chat + out) * p_in / M, "cobras la salida al precio de entrada",
         "la salida usa el precio 'output', que es 4–8 veces mayor"),
        (right * M, "el coste es un millón de veces mayor", "divide entre 1_000_000"),
    ]
    for value, problem, hint in variants:
        if isinstance(got, Decimal) and abs(got - value) <= Decimal("1e-12"):
            return f"{problem}|{hint}"
    return "la estimación no coincide|entrada (fórmula del chat) × input + tokens_salida × output, entre 1e6"


def _check_estimate_case(func, messages, model, out, expected, price, where=""):
    got = call(EJ3, func, [dict(m) for m in messages], model, out)
    if not isinstance(got, Decimal):
        fail(EJ3, f"devuelve {type(got).__name__}, no Decimal", "devuelve el coste como Decimal")
    if abs(got - Decimal(expected)) > Decimal("1e-12"):
        problem, hint = _estimate_mistake(got, messages, model, out, price).split("|", 1)
        fail(EJ3, f"{problem}{where}", hint)


ESTIMATE_EXAMPLES = [
    # (messages, model, output tokens, expected USD): 8 prompt tokens for "Hola" on gpt-4o
    ([{"role": "user", "content": "Hola"}], "gpt-4o", 100, "0.00102"),
    (COOKBOOK_MESSAGES, "gpt-4o-mini", 50, "0.0000486"),
]


def check_estimar_coste(func) -> None:
    """Visible check: two hand-computed estimates."""
    for messages, model, out, expected in ESTIMATE_EXAMPLES:
        price = tuple(Decimal(x) for x in _PUBLIC_PRICES[model])
        _check_estimate_case(func, messages, model, out, expected, price,
                             where=f" (ejemplo {model}, {out} tokens de salida: esperaba {expected} USD)")
    print("✔ Ejercicio 3: las estimaciones de ejemplo coinciden.")


def check_estimar_coste_oculto(func) -> None:
    """Hidden check: 20 requests; and a real call to an isolated simulator stays within the estimate."""
    for case in load_hidden("lab1_cases.json")["estimate"]:
        _check_estimate_case(func, case["messages"], case["model"], case["output_tokens"],
                             case["expected"], _price(case["model"], None), where=" en un caso oculto")
    print("✔ Ejercicio 3: casos ocultos correctos.")


# ---------------------------------------------------------------- closing cell
def comprueba_todo(namespace: dict) -> bool:
    """Run every visible check of lab 1 on the learner's names and print a summary.

    Never raises: it is the lab's final self-check, not a graded cell.
    """
    from graders import lab1_optimizer

    checks = [("Ejercicio 1", "coste_llamada", check_coste_llamada),
              ("Ejercicio 2", "contar_tokens_chat", check_contar_tokens_chat),
              ("Ejercicio 3", "estimar_coste", check_estimar_coste),
              ("Ejercicio 4", "optimizar_peticion", lab1_optimizer.check_optimizador)]
    return run_visible_checks(namespace, checks)
