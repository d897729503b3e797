"""Lab 3's check functions: the reference passes, each typical mistake or trick fails with its hint.

Hidden checks run as the grader process runs them, on a ``LocalWorker`` (the
learner's side in this process, every value through the wire): here the
hidden data is readable from both sides, so the tests of what the kernel can
read while graded are in ``tests/grading/labs/lab3.py``.
"""

import json
from decimal import Decimal

import pytest

from course_lib.cascade import Cascade, calibrate, personal_data
from course_lib.cascade.privacy import is_sensitive_topic
from course_lib.course import world
from graders import HIDDEN_DIR, lab3, lab3_privacy, lab3_strategy
from graders.verdicts import LocalWorker

LADDER = ["gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1"]


def reference(medidas):
    """The lesson's solution: calibrated on what it receives, as accurate as the best model alone."""
    best = max(sum(ok for ok, _, _ in medidas[m]) / len(medidas[m]) for m in LADDER)
    return Cascade(ladder=LADDER, thresholds=calibrate(medidas, LADDER, target_accuracy=best, grid=10))


def fixed_thresholds(medidas):
    """Thresholds copied by hand (tuned once on some split): not a calibration."""
    return Cascade(ladder=LADDER, thresholds=[0.5, 0.5])


def evaluar_estrategia(registros, correctas, *, fuerte, precision_debil, precision_fuerte, solo_ultimo=False):
    filas = list({r.call_id: r for r in registros}.values()) if solo_ultimo else registros
    uso = {}
    for r in registros:
        uso[r.model] = uso.get(r.model, 0) + 1
    precision = sum(correctas.values()) / len(correctas)
    return {"coste": sum((r.cost for r in filas), Decimal(0)), "precision": precision,
            "uso": {m: k / len(registros) for m, k in uso.items()},
            "cuota_fuerte": len({r.task_id for r in registros if r.model == fuerte}) / len(correctas),
            "pgr": (precision - precision_debil) / (precision_fuerte - precision_debil)}


def calibrar(confianzas, cuota, *, lado=1):
    ordenadas = sorted(confianzas)
    k = round((cuota if lado == 1 else 1 - cuota) * len(ordenadas))
    return 1.0 if k >= len(ordenadas) else (ordenadas[k] if k else 0.0)


def destino(texto, modelo):
    if personal_data(texto):
        return lab3_privacy.MODELO_LOCAL
    if modelo == lab3_privacy.ESCALERA_PRIVACIDAD[0] and is_sensitive_topic(texto):
        return lab3_privacy.ESCALERA_PRIVACIDAD[1]
    return modelo


def ej1(f):
    lab3.check_evaluar_estrategia_oculto(LocalWorker({"evaluar_estrategia": f}))


def ej2(f):
    lab3.check_calibrar_umbral_oculto(LocalWorker({"calibrar_umbral": f}))


def ej3(f):
    lab3_strategy.check_estrategia_oculto(LocalWorker({"crear_estrategia": f}))


def ej4(f):
    lab3_privacy.check_destino_oculto(LocalWorker({"destino": f}))


class Siempre(Decimal):
    """A number rigged to equal everything."""

    def __eq__(self, other):
        return True

    __hash__ = Decimal.__hash__


class SiempreTexto(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


def test_does_the_reference_evaluation_pass_both_checks():
    lab3.check_evaluar_estrategia(evaluar_estrategia)
    ej1(evaluar_estrategia)


def test_is_counting_only_the_last_attempt_named():
    last_only = lambda *a, **k: evaluar_estrategia(*a, **k, solo_ultimo=True)  # noqa: E731
    with pytest.raises(AssertionError, match="último intento"):
        lab3.check_evaluar_estrategia(last_only)
    with pytest.raises(AssertionError, match="Ejercicio 1.*último intento"):
        ej1(last_only)


def test_does_a_mapping_written_another_way_keep_its_points():
    from collections import Counter, OrderedDict

    def con_counter(registros, correctas, **kw):
        out = evaluar_estrategia(registros, correctas, **kw)
        uso = Counter(r.model for r in registros)
        for m in uso:
            uso[m] /= len(registros)
        return OrderedDict(out, uso=uso)

    ej1(con_counter)


def test_does_an_object_equal_to_everything_fail_the_hidden_checks():
    def trampa(registros, correctas, **kw):
        return {k: Siempre(0) for k in ("coste", "precision", "uso", "cuota_fuerte", "pgr")}

    with pytest.raises(AssertionError, match="Ejercicio 1.*el coste es Siempre"):
        ej1(trampa)
    with pytest.raises(AssertionError, match="Ejercicio 2.*devuelve Siempre, no un número"):
        ej2(lambda c, q: Siempre("0.5"))
    with pytest.raises(AssertionError, match="Ejercicio 4.*devolvió <objeto de tipo SiempreTexto>"):
        ej4(lambda t, m: SiempreTexto(lab3_privacy.MODELO_LOCAL))


def test_does_a_crash_keep_the_labs_hint():
    with pytest.raises(AssertionError, match="Ejercicio 1.*evaluar_estrategia lanzó ZeroDivisionError.*ejecútala"):
        ej1(lambda *a, **k: 1 / 0)


def test_does_the_calibrated_threshold_land_on_the_hidden_share():
    lab3.check_calibrar_umbral(calibrar)
    ej2(calibrar)
    hidden = lab3.confianzas("oculto")
    for target in lab3.CUOTAS_OCULTAS:
        share = sum(c < calibrar(lab3.confianzas("calibracion"), target) for c in hidden) / len(hidden)
        assert abs(share - target) <= 0.025     # the reference's drift; the gate allows 0.07


def test_does_a_numpy_threshold_keep_its_points():
    import numpy as np

    ej2(lambda c, q: np.float64(calibrar(c, q)))


def test_does_a_fixed_threshold_miss_one_of_the_two_hidden_targets():
    fixed = calibrar(lab3.confianzas("calibracion"), lab3.CUOTAS_OCULTAS[0])
    with pytest.raises(AssertionError, match="tolerancia"):
        ej2(lambda c, q: fixed)


def test_does_a_calibration_on_a_trimmed_split_drift_out():
    """Calibrating on the most confident half only (dropping data) lands far from the target."""
    with pytest.raises(AssertionError, match="Ejercicio 2"):
        ej2(lambda c, q: calibrar(sorted(c)[len(c) // 2:], q))


def test_is_the_wrong_side_quantile_caught():
    with pytest.raises(AssertionError, match="cuantil"):
        lab3.check_calibrar_umbral(lambda c, q: calibrar(c, q, lado=-1))


def test_does_the_reference_strategy_beat_the_hidden_frontier():
    lab3_strategy.check_estrategia(reference)
    ej3(reference)


def test_does_the_hidden_check_run_the_learners_calibration_on_train_and_dev():
    seen = []
    ej3(lambda medidas: seen.append(medidas) or reference(medidas))
    (medidas,) = seen
    n = len(world.load_tasks("train")) + len(world.load_tasks("dev"))
    assert set(medidas) == set(lab3.ESCALERA) and all(len(v) == n for v in medidas.values())
    assert medidas == lab3_strategy.medidas_calibracion("train+dev")


def test_does_the_kernel_see_only_the_requests_of_the_hidden_tasks():
    """What a strategy gets of each hidden task: the lab's request, with the task id renamed."""
    seen = []

    def mira(call, call_next):
        seen.append(json.loads(json.dumps(call.params)))
        return call_next(call)

    with pytest.raises(AssertionError, match="Ejercicio 3"):
        ej3(lambda medidas: mira)    # the weak model alone: below the gate
    hidden = lab3_strategy.tareas_ocultas()
    assert len(seen) == len(hidden)
    assert all(set(p) == {"model", "logprobs", "metadata", "messages"} for p in seen)
    assert sorted(p["metadata"]["task_id"] for p in seen) == sorted(t["task_id"] for t in hidden)
    assert all(set(p["metadata"]) == {"task_id"} and p["metadata"]["task_id"].startswith("H3-") for p in seen)


def test_are_the_stored_calibration_runs_what_a_live_run_measures():
    stored = lab3_strategy.medidas_calibracion("dev")["gpt-4.1"]
    tasks = world.load_tasks("dev").head(30).to_dict("records")
    live = lab3.medir_modelos(tasks, ["gpt-4.1"])["gpt-4.1"]
    assert [(o.correct, o.cost) for o in live.outcomes] == [(ok, cost) for ok, _, cost in stored[:30]]
    assert [o.confidence for o in live.outcomes] == pytest.approx([c for _, c, _ in stored[:30]])


def test_is_the_public_file_the_public_part_of_the_stored_cases():
    """The kernel reads the public measurements from graders/lab3_publico.json (graders/hidden/ is
    empty for it); they are the same figures as the hidden file's."""
    casos = json.loads((HIDDEN_DIR / lab3_strategy.CASOS).read_text(encoding="utf-8"))
    publico = json.loads(lab3_strategy.PUBLICO.read_text(encoding="utf-8"))
    assert publico == {k: casos[k] for k in lab3_strategy.PUBLICAS}
    assert not {"sal", "privacidad", "frontera_oculta", "confianzas_oculto"} & set(publico)


def test_do_hand_copied_thresholds_miss_the_gate():
    with pytest.raises(AssertionError, match="Ejercicio 3"):
        ej3(fixed_thresholds)


@pytest.mark.parametrize("model", ["gpt-5-mini@minimal", "gpt-4.1-nano", "gpt-4o", "gemini-2.5-flash"])
def test_does_a_single_model_never_pass(model):
    with pytest.raises(AssertionError, match="Ejercicio 3"):
        ej3(lambda medidas: model)


def test_is_a_strategy_writing_the_answers_scored_wrong():
    def tramposa(call, call_next):
        response = call_next(call)
        response.choices[0].message.content = world.get_task(call.params["metadata"]["task_id"])["answer"]
        return response

    with pytest.raises(AssertionError, match="no salieron de ningún modelo"):
        lab3_strategy.check_estrategia(lambda medidas: tramposa)


def test_is_a_text_no_model_returned_scored_wrong_on_the_hidden_tasks():
    """The grader checks each text against what its own simulator answered."""
    def copia_documentacion(call, call_next):
        response = call_next(call)
        response.choices[0].message.content = call.params["messages"][-1]["content"]
        return response

    with pytest.raises(AssertionError, match="205 respuestas no salieron de ningún modelo"):
        ej3(lambda medidas: copia_documentacion)


def test_does_reading_the_hidden_difficulty_fail_on_renamed_tasks():
    def por_dificultad(call, call_next):
        task = world.get_task(call.params["metadata"]["task_id"])
        call.params = {**call.params, "model": "gpt-4o-mini" if task["difficulty"] < 0.45 else "gpt-4.1"}
        return call_next(call)

    with pytest.raises(AssertionError, match="tu middleware falló: KeyError"):
        ej3(lambda medidas: por_dificultad)


@pytest.mark.parametrize("strategy,hint", [
    (lambda medidas: 42, "crear_estrategia devolvió int"),
    (lambda medidas: "modelo-que-no-existe", "la llamada falló"),
    (lambda medidas: 1 / 0, "crear_estrategia lanzó ZeroDivisionError"),
])
def test_is_each_broken_strategy_named(strategy, hint):
    with pytest.raises(AssertionError, match=hint):
        ej3(strategy)


def test_is_the_stored_hidden_frontier_what_a_live_run_measures():
    stored = lab3_strategy.frontera("frontera_oculta")
    live = lab3.medir_modelos(lab3_strategy.tareas_ocultas(), ["gpt-4o-mini"],
                              cliente=lab3_strategy.cliente_oculto())["gpt-4o-mini"]
    assert (float(live.cost), live.accuracy) == pytest.approx(stored["gpt-4o-mini"])


def test_are_the_stored_hidden_confidences_what_a_live_run_measures():
    assert tuple(lab3.medir_confianzas("oculto")) == pytest.approx(lab3.confianzas("oculto"))


def test_do_hidden_ids_reveal_nothing():
    ids = [t["task_id"] for t in lab3_strategy.tareas_ocultas()]
    assert all(i.startswith("H3-") for i in ids) and len(set(ids)) == len(ids)
    with pytest.raises(KeyError):
        world.get_task(ids[0])


def test_does_the_reference_privacy_rule_have_zero_violations():
    lab3_privacy.check_destino(destino)
    ej4(destino)


@pytest.mark.parametrize("rule,hint", [
    (lambda t, m: lab3_privacy.MODELO_LOCAL, "sin datos personales"),
    (lambda t, m: m, "irían a la nube"),
    (lambda t, m: lab3_privacy.MODELO_LOCAL if personal_data(t) else m, "modelo más débil"),
])
def test_is_each_broken_privacy_rule_caught(rule, hint):
    with pytest.raises(AssertionError, match=hint):
        ej4(rule)
