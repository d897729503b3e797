"""Do the concise prompt templates keep their instructions while saving tokens?"""

import json

import pytest

from course_lib.paths import REPO_ROOT
from course_lib.tokens import count_tokens

PROMPTS = json.loads((REPO_ROOT / "templates/cost-optimization/system_prompts.json").read_text(encoding="utf-8"))
KEEP = {"soporte_general": ["español", "breve", "contexto", "atención al cliente"],
        "clasificar_intencion": ["envío", "devolución", "pago", "garantía", "cuenta", "promoción", "otro"],
        "extraer_datos": ["pedido", "importe", "fecha", "metodo_pago", "null"]}


@pytest.mark.parametrize("prompt", PROMPTS["prompts"], ids=lambda p: p["name"])
def test_does_each_concise_prompt_save_40_percent_and_keep_its_instructions(prompt):
    verbose, concise = count_tokens(prompt["verbose"]), count_tokens(prompt["concise"])
    assert concise <= 0.6 * verbose
    for word in KEEP[prompt["name"]]:
        assert word in prompt["concise"].lower(), word
