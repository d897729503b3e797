"""Lab 4's graders: the reference solutions pass visible and hidden checks, and the wrong
ones of the issue fail with the hint that names their mistake."""

import pytest

from graders import lab4
from tests.lab4 import solutions as s

GOOD = {"metricas": s.metricas, "alertas": s.registrar_y_alertar, "guardia": s.crear_guardia,
        "prevision": s.prever_gasto, "anomalias": s.detectar_anomalias}


@pytest.mark.parametrize("name", sorted(GOOD))
@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "oculto"])
def test_does_the_reference_solution_pass(name, hidden):
    getattr(lab4, f"check_{name}" + ("_oculto" if hidden else ""))(GOOD[name])


@pytest.mark.parametrize("check, wrong, hint", [
    ("check_metricas_oculto", s.metricas_por_fila, "divide entre filas"),
    ("check_alertas_oculto", s.alerta_siempre, "se disparan"),
    ("check_alertas_oculto", s.alertas_en_utc, "medianoche UTC"),
    ("check_guardia_oculto", s.guardia_ingenua, "comprobar y después sumar"),
    ("check_prevision_oculto", s.prever_ultimo_valor, "repetir el último valor"),
    ("check_anomalias_oculto", s.detectar_todo, "falsas alarmas"),
    ("check_anomalias_oculto", s.detectar_leyendo_ocultos, "abrió un fichero de los datos"),
])
def test_does_a_wrong_answer_fail_with_its_hint(check, wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        getattr(lab4, check)(wrong)


@pytest.mark.parametrize("wrong", [s.guardia_en_memoria, s.guardia_comprueba_en_almacen])
def test_does_a_guard_that_is_not_shared_or_not_atomic_lose_the_process_check(wrong):
    with pytest.raises(AssertionError, match="procesos que comparten el almacén gastaron|empezaron con el tope"):
        lab4._check_cap_processes(wrong, limit="0.08", processes=4, calls=12)


def test_does_the_reference_guard_hold_the_cap_under_processes():
    log = lab4._check_cap_processes(s.crear_guardia, limit="0.08", processes=4, calls=12)
    assert log["spent"] <= log["limit"] + log["worst"] and log["late"] == 0 and log["starts"] > 0


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
    import pandas as pd
    spec = lab4.load_hidden("lab4_cases.json")["forecast"]
    daily = lab4._daily_all()
    cut = pd.Timestamp(spec["train_end"], tz="UTC")
    train, test = daily[daily.index < cut], daily[daily.index >= cut].iloc[:spec["horizon"]]
    f = s.prever_gasto(train, len(test))
    ours, naive = mape(test, f["media"]), mape(test, seasonal_naive(train, len(test)))
    hourly, truth = lab4.hourly_hidden()
    caught, false = lab4._score(lab4._events(s.detectar_anomalias(hourly)), truth)
    with capsys.disabled():
        print(f"\nreferencia oculta: MAPE {ours:.3f} (ingenuo {naive:.3f}), cobertura "
              f"{coverage(test, f['inferior'], f['superior']):.2f}; anomalías {caught}/{len(truth)}, falsas {false}")
    assert ours <= lab4.MAPE_GATE and caught >= lab4.RECALL_GATE * len(truth)
