"""Do lab 1's checks pass a correct answer and catch each typical mistake with the right hint?"""

from decimal import Decimal

import pytest

from course_lib.pricing import PriceBook
from course_lib.tokens import encoding_for_model
from graders import lab1

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


@pytest.mark.parametrize("check", [lab1.check_coste_llamada, lab1.check_coste_llamada_oculto])
def test_does_a_correct_cost_function_pass(check, capsys):
    check(coste_ok)
    assert "✔" in capsys.readouterr().out


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
@pytest.mark.parametrize("check", [lab1.check_coste_llamada, lab1.check_coste_llamada_oculto])
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


@pytest.mark.parametrize("check", [lab1.check_contar_tokens_chat, lab1.check_contar_tokens_chat_oculto])
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
        lab1.check_contar_tokens_chat_oculto(lambda m, mod="gpt-4o": chat_ok(m, mod, name_extra=0))


# ------------------------------------------------------------------ exercise 3
def estimate_ok(mensajes, modelo, salida):
    p = BOOK.get(modelo)
    return (chat_ok(mensajes, modelo) * p.input + salida * p.output) / M


@pytest.mark.parametrize("check", [lab1.check_estimar_coste, lab1.check_estimar_coste_oculto])
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
@pytest.mark.parametrize("check", [lab1.check_estimar_coste, lab1.check_estimar_coste_oculto])
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
    assert "✘ Ejercicio 4" in out
