"""Does the concise-prompt check pass a short prompt that keeps the instructions, and name what each bad one lost?"""

from __future__ import annotations

import pytest

from course_lib.course import scenario
from graders import lab1_prompt
from graders.verdicts import LocalWorker

GOOD = "Eres el asistente de atención al cliente de la tienda. Responde en español, breve, usando solo la documentación."


def test_does_the_courses_concise_prompt_pass_the_visible_and_hidden_checks(capsys):
    lab1_prompt.check_prompt(scenario.CONCISE_SYSTEM_PROMPT)
    assert "tokens frente a" in capsys.readouterr().out
    lab1_prompt.check_prompt_oculto(LocalWorker({"PROMPT_CONCISO": GOOD}))  # read from the kernel by name


@pytest.mark.parametrize("prompt, hint", [
    ("Eres el asistente de atención al cliente de la tienda. Responde en español usando solo la documentación.",
     "pide brevedad"),
    (..., "aún no tiene valor"),
    (None, "aún no tiene valor"),
    (42, "no un texto"),
])
def test_does_the_hidden_check_in_the_grader_name_what_the_prompt_lost(prompt, hint):
    with pytest.raises(AssertionError, match="Ejercicio 4") as err:
        lab1_prompt.check_prompt_oculto(LocalWorker({"PROMPT_CONCISO": prompt}))
    assert hint in str(err.value)


def test_is_a_string_that_equals_everything_not_a_prompt():
    class Siempre(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    with pytest.raises(AssertionError, match="PROMPT_CONCISO es Siempre, no un texto"):
        lab1_prompt.check_prompt_oculto(LocalWorker({"PROMPT_CONCISO": Siempre(GOOD)}))


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
