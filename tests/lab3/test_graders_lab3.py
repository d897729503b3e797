"""Lab 3's check functions: the reference passes, each typical mistake or trick fails with its hint."""

from decimal import Decimal

import pytest

from course_lib.cascade import Cascade, calibrate, personal_data
from course_lib.cascade.privacy import is_sensitive_topic
from course_lib.course import world
from graders import lab3, lab3_privacy, lab3_strategy

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


def test_does_the_reference_evaluation_pass_both_checks():
    lab3.check_evaluar_estrategia(evaluar_estrategia)
    lab3.check_evaluar_estrategia_oculto(evaluar_estrategia)


def test_is_counting_only_the_last_attempt_named():
    with pytest.raises(AssertionError, match="último intento"):
        lab3.check_evaluar_estrategia(lambda *a, **k: evaluar_estrategia(*a, **k, solo_ultimo=True))


def test_does_the_calibrated_threshold_land_on_the_hidden_share():
    lab3.check_calibrar_umbral(calibrar)
    lab3.check_calibrar_umbral_oculto(calibrar)
    hidden = lab3.confianzas("oculto")
    for target in lab3.CUOTAS_OCULTAS:
        share = sum(c < calibrar(lab3.confianzas("calibracion"), target) for c in hidden) / len(hidden)
        assert abs(share - target) <= 0.025     # the reference's drift; the gate allows 0.07


def test_does_a_fixed_threshold_miss_one_of_the_two_hidden_targets():
    fixed = calibrar(lab3.confianzas("calibracion"), lab3.CUOTAS_OCULTAS[0])
    with pytest.raises(AssertionError, match="tolerancia"):
        lab3.check_calibrar_umbral_oculto(lambda c, q: fixed)


def test_does_a_calibration_on_a_trimmed_split_drift_out():
    """Calibrating on the most confident half only (dropping data) lands far from the target."""
    with pytest.raises(AssertionError, match="Ejercicio 2"):
        lab3.check_calibrar_umbral_oculto(lambda c, q: calibrar(sorted(c)[len(c) // 2:], q))


def test_is_the_wrong_side_quantile_caught():
    with pytest.raises(AssertionError, match="cuantil"):
        lab3.check_calibrar_umbral(lambda c, q: calibrar(c, q, lado=-1))


def test_does_the_reference_strategy_beat_the_hidden_frontier():
    lab3_strategy.check_estrategia(reference)
    lab3_strategy.check_estrategia_oculto(reference)


def test_does_the_hidden_check_run_the_learners_calibration_on_train_and_dev():
    seen = []
    lab3_strategy.check_estrategia_oculto(lambda medidas: seen.append(medidas) or reference(medidas))
    (medidas,) = seen
    n = len(world.load_tasks("train")) + len(world.load_tasks("dev"))
    assert set(medidas) == set(lab3.ESCALERA) and all(len(v) == n for v in medidas.values())


def test_are_the_stored_calibration_runs_what_a_live_run_measures():
    stored = lab3_strategy.medidas_calibracion("dev")["gpt-4.1"]
    tasks = world.load_tasks("dev").head(30).to_dict("records")
    live = lab3.medir_modelos(tasks, ["gpt-4.1"])["gpt-4.1"]
    assert [(o.correct, o.cost) for o in live.outcomes] == [(ok, cost) for ok, _, cost in stored[:30]]
    assert [o.confidence for o in live.outcomes] == pytest.approx([c for _, c, _ in stored[:30]])


def test_do_hand_copied_thresholds_miss_the_gate():
    with pytest.raises(AssertionError, match="Ejercicio 3"):
        lab3_strategy.check_estrategia_oculto(fixed_thresholds)


@pytest.mark.parametrize("model", ["gpt-5-mini@minimal", "gpt-4.1-nano", "gpt-4o", "gemini-2.5-flash"])
def test_does_a_single_model_never_pass(model):
    with pytest.raises(AssertionError, match="Ejercicio 3"):
        lab3_strategy.check_estrategia_oculto(lambda medidas: model)


def test_is_a_strategy_writing_the_answers_scored_wrong():
    def tramposa(call, call_next):
        response = call_next(call)
        response.choices[0].message.content = world.get_task(call.params["metadata"]["task_id"])["answer"]
        return response

    with pytest.raises(AssertionError, match="no salieron de ningún modelo"):
        lab3_strategy.check_estrategia(lambda medidas: tramposa)


def test_does_reading_the_hidden_difficulty_fail_on_renamed_tasks():
    def por_dificultad(call, call_next):
        task = world.get_task(call.params["metadata"]["task_id"])
        call.params = {**call.params, "model": "gpt-4o-mini" if task["difficulty"] < 0.45 else "gpt-4.1"}
        return call_next(call)

    with pytest.raises(AssertionError, match="datos ocultos"):
        lab3_strategy.check_estrategia_oculto(lambda medidas: por_dificultad)


def _peeking_cascade(read_answers):
    """Cheap model first; climb only when its answer is wrong according to the peeked answers:
    it pays every attempt, so without the guard it would look like an oracle at cascade cost."""
    def estrategia(medidas):
        def mira(call, call_next):
            answers = read_answers()
            task = answers.get(call.params["metadata"]["task_id"])
            response = None
            for model in ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1"]:
                call.params = {**call.params, "model": model}
                response = call_next(call)
                if task is not None and world.is_correct(task, response.choices[0].message.content):
                    break
            return response
        return mira
    return estrategia


@pytest.mark.parametrize("read_answers", [
    lambda: {t["task_id"]: t for t in lab3_strategy.tareas_ocultas()},
    lambda: {lab3_strategy.renombrar(t["task_id"], __import__("json").load(open(
        lab3_strategy.HIDDEN_DIR / "lab3_casos.json"))["sal"]): t
        for t in world.load_tasks("test", include_hidden=True).to_dict("records")},
], ids=["grader_module", "hidden_files"])
def test_is_a_strategy_peeking_at_the_hidden_answers_refused(read_answers):
    with pytest.raises(AssertionError, match="datos ocultos"):
        lab3_strategy.check_estrategia_oculto(_peeking_cascade(read_answers))


def test_does_the_guard_leave_the_world_as_it_was():
    before = (world.get_task, world.load_tasks, lab3_strategy.tareas_ocultas)
    with pytest.raises(AssertionError):
        lab3_strategy.check_estrategia_oculto(_peeking_cascade(lambda: {t["task_id"]: t for t in lab3_strategy.tareas_ocultas()}))
    assert (world.get_task, world.load_tasks, lab3_strategy.tareas_ocultas) == before
    assert len(lab3_strategy.tareas_ocultas()) > 100


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
    lab3_privacy.check_destino_oculto(destino)


@pytest.mark.parametrize("rule,hint", [
    (lambda t, m: lab3_privacy.MODELO_LOCAL, "sin datos personales"),
    (lambda t, m: m, "irían a la nube"),
    (lambda t, m: lab3_privacy.MODELO_LOCAL if personal_data(t) else m, "modelo más débil"),
])
def test_is_each_broken_privacy_rule_caught(rule, hint):
    with pytest.raises(AssertionError, match=hint):
        lab3_privacy.check_destino_oculto(rule)
