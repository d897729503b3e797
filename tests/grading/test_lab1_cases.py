"""Lab 1's own grading cases: its points, and hints that name what each submission did wrong."""

from __future__ import annotations

import pytest

from .test_pipeline import feedback_text

pytestmark = pytest.mark.timeout(1200)


def test_is_the_maximum_fourteen_points_in_six_exercises(graded_lab):
    full = graded_lab("lab1")["scores"]["completo"]
    assert (full.score, full.max_score) == (14, 14)
    assert [(i.name, i.max_score) for i in full.items] == [
        ("ej1_coste_llamada_test", 2), ("ej2_tokens_chat_test", 2), ("ej3_estimar_test", 2),
        ("ej4_prompt_test", 2), ("ej5_optimizador_test", 4), ("ej6_retorno_test", 2)]


def test_do_the_sample_submissions_score_fourteen_six_and_zero(graded_lab):
    scores = graded_lab("lab1")["scores"]
    assert [scores[n].score for n in ("completo", "parcial", "vacio")] == [14, 6, 0]


def test_does_the_feedback_name_how_the_optimizer_gamed_the_metric(graded_lab):
    result = graded_lab("lab1")
    _, text = feedback_text(result["course"], "lab1", "sin_pregunta")
    assert "Ejercicio 5" in text and "Pista:" in text and "la pregunta del cliente ya no se reconoce" in text
    assert "detalles faltan o valen None" in text and "usas el tokenizador equivocado para" in text
    _, text = feedback_text(result["course"], "lab1", "trampas_optimizador")
    assert "hace falta que el coste baje al menos un 20 %" in text  # the baseline unchanged, patches ignored


def test_does_each_plausible_mistake_get_the_hint_that_names_it(graded_lab):
    _, text = feedback_text(graded_lab("lab1")["course"], "lab1", "errores_plausibles")
    for hint in ("calculas en float", "no hagas strip()", "pide brevedad", "cortas la documentación por el final",
                 "no Decimal"):
        assert hint in text, hint


def test_does_correct_work_written_other_ways_keep_full_marks(graded_lab):
    assert graded_lab("lab1")["scores"]["correctas_de_otra_forma"].score == 14


def test_do_the_hidden_checks_refuse_results_equal_to_everything_and_hidden_reads(graded_lab):
    result = graded_lab("lab1")
    _, text = feedback_text(result["course"], "lab1", "igual_a_todo")
    assert "devuelve Siempre, no Decimal" in text and "devuelve SiempreEntero, no un entero" in text
    assert "devuelve SiemprePeticion, no una petición (dict)" in text and "'ahorro_mes' es Siempre" in text
    _, text = feedback_text(result["course"], "lab1", "lee_ocultos")
    assert "En las tareas ocultas el acierto baja" in text
