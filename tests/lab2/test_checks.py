"""Lab 2's checks: the reference solutions pass, the typical mistakes and the cheats fail with a hint."""

import gzip

import pytest

from course_lib.cache import SemanticCache, SemanticHit
from graders import HIDDEN_DIR, lab2, lab2_prefix, lab2_semantic

from . import solutions as S


def fails(check, func, *, hint: str):
    with pytest.raises(AssertionError) as info:
        check(func)
    assert hint in str(info.value), str(info.value)
    assert "Pista:" in str(info.value)


def test_does_the_reference_key_pass_both_batteries():
    lab2.check_clave_cache(S.clave_cache)
    lab2.check_clave_cache_oculto(S.clave_cache)


def test_does_a_key_that_ignores_the_model_fail():
    def sin_modelo(p):
        return S.clave_cache({k: v for k, v in p.items() if k != "model"})

    fails(lab2.check_clave_cache_oculto, sin_modelo, hint="el modelo")


def test_does_a_key_that_keeps_the_user_lose_hits():
    import hashlib
    import json

    def con_usuario(p):
        return hashlib.sha256(json.dumps(p, sort_keys=True).encode()).hexdigest()

    fails(lab2.check_clave_cache, con_usuario, hint="el usuario")


def test_does_a_key_built_with_python_hash_or_mutation_fail():
    def muta(p):
        p.pop("user", None)
        return S.clave_cache(p)

    fails(lab2.check_clave_cache, muta, hint="modifica")


def test_does_the_reference_exact_cache_pass():
    lab2.check_cache_exacta(S.CacheExacta)
    lab2.check_cache_exacta_oculto(S.CacheExacta)


class GuardaErrores(S.CacheExacta):
    def guardar(self, peticion, respuesta):
        clave = S.clave_cache(peticion)
        self.entradas[clave] = (self.reloj(), respuesta)
        while len(self.entradas) > self.max_entradas:
            self.entradas.popitem(last=False)


class TTLDeslizante(S.CacheExacta):
    def obtener(self, peticion):
        respuesta = super().obtener(peticion)
        if respuesta is not None:
            self.entradas[S.clave_cache(peticion)] = (self.reloj(), respuesta)
        return respuesta


class SinLimite(S.CacheExacta):
    def guardar(self, peticion, respuesta):
        self.max_entradas = 10**9
        super().guardar(peticion, respuesta)


@pytest.mark.parametrize("cls, hint", [(GuardaErrores, "no se debe guardar"),
                                       (TTLDeslizante, "caducado"), (SinLimite, "más entradas")])
def test_do_the_typical_exact_cache_mistakes_fail(cls, hint):
    fails(lab2.check_cache_exacta_oculto, cls, hint=hint)


def test_does_the_reference_semantic_cache_pass_the_hidden_replay():
    r = lab2_semantic.measure(S.crear_cache_semantica, hidden=True)
    assert r["tasa_falsos"] <= lab2_semantic.FALSE_CEILING
    assert r["tasa_aciertos"] >= r["tasa_exacta"] + lab2_semantic.GAIN_GATE


@pytest.mark.parametrize("threshold", [0, 1.0])
def test_does_a_threshold_of_zero_or_one_fail(threshold):
    with pytest.raises(AssertionError):
        lab2_semantic.check_cache_semantica_oculto(
            lambda embed: SemanticCache(embed=embed, threshold=threshold))


class MasComun:
    """A «cache» that answers every request with the most common stored reply."""

    def __init__(self):
        self.respuestas = []

    def lookup(self, params):
        if not self.respuestas:
            return None
        from course_lib.cache import Entry

        return SemanticHit(Entry(response=self.respuestas[0], created=0.0), 1.0, "")

    def store(self, params, response):
        self.respuestas.append(response)


def test_does_a_cache_that_always_answers_the_same_fail():
    fails(lab2_semantic.check_cache_semantica_oculto, lambda embed: MasComun(), hint="falsos")


def test_does_a_cache_that_reads_the_hidden_labels_fail():
    def tramposa(embed):
        with gzip.open(HIDDEN_DIR / "traffic_hidden.csv.gz", "rt") as f:
            f.readline()
        return S.crear_cache_semantica(embed)

    fails(lab2_semantic.check_cache_semantica_oculto, tramposa, hint="datos ocultos")


def test_does_the_reference_layout_pass_and_the_naive_one_fail():
    lab2_prefix.check_peticion_cacheable_oculto(S.construir_peticion)
    fails(lab2_prefix.check_peticion_cacheable_oculto, lab2_prefix.naive, hint="caché del proveedor")


def test_does_padding_the_prefix_to_game_the_share_fail():
    def relleno(pregunta, *, instrucciones, contexto, modelo):
        peticion = S.construir_peticion(pregunta, instrucciones=instrucciones, contexto=contexto,
                                        modelo=modelo)
        peticion["messages"][0]["content"] = "relleno " * 20000 + peticion["messages"][0]["content"]
        return peticion

    fails(lab2_prefix.check_peticion_cacheable_oculto, relleno, hint="relleno")


def test_does_dropping_the_context_fail():
    def sin_contexto(pregunta, *, instrucciones, contexto, modelo):
        return S.construir_peticion(pregunta, instrucciones=instrucciones, contexto="", modelo=modelo)

    with pytest.raises(AssertionError):
        lab2_prefix.check_peticion_cacheable_oculto(sin_contexto)


def test_does_the_reference_tagging_pass():
    lab2.check_etiquetas(S.etiquetas)
    lab2.check_etiquetas_oculto(S.etiquetas)


@pytest.mark.parametrize("tagger, hint", [
    (lambda q, a, c: set(), "obsoletas"),
    (lambda q, a, c: {h["doc_id"] for h in c}, "se conservan"),
    (lambda q, a, c: {f"F-{x}" for x in ("ENV-006", "DEV-007", "PAG-009", "ENV-008")}, "se conservan"),
])
def test_do_tagging_nothing_whole_documents_or_everything_fail(tagger, hint):
    fails(lab2.check_etiquetas_oculto, tagger, hint=hint)


def test_are_the_stored_public_vectors_the_encoders_and_complete():
    import numpy as np

    from course_lib.encoder import default_encoder
    from graders import build_lab2_hidden, lab2_replay

    table = lab2_replay.stored_vectors(lab2_replay.public_vectors_path())
    assert set(build_lab2_hidden.public_texts()) <= set(table), "python -m graders.build_lab2_hidden"
    sample = sorted(table)[::500]
    live = default_encoder().encode(sample)
    assert np.allclose(np.asarray([table[t] for t in sample]), live, atol=2e-3)


def test_does_the_reference_cache_in_the_pipeline_pass_the_hidden_replay():
    from graders import lab2_pipeline

    r = lab2_pipeline.measure(S.instalar_cache, hidden=True)
    assert r["ahorro"] >= lab2_pipeline.SAVING_GATE and r["tasa_falsos"] <= lab2_semantic.FALSE_CEILING, r
