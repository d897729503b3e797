"""Lab 4's graders: the reference solutions pass visible and hidden checks, and the wrong
ones of the issue fail with the hint that names their mistake.

The hidden checks run here with ``LocalWorker`` (the learner's side in this process, every
value through ``graders.wire``); the grading suite runs them against a sandboxed kernel."""

import functools

import pytest

from graders import lab4
from graders.verdicts import LocalWorker
from tests.lab4 import solutions as s

GOOD = {"metricas": s.metricas, "alertas": s.registrar_y_alertar, "guardia": s.crear_guardia,
        "prevision": s.prever_gasto, "anomalias": s.detectar_anomalias}
NAMES = {"metricas": "metricas", "alertas": "registrar_y_alertar", "guardia": "crear_guardia",
         "prevision": "prever_gasto", "anomalias": "detectar_anomalias"}


def hidden(name, func):
    getattr(lab4, f"check_{name}_oculto")(LocalWorker({NAMES[name]: func}))


def guard_rounds(factory, **rounds):
    """The hidden check's rounds of exercise 3 (``threads=``/``processes=``), through a ``LocalWorker``."""
    worker = LocalWorker({"crear_guardia": factory})
    return lab4._check_guard(lab4._function(worker, "crear_guardia"), functools.partial(lab4._driven, worker),
                             **{"threads": None, "processes": None, **rounds})


@pytest.mark.parametrize("name", sorted(GOOD))
def test_does_the_reference_solution_pass_the_visible_check(name):
    getattr(lab4, f"check_{name}")(GOOD[name])


@pytest.mark.parametrize("name", sorted(GOOD))
def test_does_the_reference_solution_pass_the_hidden_check(name):
    hidden(name, GOOD[name])


@pytest.mark.parametrize("name, wrong, hint", [
    ("metricas", s.metricas_por_fila, "divide entre filas"),
    ("metricas", s.metricas_igual_a_todo, "no coincide"),
    ("metricas", s.metricas_con_defaultdict, None),
    ("alertas", s.alerta_siempre, "se disparan"),
    ("alertas", s.alertas_en_utc, "medianoche UTC"),
    ("alertas", s.alertas_sin_umbral, "debe tener .budget y .threshold"),
    ("guardia", s.guardia_ingenua, "comprobar y después sumar"),
    ("guardia", s.guardia_que_rechaza_todo, "no dejó pasar ninguna llamada"),
    ("guardia", s.guardia_tacana, "rechazó demasiado pronto"),
    ("prevision", s.prever_ultimo_valor, "repetir el último valor"),
    ("prevision", s.prever_serie, None),
    ("anomalias", s.detectar_todo, "falsas alarmas"),
    ("anomalias", s.detectar_tuplas, None),
])
def test_does_a_variant_get_the_verdict_it_deserves(name, wrong, hint):
    """A wrong answer fails with the hint that names its mistake; ``hint=None``: correct work written
    another way keeps its points."""
    if hint is None:
        hidden(name, wrong)
    else:
        with pytest.raises(AssertionError, match=hint):
            hidden(name, wrong)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_does_an_unimplemented_exercise_say_so_in_the_hidden_check(name):
    def stub(*args):
        raise NotImplementedError()
    with pytest.raises(AssertionError, match="no está implementada"):
        hidden(name, stub)


@pytest.mark.parametrize("wrong", [s.guardia_en_memoria, s.guardia_comprueba_en_almacen])
def test_does_a_guard_that_is_not_shared_or_not_atomic_lose_the_process_check(wrong):
    with pytest.raises(AssertionError, match="procesos que comparten el almacén gastaron|empezaron con el tope"):
        guard_rounds(wrong, processes=("0.08", 4, 12))


def test_does_the_reference_guard_hold_the_cap_on_the_provider_bill():
    threads, procs = guard_rounds(s.crear_guardia, threads=("0.21", 12, 14), processes=("0.08", 4, 12))
    for bill in (threads, procs):
        assert bill["limit"] / 2 <= bill["spent"] <= bill["limit"] + bill["worst"] and bill["late"] == 0


def test_does_an_unimplemented_exercise_say_so():
    def stub(*args):
        raise NotImplementedError()
    with pytest.raises(AssertionError, match="no está implementada"):
        lab4.check_metricas(stub)


def test_does_comprueba_todo_report_every_exercise(capsys):
    assert lab4.comprueba_todo({"metricas": s.metricas}) is False
    out = capsys.readouterr().out
    assert "✔ Ejercicio 1" in out and "✘ Ejercicio 5" in out and "1 de 5" in out


def test_what_does_the_reference_reach_on_the_hidden_data(capsys):
    """Not a gate: prints the figures the gates were set from (see the lab's note)."""
    from course_lib.budgets.forecast import coverage, mape, seasonal_naive
    spec = lab4.load_hidden("lab4_cases.json")["forecast"]
    train, test = lab4._split(lab4._daily_all(), spec["train_end"], spec["horizon"])
    f = s.prever_gasto(train, len(test))
    ours, naive = mape(test, f["media"]), mape(test, seasonal_naive(train, len(test)))
    hourly, truth = lab4.hourly_hidden()
    caught, false = lab4._score(lab4._events(s.detectar_anomalias(hourly)), truth)
    with capsys.disabled():
        print(f"\nreferencia oculta: MAPE {ours:.3f} (ingenuo {naive:.3f}), cobertura "
              f"{coverage(test, f['inferior'], f['superior']):.2f}; anomalías {caught}/{len(truth)}, falsas {false}")
    assert ours <= lab4.MAPE_GATE and caught >= lab4.RECALL_GATE * len(truth)
