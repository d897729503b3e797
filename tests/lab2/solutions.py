"""Reference solutions of lab 2's exercises (the same code as the notebook's solution cells)."""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict

from course_lib.cache import (DetailGuard, ExactCache, SemanticCache, install_cache, local_embedder)

IGNORADOS = {"user", "metadata", "stream", "stream_options", "timeout", "extra_headers"}


def clave_cache(peticion: dict) -> str:
    util = {k: v for k, v in peticion.items() if k not in IGNORADOS}
    texto = json.dumps(util, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()


def guardable(respuesta) -> bool:
    try:
        eleccion = respuesta["choices"][0]
    except (KeyError, IndexError, TypeError):
        return False
    contenido = (eleccion.get("message") or {}).get("content") or ""
    return eleccion.get("finish_reason") not in ("length", "content_filter") and bool(contenido.strip())


class CacheExacta:
    def __init__(self, *, ttl_s, max_entradas, reloj=time.time):
        self.ttl_s, self.max_entradas, self.reloj = ttl_s, max_entradas, reloj
        self.entradas = OrderedDict()

    def obtener(self, peticion):
        clave = clave_cache(peticion)
        if clave not in self.entradas:
            return None
        guardada, respuesta = self.entradas[clave]
        if self.reloj() >= guardada + self.ttl_s:
            del self.entradas[clave]
            return None
        self.entradas.move_to_end(clave)
        return respuesta

    def guardar(self, peticion, respuesta):
        if not guardable(respuesta):
            return
        clave = clave_cache(peticion)
        self.entradas[clave] = (self.reloj(), respuesta)
        self.entradas.move_to_end(clave)
        while len(self.entradas) > self.max_entradas:
            self.entradas.popitem(last=False)


UMBRAL = 0.90


def crear_cache_semantica(embed):
    return SemanticCache(embed=embed, threshold=UMBRAL, guards=[DetailGuard(swaps=True)],
                         max_entries=None)


def construir_peticion(pregunta, *, instrucciones, contexto, modelo):
    return {"model": modelo, "temperature": 0,
            "messages": [{"role": "system", "content": f"{instrucciones}\n\n{contexto}"},
                         {"role": "user", "content": pregunta}],
            "prompt_cache_key": "mercadela-asistente-v1"}


def etiquetas(pregunta, respuesta, contexto):
    return {h["fact_id"] for h in contexto}


def instalar_cache(cliente, embed=None):
    reloj = cliente.simulator.clock if cliente.simulator else time.time
    semantica = SemanticCache(embed=embed or local_embedder(), threshold=UMBRAL,
                              guards=[DetailGuard(swaps=True)], clock=reloj)
    return install_cache(cliente, exact=ExactCache(clock=reloj), semantic=semantica)
