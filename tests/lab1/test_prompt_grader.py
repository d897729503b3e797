"""Does the concise-prompt check pass a short prompt that keeps the instructions, and name what each bad one lost?"""

from __future__ import annotations

import pytest

from course_lib.course import scenario
from graders import lab1_prompt

GOOD = "Eres el asistente de atención al cliente de la tienda. Responde en español, breve, usando solo la documentación."


def test_does_the_courses_concise_prompt_pass_the_visible_and_hidden_checks(capsys):
    lab1_prompt.check_prompt(scenario.CONCISE_SYSTEM_PROMPT)
    lab1_prompt.check_prompt_oculto(GOOD)
    assert "tokens frente a" in capsys.readouterr().out


@pytest.mark.parametrize("prompt, hint", [
    ("Eres el asistente de atención al cliente de la tienda. Responde en español usando solo la documentación.",
     "pide brevedad"),
    ("Eres el asistente de atención al cliente. Responde breve usando solo la documentación.", "el idioma"),
    ("Responde en español, breve, usando solo la documentación.", "el rol"),
    ("Eres el asistente de atención al cliente. Responde en español, breve.", "usar solo la documentación"),
    (scenario.VERBOSE_SYSTEM_PROMPT + " Responde breve.", "tokens, el"),
    (None, "aún no tiene valor"),
    (42, "no un texto"),
])
def test_is_each_lost_instruction_named(prompt, hint):
    with pytest.raises(AssertionError, match="Ejercicio 4") as err:
        lab1_prompt.check_prompt(prompt)
    assert hint in str(err.value)
