"""Lab 2 in the grading suite: its dependencies and its own adversarial submissions.

Besides the generic cases, lab 2 is graded against the caches its issue names
(issue 9, point 5): a key that ignores the model, a cache that stores errors,
a threshold of 0 and one of 1, a "cache" that answers every request with the
most common reply, and caches that read the hidden labels (in the semantic
replay and inside the pipeline: the hidden checks run in the grader process and
the sandboxed kernel finds ``graders/hidden`` empty, so the reader fails). Each
loses the points of its exercise. Three more ride along: the naive prompt
layout (question first), tags by whole document, and a key «equal to
everything» (a ``str`` subclass whose ``==`` is always true: it reaches the
grader as an unsupported object and equals nothing; exercise 2's cache, keyed
by it, loses its points too).
"""

from __future__ import annotations

from tests.grading.registry import LabCases
from tests.grading.submissions import expected, student, test_points

EJ1, EJ2, EJ3 = "ej1_clave_cache", "ej2_cache_exacta", "ej3_cache_semantica"
EJ4, EJ5, EJ6 = "ej4_peticion_cacheable", "ej5_etiquetas", "ej6_instalar_cache"
# exercise 2's cache keys its entries with exercise 1's clave_cache
DEPENDS = {"ej2_cache_exacta_test": (EJ1,)}

KEY_WITHOUT_MODEL = '''
import hashlib

IGNORADOS = {"user", "metadata", "stream", "stream_options", "timeout", "extra_headers", "model"}


def clave_cache(peticion: dict) -> str:
    util = {k: v for k, v in peticion.items() if k not in IGNORADOS}
    texto = json.dumps(util, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()
'''
STORES_ERRORS = '''
from collections import OrderedDict


class CacheExacta:
    def __init__(self, *, ttl_s, max_entradas, reloj=time.time):
        self.ttl_s, self.max_entradas, self.reloj = ttl_s, max_entradas, reloj
        self.entradas = OrderedDict()

    def obtener(self, peticion):
        clave = clave_cache(peticion)
        if clave not in self.entradas or self.reloj() >= self.entradas[clave][0] + self.ttl_s:
            return None
        self.entradas.move_to_end(clave)
        return self.entradas[clave][1]

    def guardar(self, peticion, respuesta):
        clave = clave_cache(peticion)
        self.entradas[clave] = (self.reloj(), respuesta)      # errors and cut answers too
        self.entradas.move_to_end(clave)
        while len(self.entradas) > self.max_entradas:
            self.entradas.popitem(last=False)
'''
THRESHOLD_ZERO = '''
def crear_cache_semantica(embed):
    return SemanticCache(embed=embed, threshold=0.0, max_entries=None)
'''
THRESHOLD_ONE = '''
def crear_cache_semantica(embed):
    return SemanticCache(embed=embed, threshold=1.0, guards=[DetailGuard(swaps=True)], max_entries=None)
'''
READS_LABELS = '''
def crear_cache_semantica(embed):
    import gzip
    from graders import HIDDEN_DIR
    with gzip.open(sorted(HIDDEN_DIR.glob("traffic_*"))[0], "rt", encoding="utf-8") as f:
        etiquetas = f.read()
    return SemanticCache(embed=embed, threshold=0.90, guards=[DetailGuard(swaps=True)], max_entries=None)
'''
# answers every chat call after the first with the reply it has seen most often
MOST_COMMON = '''
def instalar_cache(cliente, embed):
    from collections import Counter
    vistas, guardadas = Counter(), {}

    def mas_comun(call, call_next):
        if call.endpoint == "chat.completions" and vistas:
            return guardadas[vistas.most_common(1)[0][0]]
        respuesta = call_next(call)
        if call.endpoint == "chat.completions":
            texto = respuesta.choices[0].message.content
            vistas[texto] += 1
            guardadas[texto] = respuesta
        return respuesta

    cliente.pipeline.use(mas_comun, slot="cache", name="mas_comun")
    return mas_comun
'''
# a good cache, plus a middleware that reads the hidden traffic the first time it is called
PIPELINE_READS_LABELS = '''
def instalar_cache(cliente, embed):
    import gzip
    from graders import HIDDEN_DIR
    reloj_cliente = cliente.simulator.clock
    semantica = SemanticCache(embed=embed, threshold=0.90, guards=[DetailGuard(swaps=True)], clock=reloj_cliente)
    cache = install_cache(cliente, exact=ExactCache(clock=reloj_cliente), semantic=semantica)
    leido = []

    def espia(call, call_next):
        if not leido:
            with gzip.open(sorted(HIDDEN_DIR.glob("traffic_*"))[0], "rt", encoding="utf-8") as f:
                leido.append(f.read())
        return call_next(call)

    cliente.pipeline.use(espia, slot="router", name="espia")
    return cache
'''
EQUAL_TO_EVERYTHING = '''
class SiempreIgual(str):
    def __eq__(self, otra):
        return True

    def __ne__(self, otra):
        return False

    __hash__ = str.__hash__


def clave_cache(peticion: dict) -> str:
    return SiempreIgual("clave")
'''
NAIVE_LAYOUT = '''
def construir_peticion(pregunta, *, instrucciones, contexto, modelo):
    return {"model": modelo, "temperature": 0,
            "messages": [{"role": "user", "content": f"Pregunta: {pregunta}\\n\\n{instrucciones}\\n\\n{contexto}"}]}
'''
WHOLE_DOCUMENTS = '''
def etiquetas(pregunta, respuesta, contexto):
    return {hecho["doc_id"] for hecho in contexto}
'''


def extra(release_nb, source_nb) -> dict:
    s = lambda **kw: student(release_nb, source_nb, **kw)  # noqa: E731
    e = lambda *broken: expected(source_nb, broken, depends=DEPENDS)  # noqa: E731
    points = test_points(source_nb)
    # a model-blind key still runs exercise 2's scenarios right (they use one model)
    cheats = {**e(EJ1, EJ3, EJ6), "ej2_cache_exacta_test": points["ej2_cache_exacta_test"]}
    return {
        "trampas_lab2": (s(replace={EJ1: KEY_WITHOUT_MODEL, EJ3: READS_LABELS, EJ6: PIPELINE_READS_LABELS}),
                         cheats),
        "ingenuos_lab2": (s(replace={EJ2: STORES_ERRORS, EJ3: THRESHOLD_ZERO, EJ6: MOST_COMMON}),
                          e(EJ2, EJ3, EJ6)),
        "umbral_uno": (s(replace={EJ1: EQUAL_TO_EVERYTHING, EJ3: THRESHOLD_ONE, EJ4: NAIVE_LAYOUT,
                                  EJ5: WHOLE_DOCUMENTS}),
                       e(EJ1, EJ3, EJ4, EJ5)),
    }


CASES = LabCases(lab="lab2", depends=DEPENDS, extra=extra, regrade="ingenuos_lab2")
