"""Do lab 1's checks pass a correct answer and catch each typical mistake with the right hint?"""

from decimal import Decimal

import pytest

from course_lib.pricing import PriceBook
from course_lib.tokens import encoding_for_model
from graders import lab1

from .remote import oculto

COSTE_OCULTO = oculto(lab1.check_coste_llamada_oculto, "coste_llamada")
CHAT_OCULTO = oculto(lab1.check_contar_tokens_chat_oculto, "contar_tokens_chat")
ESTIMAR_OCULTO = oculto(lab1.check_estimar_coste_oculto, "estimar_coste")

BOOK = PriceBook.default()
M = Decimal(1_000_000)


def _tokens(uso):
    cached = (uso.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    reasoning = (uso.get("completion_tokens_details") or {}).get("reasoning_tokens") or 0
    return uso["prompt_tokens"], uso["completion_tokens"], cached, reasoning


def coste_ok(uso, modelo, *, batch=False):
    p, (i, o, c, _) = BOOK.get(modelo), _tokens(uso)
    cost = ((i - c) * p.input + c * p.cached_input + o * p.output) / M
    return cost * p.batch_discount if batch else cost


def coste_cache_completa(uso, modelo, *, batch=False):
    p, (i, o, c, _) = BOOK.get(modelo), _tokens(uso)
    cost = (i * p.input + o * p.output) / M
    return cost * p.batch_discount if batch else cost


def coste_cache_doble(uso, modelo, *, batch=False):
    p, (i, o, c, _) = BOOK.get(modelo), _tokens(uso)
    cost = (i * p.input + c * p.cached_input + o * p.output) / M
    return cost * p.batch_discount if batch else cost


def coste_razonamiento_doble(uso, modelo, *, batch=False):
    p, (_, _, _, r) = BOOK.get(modelo), _tokens(uso)
    return coste_ok(uso, modelo, batch=batch) + r * p.output / M * (p.batch_discount if batch else 1)


def coste_sin_batch(uso, modelo, *, batch=False):
    return coste_ok(uso, modelo)


def coste_sin_millon(uso, modelo, *, batch=False):
    return coste_ok(uso, modelo, batch=batch) * M


def coste_float(uso, modelo, *, batch=False):
    return float(coste_ok(uso, modelo, batch=batch))


def coste_sin_return(uso, modelo, *, batch=False):
    coste_ok(uso, modelo, batch=batch)


def sin_implementar(*args, **kwargs):
    raise NotImplementedError()


@pytest.mark.parametrize("check", [lab1.check_coste_llamada, COSTE_OCULTO])
def test_does_a_correct_cost_function_pass(check):
    check(coste_ok)


@pytest.mark.parametrize("wrong, hint", [
    (coste_cache_completa, "cached_tokens al precio 'cached_input'"),
    (coste_cache_doble, "prompt_tokens ya incluye cached_tokens"),
    (coste_razonamiento_doble, "ya incluye reasoning_tokens"),
    (coste_sin_batch, "batch_discount"),
    (coste_sin_millon, "divide entre 1_000_000"),
    (coste_float, "no conviertas a float"),
    (coste_sin_return, "añade `return coste`"),
    (sin_implementar, "borra la línea raise NotImplementedError"),
    ("no soy una función", "ejecuta la celda"),
])
@pytest.mark.parametrize("check", [lab1.check_coste_llamada, COSTE_OCULTO])
def test_is_each_cost_mistake_caught_with_its_hint(check, wrong, hint):
    with pytest.raises(AssertionError, match="Ejercicio 1") as err:
        check(wrong)
    assert hint in str(err.value)


# ------------------------------------------------------------------ exercise 2
def chat_ok(mensajes, modelo="gpt-4o", *, priming=3, per_message=3, name_extra=1, roles=True, enc_model=None):
    enc = encoding_for_model(enc_model or modelo)
    total = priming
    for m in mensajes:
        total += per_message
        for k, v in m.items():
            if k == "role" and not roles:
                continue
            total += len(enc.encode(v))
            if k == "name":
                total += name_extra
    return total


@pytest.mark.parametrize("check", [lab1.check_contar_tokens_chat, CHAT_OCULTO])
def test_does_the_cookbook_formula_pass(check):
    check(chat_ok)


@pytest.mark.parametrize("wrong, hint", [
    (lambda m, mod="gpt-4o": chat_ok(m, mod, priming=0), "suma 3 tokens al final"),
    (lambda m, mod="gpt-4o": chat_ok(m, mod, per_message=0), "cada mensaje añade 3 tokens"),
    (lambda m, mod="gpt-4o": chat_ok(m, mod, name_extra=0), "por cada mensaje que tenga 'name'"),
    (lambda m, mod="gpt-4o": chat_ok(m, mod, roles=False), "valor de 'role'"),
    (lambda m, mod="gpt-4o": chat_ok(m, mod, enc_model="gpt-4o"), "encoding_for_model(modelo)"),
    (lambda m, mod="gpt-4o": float(chat_ok(m, mod)), "no un entero"),
])
def test_is_each_counting_mistake_caught_with_its_hint(wrong, hint):
    with pytest.raises(AssertionError, match="Ejercicio 2") as err:
        lab1.check_contar_tokens_chat(wrong)
    assert hint in str(err.value)


def test_does_the_hidden_check_catch_a_missing_name_token():
    """Hidden conversations include 'name' fields, so a counter ignoring them fails there too."""
    with pytest.raises(AssertionError, match="'name'"):
        CHAT_OCULTO(lambda m, mod="gpt-4o": chat_ok(m, mod, name_extra=0))


# ------------------------------------------------------------------ exercise 3
def estimate_ok(mensajes, modelo, salida):
    p = BOOK.get(modelo)
    return (chat_ok(mensajes, modelo) * p.input + salida * p.output) / M


@pytest.mark.parametrize("check", [lab1.check_estimar_coste, ESTIMAR_OCULTO])
def test_does_a_correct_estimator_pass(check):
    check(estimate_ok)


def _plain(mensajes, modelo, salida):
    p, enc = BOOK.get(modelo), encoding_for_model(modelo)
    return (sum(len(enc.encode(m["content"])) for m in mensajes) * p.input + salida * p.output) / M


@pytest.mark.parametrize("wrong, hint", [
    (_plain, "usa tu contar_tokens_chat"),
    (lambda m, mod, s: chat_ok(m, mod) * BOOK.get(mod).input / M, "suma tokens_salida"),
    (lambda m, mod, s: (chat_ok(m, mod) + s) * BOOK.get(mod).input / M, "precio 'output'"),
    (lambda m, mod, s: estimate_ok(m, mod, s) * M, "divide entre 1_000_000"),
])
@pytest.mark.parametrize("check", [lab1.check_estimar_coste, ESTIMAR_OCULTO])
def test_is_each_estimation_mistake_caught_with_its_hint(check, wrong, hint):
    with pytest.raises(AssertionError, match="Ejercicio 3") as err:
        check(wrong)
    assert hint in str(err.value)


def test_does_the_closing_cell_report_without_raising(capsys):
    ok = lab1.comprueba_todo({"coste_llamada": coste_ok, "contar_tokens_chat": chat_ok,
                              "estimar_coste": coste_float})
    out = capsys.readouterr().out
    assert ok is False
    assert "✔ Ejercicio 1" in out and "✔ Ejercicio 2" in out and "✘ Ejercicio 3" in out
    assert "✘ Ejercicio 4" in out and "✘ Ejercicio 5" in out and "✘ Ejercicio 6" in out


# ------------------------------------------------------------------ issue 12: wrong work that passed
def coste_en_float(uso, modelo, *, batch=False):
    p, (i, o, c, _) = BOOK.get(modelo), _tokens(uso)
    cost = ((i - c) * float(p.input) + c * float(p.cached_input) + o * float(p.output)) / 1e6
    return Decimal(str(cost * (0.5 if batch else 1)))


def coste_sin_none(uso, modelo, *, batch=False):
    """Reads the details as if they were always present dicts."""
    p = BOOK.get(modelo)
    i, o = uso["prompt_tokens"], uso["completion_tokens"]
    c = uso.get("prompt_tokens_details", {}).get("cached_tokens", 0)
    cost = ((i - c) * p.input + c * p.cached_input + o * p.output) / M
    return cost * p.batch_discount if batch else cost


def test_is_float_arithmetic_converted_at_the_end_caught_in_hidden_cases():
    with pytest.raises(AssertionError, match="calculas en float"):
        COSTE_OCULTO(coste_en_float)


def test_is_a_missing_none_guard_caught_with_its_hint():
    with pytest.raises(AssertionError, match="detalles faltan o valen None") as err:
        COSTE_OCULTO(coste_sin_none)
    assert "or {}" in str(err.value)


def test_do_hidden_cost_cases_cover_every_shape_of_usage_details():
    from graders import load_hidden

    shapes = set()
    for case in load_hidden("lab1_cases.json")["cost"]:
        u = case["usage"]
        shapes.add((repr(u.get("prompt_tokens_details", "absent"))[:4],
                    repr(u.get("completion_tokens_details", "absent"))[:4]))
    assert len(shapes) >= 16


def chat_strip(mensajes, modelo="gpt-4o"):
    return chat_ok([{k: v.strip() for k, v in m.items()} for m in mensajes], modelo)


def chat_wrong_family(mensajes, modelo="gpt-4o"):
    """Maps every model starting with 'gpt-4' to cl100k_base (gpt-4o and gpt-4.1 are o200k_base)."""
    enc = "gpt-4" if modelo.startswith("gpt-4") and not modelo.startswith("gpt-4o") else "gpt-4o"
    return chat_ok(mensajes, modelo, enc_model=enc)


def test_is_stripping_the_text_caught_in_hidden_cases():
    with pytest.raises(AssertionError, match="no hagas strip"):
        CHAT_OCULTO(chat_strip)


def test_is_a_wrong_family_mapping_caught_in_exercise_2():
    lab1.check_contar_tokens_chat(chat_wrong_family)  # the visible check only has gpt-4o and gpt-4
    with pytest.raises(AssertionError, match="tokenizador equivocado para gpt-4.1"):
        CHAT_OCULTO(chat_wrong_family)


def chat_plain_tiktoken(mensajes, modelo="gpt-4o"):
    """The OpenAI Cookbook way: plain tiktoken, a warning for a model it does not know."""
    import warnings

    import tiktoken

    try:
        enc = tiktoken.encoding_for_model(modelo)
    except KeyError:
        warnings.warn(f"modelo {modelo} desconocido: uso o200k_base")
        enc = tiktoken.get_encoding("o200k_base")
    total = 3
    for m in mensajes:
        total += 3 + sum(len(enc.encode(v)) for v in m.values()) + (1 if "name" in m else 0)
    return total


def test_does_a_plain_tiktoken_counter_that_warns_keep_its_marks(capfd):
    lab1.check_contar_tokens_chat(chat_plain_tiktoken)
    CHAT_OCULTO(chat_plain_tiktoken)
    ESTIMAR_OCULTO(lambda m, mod, s: estimate_with(chat_plain_tiktoken, m, mod, s),
                   contar_tokens_chat=chat_plain_tiktoken)
    assert capfd.readouterr().err == ""  # nbgrader fails a test cell that writes to stderr


def estimate_with(counter, mensajes, modelo, salida):
    p = BOOK.get(modelo)
    return (counter(mensajes, modelo) * p.input + salida * p.output) / M


def test_does_a_broken_counter_cost_exercise_2_only(capsys):
    broken = lambda m, mod="gpt-4o": chat_ok(m, mod, priming=0)  # noqa: E731
    lab1.check_estimar_coste(lambda m, mod, s: estimate_with(broken, m, mod, s), broken)
    ESTIMAR_OCULTO(lambda m, mod, s: estimate_with(broken, m, mod, s), contar_tokens_chat=broken)
    assert "tu contar_tokens_chat (ejercicio 2) no cuenta" in capsys.readouterr().out


@pytest.mark.parametrize("check", [lab1.check_estimar_coste, ESTIMAR_OCULTO])
def test_does_a_wrong_estimate_name_exercise_2_when_its_counter_is_broken(check):
    broken = lambda m, mod="gpt-4o": chat_ok(m, mod, priming=0)  # noqa: E731
    wrong = lambda m, mod, s: estimate_with(broken, m, mod, s) * M  # noqa: E731
    with pytest.raises(AssertionError, match="arréglalo primero"):
        check(wrong, contar_tokens_chat=broken) if check is ESTIMAR_OCULTO else check(wrong, broken)


def test_are_amounts_in_hints_written_the_spanish_way():
    with pytest.raises(AssertionError) as err:
        lab1.check_coste_llamada(coste_sin_batch)
    assert "esperaba 0,0028 USD" in str(err.value)


def test_does_a_failed_check_show_only_its_hint_in_jupyter():
    from graders import CheckFailed

    with pytest.raises(CheckFailed) as err:
        lab1.check_coste_llamada(coste_sin_batch)
    lines = err.value._render_traceback_(log=False)
    assert len(lines) == 1 and "Pista:" in lines[0] and "Traceback" not in lines[0]


def test_is_a_learners_own_assert_reported_as_their_bug():
    def asserts(uso, modelo, *, batch=False):
        assert False, "mi comprobación"

    with pytest.raises(AssertionError, match="tu función lanzó AssertionError"):
        lab1.check_coste_llamada(asserts)


# ------------------------------------------------------------------ exercise 6: ROI
from graders import lab1_roi  # noqa: E402


def retorno_ok(coste_base, coste_opt, peticiones_mes, inversion):
    ahorro = coste_base - coste_opt
    mes = ahorro * peticiones_mes
    return {"ahorro_mes": mes, "meses_amortizacion": inversion / mes if ahorro > 0 else None,
            "peticiones_equilibrio": inversion / (12 * ahorro) if ahorro > 0 else None,
            "roi_12_meses": (12 * mes - inversion) / inversion}


@pytest.mark.parametrize("check", [lab1_roi.check_retorno, oculto(lab1_roi.check_retorno_oculto, "retorno")])
def test_does_a_correct_roi_pass(check):
    check(retorno_ok)


@pytest.mark.parametrize("wrong, hint", [
    (lambda b, o, n, i: {**retorno_ok(b, o, n, i), "ahorro_mes": b - o}, "multiplícalo por peticiones_mes"),
    (lambda b, o, n, i: {**retorno_ok(b, o, n, i), "meses_amortizacion": (b - o) * n / i if b > o else None},
     "está invertido"),
    (lambda b, o, n, i: {**retorno_ok(b, o, n, i), "meses_amortizacion": i / ((b - o) * n or 1)},
     "devuelve None"),
    (lambda b, o, n, i: {**retorno_ok(b, o, n, i), "roi_12_meses": float(retorno_ok(b, o, n, i)["roi_12_meses"])},
     "no Decimal"),
    (lambda b, o, n, i: {**retorno_ok(b, o, n, i), "peticiones_equilibrio": i / (b - o) if b > o else None},
     "en 12 meses"),
])
@pytest.mark.parametrize("check", [lab1_roi.check_retorno, oculto(lab1_roi.check_retorno_oculto, "retorno")])
def test_is_each_roi_mistake_caught_with_its_hint(check, wrong, hint):
    with pytest.raises(AssertionError, match="Ejercicio 6") as err:
        check(wrong)
    assert hint in str(err.value)


# ------------------------------------------------------------------ hidden checks in the grader process
class Siempre(Decimal):
    """A Decimal equal to everything: it reaches the grader as an object, not as a value."""

    def __eq__(self, other):
        return True

    __hash__ = Decimal.__hash__


class SiempreInt(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


@pytest.mark.parametrize("check, func, problem", [
    (COSTE_OCULTO, lambda uso, modelo, *, batch=False: Siempre(1), "devuelve Siempre, no Decimal"),
    (CHAT_OCULTO, lambda m, mod="gpt-4o": SiempreInt(1), "devuelve SiempreInt, no un entero"),
    (ESTIMAR_OCULTO, lambda m, mod, s: Siempre(1), "devuelve Siempre, no Decimal"),
    (oculto(lab1_roi.check_retorno_oculto, "retorno"),
     lambda b, o, n, i: {k: Siempre(1) for k in lab1_roi.KEYS}, "es Siempre, no Decimal"),
])
def test_is_a_result_equal_to_everything_refused_by_the_grader(check, func, problem):
    with pytest.raises(AssertionError, match="Ejercicio") as err:
        check(func)
    assert problem in str(err.value)


def test_does_a_crash_in_the_kernel_keep_its_specific_hint():
    """A TypeError mixing float and Decimal is named as such, though it happened on the learner's side."""
    def mezcla(uso, modelo, *, batch=False):
        return coste_ok(uso, modelo) * (0.5 if batch else 1)

    with pytest.raises(AssertionError, match="no mezcles float y Decimal"):
        COSTE_OCULTO(mezcla)
    with pytest.raises(AssertionError, match="no está implementada"):
        CHAT_OCULTO(sin_implementar)
    with pytest.raises(AssertionError, match="tu función retorno lanzó ZeroDivisionError"):
        oculto(lab1_roi.check_retorno_oculto, "retorno")(lambda *a: 1 / 0)


def test_do_the_hidden_checks_print_nothing(capsys):
    """The grader's stdout can be the wire itself (a one-session grader): checks never print."""
    COSTE_OCULTO(coste_ok)
    CHAT_OCULTO(chat_ok)
    ESTIMAR_OCULTO(estimate_ok, contar_tokens_chat=chat_ok)
    oculto(lab1_roi.check_retorno_oculto, "retorno")(retorno_ok)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("check", [lab1.check_estimar_coste, ESTIMAR_OCULTO])
def test_is_an_unfinished_exercise_2_named_when_the_estimate_needs_it(check):
    """estimar_coste written, contar_tokens_chat still raising: the hint points at exercise 2."""
    def estimate(m, mod, s):
        return estimate_with(sin_implementar, m, mod, s)

    with pytest.raises(AssertionError, match="Ejercicio 3") as err:
        check(estimate, contar_tokens_chat=sin_implementar) if check is ESTIMAR_OCULTO else check(estimate, sin_implementar)
    assert "contar_tokens_chat (ejercicio 2)" in str(err.value) and "termina antes el ejercicio 2" in str(err.value)
    with pytest.raises(AssertionError, match="no está implementada") as err:  # both unwritten: the same hint
        check(sin_implementar, contar_tokens_chat=chat_ok) if check is ESTIMAR_OCULTO else check(sin_implementar, chat_ok)
    assert "ejercicio 2" not in str(err.value)


def test_does_an_estimate_that_ignores_its_model_lose_the_hidden_points():
    """Its count always uses gpt-4o's tokenizer: right on every o200k_base model, wrong on gpt-4-turbo."""
    ignores_model = lambda m, mod, s: estimate_with(lambda x, _m="gpt-4o": chat_ok(x, "gpt-4o"), m, mod, s)  # noqa: E731
    with pytest.raises(AssertionError, match="tokenizador de gpt-4o, no con el de gpt-4-turbo"):
        ESTIMAR_OCULTO(ignores_model, contar_tokens_chat=chat_ok)
