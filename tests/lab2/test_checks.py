"""Lab 2's checks: the reference solutions pass, the typical mistakes and the cheats fail with a hint.

Hidden checks run as in grading, in this process: ``graders.verdicts.LocalWorker``
sends the learner's functions the same plain values a kernel would get.
"""

import pytest

from course_lib.cache import SemanticCache, SemanticHit
from graders import lab2, lab2_pipeline, lab2_prefix, lab2_replay, lab2_semantic, wire
from graders.verdicts import LocalWorker

from . import solutions as S


def fails(check, func, *, hint: str):
    with pytest.raises(AssertionError) as info:
        check(func)
    assert hint in str(info.value), str(info.value)
    assert "Pista:" in str(info.value)


def fails_hidden(check, *, hint: str, **functions):
    """A hidden check on ``functions`` (a LocalWorker) fails with ``hint``."""
    fails(check, LocalWorker(functions), hint=hint)


class Recorder(LocalWorker):
    """A LocalWorker that keeps every message the grader sent to the learner's side."""

    def __init__(self, functions):
        super().__init__(functions)
        self.sent = []

    def _exchange(self, message):
        self.sent.append(wire.dumps(message).decode("utf-8"))
        return super()._exchange(message)


def test_does_the_reference_key_pass_both_batteries():
    lab2.check_clave_cache(S.clave_cache)
    lab2.check_clave_cache_oculto(LocalWorker({"clave_cache": S.clave_cache}))


def test_does_a_key_that_ignores_the_model_fail():
    def sin_modelo(p):
        return S.clave_cache({k: v for k, v in p.items() if k != "model"})

    fails_hidden(lab2.check_clave_cache_oculto, clave_cache=sin_modelo, hint="el modelo")


class SiempreIgual(str):
    """A key «equal to everything»."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__


def test_does_a_key_equal_to_everything_fail_the_hidden_pairs():
    fails_hidden(lab2.check_clave_cache_oculto, clave_cache=lambda p: SiempreIgual("k"), hint="texto no vacío")


def test_does_a_key_that_changes_its_request_fail_the_hidden_pairs():
    def muta(p):
        p.pop("user", None)
        return S.clave_cache(p)

    fails_hidden(lab2.check_clave_cache_oculto, clave_cache=muta, hint="modifica")


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
    lab2.check_cache_exacta_oculto(LocalWorker({"CacheExacta": S.CacheExacta}))


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
    fails_hidden(lab2.check_cache_exacta_oculto, CacheExacta=cls, hint=hint)


def test_does_the_reference_semantic_cache_pass_the_hidden_replay_as_in_this_process():
    """The hidden replay through the worker (vectors sent, labels kept) gives the in-process figures."""
    worker = Recorder({"crear_cache_semantica": S.crear_cache_semantica})
    r = lab2_semantic.measure_remote(worker)
    local = lab2_semantic.measure(S.crear_cache_semantica, hidden=True)
    assert r == local
    assert r["tasa_falsos"] <= lab2_semantic.FALSE_CEILING
    assert r["tasa_aciertos"] >= r["tasa_exacta"] + lab2_semantic.GAIN_GATE
    assert len(worker.sent) <= 5          # the replay is one call, not one per request
    rows = lab2_replay.slice_rows(hidden=True, days=lab2_semantic.HIDDEN_DAYS)
    sent = "".join(worker.sent)
    assert not [g for g in set(rows.group_id) if f'"{g}"' in sent], "the kernel must not get the labels"


@pytest.mark.parametrize("threshold", [0, 1.0])
def test_does_a_threshold_of_zero_or_one_fail(threshold):
    with pytest.raises(AssertionError):
        lab2_semantic.check_cache_semantica_oculto(LocalWorker(
            {"crear_cache_semantica": lambda embed: SemanticCache(embed=embed, threshold=threshold)}))


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
    fails_hidden(lab2_semantic.check_cache_semantica_oculto, crear_cache_semantica=lambda embed: MasComun(),
                 hint="falsos")


def test_does_something_that_is_not_a_cache_or_a_cache_that_raises_fail():
    fails_hidden(lab2_semantic.check_cache_semantica_oculto, crear_cache_semantica=lambda embed: 0.9,
                 hint="sin lookup() y store()")

    class Rota(MasComun):
        def lookup(self, params):
            raise KeyError("vector")

    fails_hidden(lab2_semantic.check_cache_semantica_oculto, crear_cache_semantica=lambda embed: Rota(),
                 hint="tu caché lanzó KeyError")


def test_does_the_reference_layout_pass_and_the_naive_one_fail():
    lab2_prefix.check_peticion_cacheable_oculto(LocalWorker({"construir_peticion": S.construir_peticion}))
    fails_hidden(lab2_prefix.check_peticion_cacheable_oculto, construir_peticion=lab2_prefix.naive,
                 hint="caché del proveedor")


def test_does_padding_the_prefix_to_game_the_share_fail():
    def relleno(pregunta, *, instrucciones, contexto, modelo):
        peticion = S.construir_peticion(pregunta, instrucciones=instrucciones, contexto=contexto,
                                        modelo=modelo)
        peticion["messages"][0]["content"] = "relleno " * 20000 + peticion["messages"][0]["content"]
        return peticion

    fails_hidden(lab2_prefix.check_peticion_cacheable_oculto, construir_peticion=relleno, hint="relleno")


def test_does_dropping_the_context_fail():
    def sin_contexto(pregunta, *, instrucciones, contexto, modelo):
        return S.construir_peticion(pregunta, instrucciones=instrucciones, contexto="", modelo=modelo)

    with pytest.raises(AssertionError):
        lab2_prefix.check_peticion_cacheable_oculto(LocalWorker({"construir_peticion": sin_contexto}))


def test_does_the_reference_tagging_pass():
    lab2.check_etiquetas(S.etiquetas)
    lab2.check_etiquetas_oculto(LocalWorker({"etiquetas": S.etiquetas}))
    lab2.check_etiquetas_oculto(LocalWorker({"etiquetas": lambda q, a, c: sorted(S.etiquetas(q, a, c))}))


@pytest.mark.parametrize("tagger, hint", [
    (lambda q, a, c: set(), "obsoletas"),
    (lambda q, a, c: {h["doc_id"] for h in c}, "se conservan"),
    (lambda q, a, c: {f"F-{x}" for x in ("ENV-006", "DEV-007", "PAG-009", "ENV-008")}, "se conservan"),
])
def test_do_tagging_nothing_whole_documents_or_everything_fail(tagger, hint):
    fails_hidden(lab2.check_etiquetas_oculto, etiquetas=tagger, hint=hint)


def test_do_tags_that_are_not_texts_fail():
    fails_hidden(lab2.check_etiquetas_oculto, etiquetas=lambda q, a, c: "F-ENV-008", hint="conjunto")


def test_are_the_stored_public_vectors_the_encoders_and_complete():
    import numpy as np

    from course_lib.encoder import default_encoder
    from graders import build_lab2_hidden, lab2_replay

    table = lab2_replay.stored_vectors(lab2_replay.public_vectors_path())
    assert set(build_lab2_hidden.public_texts()) <= set(table), "python -m graders.build_lab2_hidden"
    sample = sorted(table)[::500]
    live = default_encoder().encode(sample)
    assert np.allclose(np.asarray([table[t] for t in sample]), live, atol=2e-3)


def test_does_the_reference_cache_in_the_pipeline_pass_the_hidden_replay_as_in_this_process():
    """Through the worker (a kernel-side client of the grader's simulator) the figures are the in-process ones."""
    worker = Recorder({"instalar_cache": S.instalar_cache})
    r = lab2_pipeline.measure(None, hidden=True, worker=worker)
    assert r == lab2_pipeline.measure(S.instalar_cache, hidden=True)
    assert r["ahorro"] >= lab2_pipeline.SAVING_GATE and r["tasa_falsos"] <= lab2_semantic.FALSE_CEILING, r
    rows = lab2_pipeline.slice_rows(hidden=True)
    sent = "".join(worker.sent)
    assert not [g for g in set(rows.group_id) if f'"{g}"' in sent], "the kernel must not get the labels"


def test_does_a_pipeline_cache_that_answers_with_the_most_common_reply_fail():
    """The grading suite's own wrong solution (tests/grading/labs/lab2.py), run as written there."""
    from tests.grading.labs.lab2 import MOST_COMMON

    namespace: dict = {}
    exec(MOST_COMMON, namespace)  # noqa: S102 - the suite's submission source
    fails_hidden(lab2_pipeline.check_cache_en_pipeline_oculto, instalar_cache=namespace["instalar_cache"],
                 hint="sirven la respuesta de otra pregunta")


def test_does_a_pipeline_cache_that_raises_fail_with_the_call_named():
    def instalar_cache(cliente, embed):
        def rota(call, call_next):
            raise RuntimeError("sin conexión con Redis")

        cliente.pipeline.use(rota, slot="cache", name="rota")

    fails_hidden(lab2_pipeline.check_cache_en_pipeline_oculto, instalar_cache=instalar_cache,
                 hint="una llamada con tu caché instalada lanzó")


def test_does_the_client_in_the_kernel_show_a_clock_the_grader_moves():
    from course_lib.clock import Clock

    clock = Clock(start=5.0, frozen=True)
    client = lab2_pipeline.with_clock(object.__new__(type("Cliente", (), {})), clock)
    assert client.simulator.clock() == 5.0
