"""Lab 1's own grading cases: its points, and hints that name what each submission did wrong."""

from __future__ import annotations

import pytest

from .test_pipeline import feedback_text

pytestmark = pytest.mark.timeout(1200)


def test_is_the_maximum_ten_points_in_four_exercises(graded_lab):
    full = graded_lab("lab1")["scores"]["completo"]
    assert (full.score, full.max_score) == (10, 10)
    assert [(i.name, i.max_score) for i in full.items] == [
        ("ej1_coste_llamada_test", 2), ("ej2_tokens_chat_test", 2),
        ("ej3_estimar_test", 2), ("ej4_optimizador_test", 4)]


def test_do_the_sample_submissions_score_ten_four_and_zero(graded_lab):
    scores = graded_lab("lab1")["scores"]
    assert [scores[n].score for n in ("completo", "parcial", "vacio")] == [10, 4, 0]


def test_does_the_feedback_name_how_the_optimizer_gamed_the_metric(graded_lab):
    result = graded_lab("lab1")
    _, text = feedback_text(result["course"], "lab1", "sin_pregunta")
    assert "Ejercicio 4" in text and "Pista:" in text and "la pregunta del cliente ya no se reconoce" in text
    _, text = feedback_text(result["course"], "lab1", "trampas_optimizador")
    assert "solo baja un 0.0%" in text  # the baseline sent unchanged, patched prices and scoring ignored
