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
# # Lab 1 — Medir y optimizar tokens
#
# **Escenario.** Trabajas en **Mercadela**, una tienda online española mediana. Su asistente de
# atención al cliente (chat web, app y centro de atención) responde unas **23.000 consultas al día**
# (envíos, devoluciones, pagos, garantías...) con un LLM, el tráfico crece un 1 % al día y la factura
# del proveedor ya ronda los **4.000 USD al mes**. Tu jefa te pide dos cosas: *saber exactamente cuánto
# cuesta cada pregunta* y *recortar ese coste sin que el asistente responda peor*.
#
# **Objetivos.** Al terminar sabrás:
#
# 1. leer la estructura de precios de un modelo (entrada, entrada en caché, salida, batch) y calcular la
#    factura de una llamada a partir de su `usage`;
# 2. contar tokens de textos y de conversaciones como lo hace la API, y ver por qué el español cuesta
#    más tokens que el inglés;
# 3. estimar el coste de una petición **antes** de enviarla y comprobar la estimación con `usage`;
# 4. escribir un prompt conciso y aplicar técnicas de ahorro (limpieza, deduplicación, menos ejemplos
#    few-shot, selección de contexto por palabras y por significado con *embeddings*, bajo un
#    presupuesto de tokens, control de la longitud de salida) midiendo qué le hacen a la calidad;
# 5. calcular el retorno de una optimización con el volumen real de la tienda.
#
# **Cómo se evalúa.** Hay 6 ejercicios con puntos (14 en total). Cada uno tiene una celda de
# comprobación: si pasa, verás ✔; si no, un mensaje con una **pista**. Al corregir (`costlab check` o
# `costlab grade`) se ejecutan además pruebas ocultas con otros casos y otras tareas: corren en un
# proceso corrector aparte, que llama a tus funciones con esos casos y juzga lo que devuelven, y el
# cuaderno no puede leer la carpeta `graders/hidden/` donde están. Si sigues el curso por tu cuenta y
# has clonado el repositorio, sí puedes abrir esos ficheros: mirarlos solo estropea tu propia práctica,
# porque la nota dejará de decirte si tu código generaliza. Escribe tu código donde pone
# `# ESCRIBE TU CÓDIGO AQUÍ` y borra la línea `raise NotImplementedError()`.
#
# Todo funciona sin conexión: las llamadas van a un **proveedor simulado** compatible con la API de
# OpenAI que devuelve un `usage` y una factura realistas. Las cifras se escriben a la española (coma
# decimal, punto de miles) con `course_lib.numbers`, que aquí llamamos `cifras`.

# %% nbgrader="setup"
from course_lib.course.lessons import preparacion; preparacion(globals())

import numpy as np
from matplotlib.ticker import FuncFormatter

from course_lib import Usage, count_chat_tokens, count_tokens, encoding_for_model
from course_lib import compress, context
from course_lib import numbers as cifras
from course_lib.course import scenario, world
from graders import lab1, lab1_optimizer as lab1_opt, lab1_prompt, lab1_roi

POR_FILA = world.traffic_scale()["requests_per_row"]  # peticiones reales que representa cada fila del tráfico


def eje(decimales=0, *, porcentaje=False):
    """Formato español para los ejes de las figuras (coma decimal, punto de miles, %)."""
    if porcentaje:
        return FuncFormatter(lambda v, _: cifras.pct(v, decimals=decimales))
    return FuncFormatter(lambda v, _: cifras.num(v, decimals=decimales))

# %% [markdown]
# ## 1. Análisis de costes
#
# Los proveedores cobran **por token**, con precios en dólares por **millón** de tokens y distintos
# para:
#
# - **entrada** (`input`): todo lo que envías (instrucciones, contexto, historial, pregunta);
# - **entrada en caché** (`cached_input`): la parte del prompt que el proveedor ya había visto hace poco
#   (un prefijo idéntico de ≥ 1024 tokens); es 2–10 veces más barata;
# - **salida** (`output`): lo que escribe el modelo, incluidos los tokens de *razonamiento* ocultos de
#   los modelos que piensan (o3, gpt-5...); suele costar 4–8 veces la entrada.
#
# Además, la **API batch** cobra la mitad a cambio de esperar hasta 24 h.

# %%
filas = []
for modelo in precios.models(mode="chat"):
    p = precios.get(modelo)
    filas.append({"modelo": modelo, "entrada": p.input, "caché": p.cached_input,
                  "salida": p.output, "salida/entrada": p.output / p.input})
tabla_precios = pd.DataFrame(filas).set_index("modelo").sort_values("entrada")
tabla_precios.style.format(lambda v: cifras.num(v, decimals=3)).format(
    lambda v: cifras.num(v, decimals=1), subset=["salida/entrada"]).set_caption("USD por millón de tokens")

# %% [markdown]
# ¿Cuánto cuesta **un token**? Divide entre un millón: un token de entrada de `gpt-4o` cuesta
# 2,50 / 1.000.000 = 0,0000025 USD. Parece nada, pero una petición típica del asistente lleva miles de
# tokens y la tienda envía unas 700.000 al mes. Veamos el coste de 1000 peticiones de 3000 tokens de
# entrada y 200 de salida en cada modelo (la misma petición mide lo mismo en todos: para Claude y Gemini,
# cuyos tokenizadores no son públicos, el curso cuenta con `o200k_base` como **aproximación**):

# %%
def coste_por_mil(modelo, entrada=3000, salida=200):
    return float(precios.cost(modelo, Usage(input_tokens=entrada, output_tokens=salida)) * 1000)

coste_modelos = pd.Series({m: coste_por_mil(m) for m in tabla_precios.index}).sort_values()
ax = coste_modelos.plot.barh(figsize=(7, 4), color="tab:blue")
ax.set_xlabel("USD por 1000 peticiones (3000 tokens de entrada + 200 de salida)")
ax.xaxis.set_major_formatter(eje(0))
ax.set_title("Coste por modelo")
plt.tight_layout()

# %% [markdown]
# La misma petición cuesta distinto según **cómo** se envía. Con `gpt-4o`: normal, con 2048 de sus
# 3000 tokens de entrada en la caché del proveedor, o por la API batch:

# %%
normal = Usage(input_tokens=3000, output_tokens=200)
con_cache = Usage(input_tokens=3000, output_tokens=200, cached_tokens=2048)
pd.Series({"normal": precios.cost("gpt-4o", normal), "con caché": precios.cost("gpt-4o", con_cache),
           "batch": precios.cost("gpt-4o", normal, batch=True)}, name="por petición").map(
    lambda v: cifras.usd(v, decimals=5))

# %% [markdown]
# ### La factura de una llamada
#
# Cada respuesta trae un objeto `usage`. Con la semántica de OpenAI:
#
# - `prompt_tokens` son **todos** los tokens de entrada, **incluidos** los
#   `prompt_tokens_details.cached_tokens`;
# - `completion_tokens` son **todos** los de salida, **incluidos** los
#   `completion_tokens_details.reasoning_tokens`.
#
# Hagamos una llamada al proveedor simulado y miremos su `usage`:

# %%
respuesta = cliente.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "¿Cuánto cuesta el envío a Canarias?"}],
    max_tokens=80,
)
print(respuesta.choices[0].message.content)
respuesta.usage.model_dump()

# %% [markdown]
# La respuesta es **relleno**: el simulador solo contesta de verdad (acierta o falla con la
# probabilidad de un modelo real) a las preguntas de su banco de tareas, y para eso la petición lleva
# `metadata={"task_id": ...}`; sin ella escribe un texto genérico sobre el tema. Todas las mediciones de
# este lab envían el `task_id` de cada tarea. Con una tarea del banco, sin documentación y con ella:

# %%
tareas_banco = world.load_tasks(split="dev").set_index("task_id", drop=False)
tarea_demo = tareas_banco.loc["T-FAQ-0047"].to_dict()
ficha = next(d for d in world.load_documents().to_dict(orient="records") if d["doc_id"] == "ENV-04")
for nombre, mensajes in [
        ("sin documentación", [{"role": "user", "content": tarea_demo["question"]}]),
        ("con documentación", [{"role": "system", "content": ficha["text"]},
                               {"role": "user", "content": tarea_demo["question"]}])]:
    r = cliente.chat.completions.create(model="gpt-4o-mini", messages=mensajes, max_tokens=80,
                                        metadata={"task_id": tarea_demo["task_id"]})
    texto = r.choices[0].message.content
    print(f"{nombre}: «{texto}» → {'correcta' if world.is_correct(tarea_demo, texto) else 'incorrecta'}")
print("respuesta esperada:", tarea_demo["answer"])

# %% [markdown]
# Sin la documentación el modelo no tiene el dato y falla; con ella, acierta. Que el prompt lleve (o
# no) el dato que la pregunta necesita es lo que decide la calidad en la sección 3.

# %% [markdown]
# ### Ejercicio 1 (2 puntos): el coste de una llamada
#
# Escribe `coste_llamada(uso, modelo, *, batch=False)` que reciba el `usage` **como diccionario** (el
# formato de `respuesta.usage.model_dump()`) y devuelva el coste en USD como `Decimal`:
#
# $$\text{coste} = \frac{(\text{entrada} - \text{caché})\cdot p_\text{input} + \text{caché}\cdot p_\text{cached} + \text{salida}\cdot p_\text{output}}{10^6}$$
#
# y, si `batch=True`, multiplicado por `batch_discount` (0,5). Usa `precios.get(modelo)` para los
# precios (`input`, `cached_input`, `output`, `batch_discount`, ya son `Decimal`). Haz toda la cuenta en
# `Decimal` (el resultado se compara exacto). Los detalles pueden faltar o valer `None`: trátalos como 0.
# No uses `precios.cost` ni `cost_of`: se trata de escribirlo tú.

# %% nbgrader="solution" grade_id="ej1_coste_llamada"
def coste_llamada(uso, modelo, *, batch=False):
    """Coste en USD (Decimal) de una llamada a partir de su usage en forma de dict."""
    p = precios.get(modelo)
    ### BEGIN SOLUTION
    entrada = uso.get("prompt_tokens") or 0
    salida = uso.get("completion_tokens") or 0
    cache = (uso.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    coste = ((entrada - cache) * p.input + cache * p.cached_input + salida * p.output) / Decimal(1_000_000)
    if batch:
        coste = coste * p.batch_discount
    return coste
    ### END SOLUTION


coste_llamada(respuesta.usage.model_dump(), "gpt-4o-mini")

# %% nbgrader="tests" grade_id="ej1_coste_llamada_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej1_coste_llamada_test", "graders.lab1:check_coste_llamada_oculto", coste_llamada=coste_llamada)
### END HIDDEN TESTS
lab1.check_coste_llamada(coste_llamada)

# %% [markdown]
# ## 2. Contar y estimar tokens
#
# Un *token* es un trozo de texto del vocabulario del modelo: una palabra corta, parte de una palabra,
# un signo. `gpt-4o`, `gpt-4.1`, `o3` y `gpt-5` usan la codificación `o200k_base`; `gpt-4` y
# `gpt-3.5` usan `cl100k_base` (Claude y Gemini: `o200k_base` como aproximación). Veamos cómo se
# trocea una frase:

# %%
codificacion = encoding_for_model("gpt-4o")
frase = "¿Puedo devolver la freidora de aire si ya la he estrenado?"
trozos = [codificacion.decode([t]) for t in codificacion.encode(frase)]
print(len(trozos), "tokens:", trozos)

# %% [markdown]
# ### El sobrecoste del español
#
# Los tokenizadores se entrenaron con más inglés que español, así que la misma idea en español suele
# necesitar más tokens. Comparemos frases equivalentes del asistente con el tokenizador de `gpt-4o` y
# con el de `gpt-4` (un modelo antiguo: en el curso no tiene precio, pero su tokenizador enseña la
# diferencia):

# %%
pares = [
    ("¿Cuánto tarda en llegar mi pedido a Canarias?", "How long does my order take to reach the Canary Islands?"),
    ("Quiero devolver un producto que compré hace dos semanas.", "I want to return a product I bought two weeks ago."),
    ("La garantía cubre los defectos de fabricación durante tres años.", "The warranty covers manufacturing defects for three years."),
    ("Puedes pagar con tarjeta, Bizum o transferencia bancaria.", "You can pay by card, Bizum or bank transfer."),
    ("Tu reembolso se procesará en un plazo de catorce días.", "Your refund will be processed within fourteen days."),
]
idiomas = pd.DataFrame([
    {"modelo": m, "español": sum(count_tokens(es, m) for es, _ in pares),
     "inglés": sum(count_tokens(en, m) for _, en in pares)}
    for m in ["gpt-4o", "gpt-4"]
]).set_index("modelo")
idiomas["sobrecoste"] = idiomas["español"] / idiomas["inglés"] - 1
idiomas.style.format({"sobrecoste": lambda v: cifras.pct(v, decimals=0)})

# %%
ax = idiomas[["español", "inglés"]].plot.bar(figsize=(6, 3.5), rot=0)
ax.set_ylabel("tokens (5 frases)")
ax.set_title("Misma idea, distinto número de tokens")
plt.tight_layout()

# %% [markdown]
# La codificación nueva (`o200k_base`) reduce mucho el sobrecoste del español frente a `cl100k_base`:
# elegir modelo también es elegir tokenizador.
#
# ### Tokens de una conversación
#
# La API no solo cobra el texto: cada mensaje lleva tokens de formato. Según el *OpenAI Cookbook*
# («How to count tokens with tiktoken»), para los modelos actuales:
#
# - **3 tokens por mensaje**, más los tokens del valor de cada campo (`role`, `content` y `name` si
#   existe);
# - **+1 token** si el mensaje tiene `name`;
# - **+3 tokens** al final, con los que empieza la respuesta del asistente.
#
# ### Ejercicio 2 (2 puntos): el contador de tokens de un chat
#
# Escribe `contar_tokens_chat(mensajes, modelo="gpt-4o")` con esa fórmula. Cuenta cada texto con
# `encoding_for_model(modelo).encode(texto)` (o con `tiktoken` directamente, como en el Cookbook:
# funciona sin conexión), tal cual llega, sin `strip()`; no uses `count_chat_tokens`. Con la
# conversación del Cookbook debe dar 124 tokens en `gpt-4o` y 129 en `gpt-4`, lo que factura la API.

# %% nbgrader="solution" grade_id="ej2_tokens_chat"
def contar_tokens_chat(mensajes, modelo="gpt-4o"):
    """Tokens de entrada de una petición de chat, como los cuenta la API."""
    codificacion = encoding_for_model(modelo)
    ### BEGIN SOLUTION
    total = 3
    for mensaje in mensajes:
        total += 3
        for clave, valor in mensaje.items():
            total += len(codificacion.encode(valor))
            if clave == "name":
                total += 1
    return total
    ### END SOLUTION


contar_tokens_chat(lab1.COOKBOOK_MESSAGES, "gpt-4o")

# %% nbgrader="tests" grade_id="ej2_tokens_chat_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej2_tokens_chat_test", "graders.lab1:check_contar_tokens_chat_oculto",
                    contar_tokens_chat=contar_tokens_chat)
### END HIDDEN TESTS
lab1.check_contar_tokens_chat(contar_tokens_chat)

# %% [markdown]
# ### Estimar antes de enviar
#
# Saber el coste **antes** de enviar una petición permite rechazar las que se salen del presupuesto o
# elegir un modelo más barato. La entrada se puede contar exactamente; la salida no, pero `max_tokens`
# da una **cota superior**: el modelo nunca escribirá más.
#
# ### Ejercicio 3 (2 puntos): el estimador de coste
#
# Escribe `estimar_coste(mensajes, modelo, tokens_salida)` que devuelva, como `Decimal`, el coste de
# la entrada (con tu `contar_tokens_chat`, **para ese modelo**) al precio `input` más `tokens_salida` al
# precio `output`, todo entre un millón. Sin caché ni batch. Se corrige solo tu fórmula: si tu contador
# del ejercicio 2 falla, lo pierdes allí, no aquí (la comprobación te avisará).

# %% nbgrader="solution" grade_id="ej3_estimar"
def estimar_coste(mensajes, modelo, tokens_salida):
    """Coste estimado (Decimal, USD) de una petición antes de enviarla."""
    p = precios.get(modelo)
    ### BEGIN SOLUTION
    entrada = contar_tokens_chat(mensajes, modelo)
    return (entrada * p.input + tokens_salida * p.output) / Decimal(1_000_000)
    ### END SOLUTION


estimar_coste([{"role": "user", "content": "Hola"}], "gpt-4o", 100)

# %% nbgrader="tests" grade_id="ej3_estimar_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej3_estimar_test", "graders.lab1:check_estimar_coste_oculto", estimar_coste=estimar_coste,
                    contar_tokens_chat=globals().get("contar_tokens_chat"))
### END HIDDEN TESTS
lab1.check_estimar_coste(estimar_coste, globals().get("contar_tokens_chat"))

# %% [markdown]
# Ahora comprobamos la estimación contra la realidad: enviamos la petición con `max_tokens=120` y
# comparamos con la factura calculada desde `usage`. La entrada debe coincidir exactamente y el coste
# real no puede superar la cota.

# %%
mensajes = [{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT},
            {"role": "user", "content": "¿Puedo pagar a plazos la lavadora?"}]
cota = estimar_coste(mensajes, "gpt-4o-mini", 120)
real = cliente.chat.completions.create(model="gpt-4o-mini", messages=mensajes, max_tokens=120)
print("tokens de entrada estimados:", contar_tokens_chat(mensajes, "gpt-4o-mini"),
      "| según usage:", real.usage.prompt_tokens)
print(f"cota: {cifras.usd(cota, decimals=8)} | real: {cifras.usd(coste_llamada(real.usage.model_dump(), 'gpt-4o-mini'), decimals=8)}")

# %% [markdown]
# ## 3. Optimización de tokens
#
# Así es hoy una petición del asistente de Mercadela (`scenario.baseline_request`): un *system prompt*
# largo y repetitivo, **todos** los documentos del tema de la pregunta, tres ejemplos few-shot y, al
# final, la pregunta del cliente. Carguemos la base de conocimiento y 40 tareas de desarrollo (`dev`)
# de todos los tipos, con respuesta conocida:

# %%
documentos = world.load_documents().to_dict(orient="records")
hechos = {h["fact_id"]: h for h in world.load_facts().to_dict(orient="records")}
tareas_dev = lab1_opt.muestra(world.load_tasks(split="dev"), lab1_opt.N_VISIBLE)
tarea = tareas_dev[0]
base = lab1_opt.peticion_base(tarea, documentos, hechos)
print("Pregunta:", tarea["question"])
print("Mensajes:", [m["role"] for m in base["messages"]], "| tokens:", cifras.count(count_chat_tokens(base["messages"], base["model"])))

# %% [markdown]
# ¿Dónde se van los tokens? Contemos cada parte de la petición:

# %%
def partes(peticion):
    m = peticion["messages"]
    return {"instrucciones": count_chat_tokens([m[0]]), "documentación": count_chat_tokens([m[1]]),
            "few-shot": count_chat_tokens(m[2:-1]) if len(m) > 3 else 0, "pregunta": count_chat_tokens([m[-1]])}

reparto = pd.Series(partes(base))
ax = reparto.plot.barh(figsize=(6, 2.8), color=["tab:gray", "tab:orange", "tab:purple", "tab:green"])
ax.set_xlabel("tokens de entrada"); ax.xaxis.set_major_formatter(eje(0))
ax.set_title("Reparto de tokens de la petición actual")
plt.tight_layout()

# %% [markdown]
# La documentación es casi todo. Estas son las técnicas que vamos a combinar (todas en
# `course_lib.compress` y `course_lib.context`):
#
# | técnica | función | ahorra |
# |---|---|---|
# | instrucciones concisas | tu `PROMPT_CONCISO` (ejercicio 4) | entrada (y salida, si pide brevedad) |
# | quitar la «paja» de los documentos | `compress.drop_sections`, `compress.strip_paragraphs` | entrada |
# | limpieza y deduplicación | `compress.clean_text`, `compress.dedupe_sentences` | entrada |
# | menos ejemplos few-shot | `compress.prune_few_shot` | entrada |
# | solo los pasajes relevantes, con presupuesto | `context.split_passages`, `context.select_context` | entrada |
# | recortar el historial | `compress.trim_history` | entrada |
# | controlar la longitud de la salida | `max_tokens`, `compress.length_instruction` | salida |
#
# ### Limpieza: la paja de los documentos
#
# Los artículos del centro de ayuda se escribieron para personas que navegan por una web: migas de
# pan, índice, historial de cambios, artículos relacionados, pie legal, aviso de cookies... y cada
# respuesta de las preguntas frecuentes repite una frase del cuerpo. Al modelo nada de eso le sirve.
# Mira el final de un documento:

# %%
print(documentos[0]["text"][-1200:])

# %%
PAJA_SECCIONES = ["Historial de cambios", "Artículos relacionados", "¿Necesitas más ayuda?"]
PAJA_PARRAFOS = [r"^Centro de ayuda Mercadela >", r"^Última actualización:", r"^En este artículo:", r"^\|",
                 r"^---$", r"^¿Te ha resultado útil", r"^Información importante:",
                 r"^Mercadela Comercio Online", r"^Utilizamos cookies"]

def limpiar_documentacion(texto):
    texto = compress.drop_sections(texto, PAJA_SECCIONES)
    texto = compress.strip_paragraphs(texto, PAJA_PARRAFOS)
    return compress.dedupe_sentences(texto)

original = base["messages"][1]["content"]
limpio = limpiar_documentacion(original)
print(f"{cifras.tokens(count_tokens(original))} → {cifras.tokens(count_tokens(limpio))} "
      f"({cifras.pct(compress.token_savings(original, limpio), decimals=0)} menos)")

# %% [markdown]
# **Selección de contexto.** Podemos ir más lejos: partir la documentación en pasajes y quedarnos con
# los que comparten más palabras con la pregunta, sin pasar de un presupuesto de tokens:

# %%
pasajes = context.split_passages(limpio)
elegidos = context.select_context(tarea["question"], pasajes, budget_tokens=200)
print(tarea["question"])
print(f"{len(pasajes)} pasajes → {len(elegidos)} elegidos, {cifras.tokens(count_tokens(chr(10).join(elegidos)))}:")
for pasaje in elegidos:
    print("  ·", " ".join(pasaje.split())[:160])

# %% [markdown]
# La selección por palabras tiene un punto ciego: no sabe de **significados**. Esta pregunta sobre un
# envío a «Santa Cruz de Tenerife» necesita el pasaje de las tarifas de **Canarias**, que no comparte
# con ella ninguna palabra del lugar:

# %%
from course_lib.text import fact_in_text

tarea_tenerife = tareas_banco.loc["T-CAL-0079"].to_dict()
print(tarea_tenerife["question"])
peticion_tenerife = lab1_opt.peticion_base(tarea_tenerife, documentos, hechos)
pasajes_tenerife = context.split_passages(limpiar_documentacion(peticion_tenerife["messages"][1]["content"]))
dato = hechos["F-ENV-008"]
print("El dato que necesita:", dato["text"])

def tiene_dato(elegidos, hecho):
    return any(fact_in_text(hecho["keywords"], p) for p in elegidos)

elegidos_tenerife = context.select_context(tarea_tenerife["question"], pasajes_tenerife, budget_tokens=200)
print("¿Elige la selección por palabras el pasaje con el dato?", "sí" if tiene_dato(elegidos_tenerife, dato) else "no")

# %% [markdown]
# **Selección por significado.** Un modelo de *embeddings* convierte cada texto en un vector, y textos
# de significado parecido dan vectores cercanos: su **coseno** (el producto escalar, porque vienen
# normalizados) se acerca a 1. El simulador sirve `POST /v1/embeddings` como OpenAI; aquí con
# `text-embedding-3-small`, que cobra 0,02 USD por millón de tokens de entrada (125 veces menos que la
# entrada de `gpt-4o`). Los pasajes de la base de conocimiento se vectorizan **una sola vez** y se
# guardan (un *índice*); al llegar una pregunta solo se vectoriza ella. `context.select_context` acepta
# esas puntuaciones en lugar de las suyas:

# %%
indice = {}  # texto → vector: cada pasaje se vectoriza (y se paga) una sola vez

def vectores(textos):
    nuevos = [t for t in dict.fromkeys(textos) if t not in indice]
    for i in range(0, len(nuevos), 2048):  # la API admite hasta 2048 textos por petición
        lote = nuevos[i:i + 2048]
        r = cliente.embeddings.create(model="text-embedding-3-small", input=lote)
        indice.update({t: np.array(d.embedding) for t, d in zip(lote, r.data)})
    return np.array([indice[t] for t in textos])

def por_significado(pregunta, pasajes):
    """El coseno entre la pregunta y cada pasaje."""
    v = vectores([pregunta] + pasajes)
    return v[1:] @ v[0]

similitud = por_significado(tarea_tenerife["question"], pasajes_tenerife)
elegidos_significado = context.select_context(tarea_tenerife["question"], pasajes_tenerife, budget_tokens=200,
                                              scores=similitud, min_score=None)
print("¿Elige la selección por significado el pasaje con el dato?",
      "sí" if tiene_dato(elegidos_significado, dato) else "no")
con_dato = next(i for i, p in enumerate(pasajes_tenerife) if fact_in_text(dato["keywords"], p))
puesto = 1 + sorted(range(len(pasajes_tenerife)), key=lambda i: -similitud[i]).index(con_dato)
print(f"Puesto del pasaje con el dato por significado: {puesto} de {len(pasajes_tenerife)}")
for forma, elegidos_forma in [("palabras", elegidos_tenerife), ("significado", elegidos_significado)]:
    print(f"\nPor {forma}: {len(elegidos_forma)} pasajes, {cifras.tokens(sum(count_tokens(p) for p in elegidos_forma))}")
    for pasaje in elegidos_forma:
        print(f"  {'→' if pasaje == pasajes_tenerife[con_dato] else '·'}", " ".join(pasaje.split())[:110])

# %% [markdown]
# Mira **por qué** acierta. Lo más cercano a la pregunta es el título de la pregunta frecuente
# «¿Cuánto cuesta el envío a Canarias?», así que algo sabe de Tenerife y Canarias; pero el pasaje con
# la tarifa queda en el puesto 12, detrás de la Península y de otros destinos. Lo que capta sobre todo
# es que la pregunta trata del *coste de un envío*, y todos los pasajes sobre el coste de enviar a
# algún sitio le parecen cercanos. Como son cortos, caben muchos en 200 tokens y el de la tarifa
# entra. Las palabras, en cambio, premian pasajes largos que repiten «envío» y «estándar» y agotan el
# presupuesto antes de llegar al dato. Fíjate también en qué más elige el significado: títulos de
# preguntas frecuentes **sin su respuesta**, porque una pregunta se parece más a otra pregunta que al
# párrafo que la responde.
#
# ¿Basta entonces con elegir por significado? Un caso no es una medida: comparemos las dos
# selecciones, y una **mezcla** de ambas (`context.blend_scores` pone las dos puntuaciones en la misma
# escala y las promedia), en todas las tareas `dev` que necesitan algún dato de la base de
# conocimiento. Cuenta como acierto que la selección (200 tokens) contenga **todos** los datos que la
# tarea necesita:

# %%
def selecciones(pregunta, pasajes):
    palabras = context.lexical_scores(pregunta, pasajes)
    significado = por_significado(pregunta, pasajes)
    return {"palabras": context.select_context(pregunta, pasajes, budget_tokens=200, scores=palabras),
            "significado": context.select_context(pregunta, pasajes, budget_tokens=200,
                                                  scores=significado, min_score=None),
            "mezcla": context.select_context(pregunta, pasajes, budget_tokens=200,
                                             scores=context.blend_scores(palabras, significado), min_score=None)}

con_datos = [t for t in tareas_banco.to_dict(orient="records") if len(t["fact_ids"])]
vectores([t["question"] for t in con_datos])  # las preguntas, en una sola petición
aciertos = []
for t in con_datos:
    base_t = lab1_opt.peticion_base(t, documentos, hechos)
    pasajes_t = context.split_passages(limpiar_documentacion(base_t["messages"][1]["content"]))
    elegidos_t = selecciones(t["question"], pasajes_t)
    aciertos.append({forma: all(tiene_dato(sel, hechos[f]) for f in t["fact_ids"])
                     for forma, sel in elegidos_t.items()})
aciertos = pd.DataFrame(aciertos)
tasa = aciertos.mean()
pd.DataFrame({
    "tareas con todos sus datos": tasa.map(lambda v: cifras.pct(v, decimals=1)),
    "± 1 error típico": np.sqrt(tasa * (1 - tasa) / len(aciertos)).map(lambda v: cifras.pct(v, decimals=1)),
    "aciertos que «palabras» no tiene": [cifras.num((aciertos[c] & ~aciertos["palabras"]).sum(), decimals=0) for c in aciertos],
    "fallos que «palabras» no tiene": [cifras.num((~aciertos[c] & aciertos["palabras"]).sum(), decimals=0) for c in aciertos],
}).rename_axis(f"selección ({len(aciertos)} tareas)")

# %% [markdown]
# Con este modelo de embeddings, elegir **solo** por significado acierta tareas que las palabras
# fallan (como la de Tenerife), pero falla muchas más que las palabras aciertan: gasta el presupuesto
# en títulos de preguntas parecidas y no en las respuestas. La mezcla se queda con buena parte de lo
# mejor de ambas, aunque su ventaja sobre las palabras es de unos 3 puntos, menos que el error típico
# de una medida con 135 tareas. Que un embedding ayude depende del modelo que lo calcula, de cómo se
# parten los documentos y de tus datos: **mídelo**, como aquí, antes de pagar por él. Y la regla
# práctica de esta sección: **limpiar nunca quita un dato; seleccionar sí puede**, así que un
# presupuesto de contexto se elige midiendo la calidad, no a ojo.
#
# **Historial.** En una conversación larga, cada turno reenvía todos los anteriores.
# `compress.trim_history` conserva el *system prompt* y los turnos más recientes que caben en un
# presupuesto:

# %%
charla = [{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT}]
for i in range(8):
    charla += [{"role": "user", "content": f"Consulta {i}: " + tareas_dev[i]["question"]},
               {"role": "assistant", "content": "Entendido, te lo explico con detalle. " * 6}]
recortada = compress.trim_history(charla, 250)
print(f"{cifras.tokens(count_chat_tokens(charla))} → {cifras.tokens(count_chat_tokens(recortada))}; "
      f"{len(charla)} → {len(recortada)} mensajes")

# %% [markdown]
# **Ejemplos few-shot.** Los tres ejemplos viajan en cada petición. Si hacen falta, basta con el más
# parecido a la pregunta:

# %%
pocos = compress.prune_few_shot(scenario.FEW_SHOT, tarea["question"], keep=1)
como_mensajes = lambda ejemplos: [{"role": r, "content": e[k]} for e in ejemplos for r, k in (("user", "question"), ("assistant", "answer"))]
print(cifras.tokens(count_chat_tokens(como_mensajes(scenario.FEW_SHOT))), "→", cifras.tokens(count_chat_tokens(como_mensajes(pocos))))

# %% [markdown]
# **Longitud de la salida.** La salida cuesta 4 veces más que la entrada en `gpt-4o-mini`. Pedir
# brevedad acorta la respuesta; `max_tokens` pone un tope duro que, si es demasiado bajo, corta la
# respuesta a medias (`finish_reason == "length"`). Midámoslo con la documentación limpia y
# el prompt conciso del curso, cuyas respuestas miden unos pocos tokens (10 tareas, para que sea rápido):

# %%
def con_salida(tope):
    def optimizador(peticion):
        m = peticion["messages"]
        sistema = scenario.CONCISE_SYSTEM_PROMPT + "\n\n" + limpiar_documentacion(m[1]["content"])
        nueva = {**peticion, "messages": [{"role": "system", "content": sistema}, m[-1]]}
        return nueva | ({"max_tokens": tope} if tope else {})
    return optimizador

salidas = []
for tope in [None, 15, 5]:
    r = lab1_opt.medir(con_salida(tope), tareas_dev[::4], documentos=documentos, hechos=hechos)
    salidas.append({"max_tokens": tope or "sin tope", "tokens de salida (media)": cifras.num(r["tokens_salida"].mean(), decimals=1),
                    "respuestas cortadas": int((r["fin"] == "length").sum()), "acierto": cifras.pct(r["correcta"].mean(), decimals=0)})
pd.DataFrame(salidas).set_index("max_tokens")

# %% [markdown]
# Con respuestas breves, `max_tokens=15` no toca nada: solo un tope por debajo de lo que mide la
# respuesta (aquí 5, en las que dan un cálculo o varios datos) la corta y hunde el acierto. La
# brevedad se pide en el prompt; `max_tokens` es un seguro contra respuestas desbocadas, con holgura.
#
# ### Ejercicio 4 (2 puntos): un prompt conciso
#
# El *system prompt* actual (`scenario.VERBOSE_SYSTEM_PROMPT`) dice cuatro cosas con muchas palabras:
# el **rol** (asistente de atención al cliente de la tienda), el **idioma** (español), la **brevedad**
# (aunque hoy pide lo contrario: «con detalle, paso a paso») y que **use solo la documentación** sin
# inventar. Escribe en `PROMPT_CONCISO` tu versión. Se mide con el simulador, frente al prompt largo y
# en las mismas peticiones (documentación y pregunta de cada tarea):
#
# - como mucho **un tercio de sus tokens** (según `usage.prompt_tokens`);
# - las **respuestas**, como mucho un 30 % de los tokens de salida que provoca el prompt largo (el
#   simulador obedece a «breve», «en una frase», «en 20 palabras»...);
# - el **acierto**, como mucho 5 puntos por debajo;
# - y las otras tres instrucciones presentes (se leen con las reglas de texto del curso).

# %%
print(scenario.VERBOSE_SYSTEM_PROMPT)
print("→", cifras.tokens(count_chat_tokens([{"role": "system", "content": scenario.VERBOSE_SYSTEM_PROMPT}])))

# %% nbgrader="solution" grade_id="ej4_prompt"
PROMPT_CONCISO = ...  # tu prompt de sistema (un texto)
### BEGIN SOLUTION
PROMPT_CONCISO = ("Eres el asistente de atención al cliente de la tienda. Responde en español, "
                  "de forma breve y exacta, usando solo la documentación.")
### END SOLUTION
print(cifras.tokens(count_chat_tokens([{"role": "system", "content": PROMPT_CONCISO}])))

# %% nbgrader="tests" grade_id="ej4_prompt_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej4_prompt_test", "graders.lab1_prompt:check_prompt_oculto",
                    PROMPT_CONCISO=globals().get("PROMPT_CONCISO"))
### END HIDDEN TESTS
lab1_prompt.check_prompt(globals().get("PROMPT_CONCISO"))

# %% [markdown]
# ### Medir antes de presumir: coste **y** calidad
#
# Un recorte solo vale si el asistente sigue acertando. `lab1_opt.medir(optimizador, tareas, ...)`
# envía cada petición al simulador y anota tokens, coste, si la respuesta es correcta y, si no, por
# qué (`falta_dato`, `falta_pregunta`, `respuesta_cortada`, `fallo_del_modelo`). Un optimizador es una
# función que recibe la petición base y devuelve otra. Primero, la línea base:

# %%
base_dev = lab1_opt.medir(None, tareas_dev, documentos=documentos, hechos=hechos)
acierto_base = base_dev["correcta"].mean()
print(f"Base: {cifras.usd(base_dev['coste_exacto'].sum(), decimals=4)} por {len(tareas_dev)} preguntas, "
      f"acierto {cifras.pct(acierto_base, decimals=0)}")

# %% [markdown]
# **¿Cuánto se fía uno de un acierto medido en N tareas?** Cada tarea vale 100/N puntos, y el error
# típico de un acierto *p* medido en *N* tareas independientes es √(p·(1−p)/N):

# %%
for n in [30, 40, 50]:
    print(f"{n:4} tareas: cada una vale {cifras.points(1 / n)}; error típico "
          f"±{cifras.points((acierto_base * (1 - acierto_base) / n) ** 0.5)}")

# %% [markdown]
# Con 30 tareas, una sola decide un margen de 5 puntos, y el ruido de muestreo es mayor que el margen.
# Por eso las comprobaciones comparan base y optimizada **en las mismas tareas** (la diferencia se debe
# solo a la petición, no a qué tareas salieron) con 40 tareas visibles y 50 ocultas, donde hacen falta
# 3 tareas perdidas para pasar del margen.
#
# **¿Qué hace la sobrecompresión?** Este optimizador limpia la documentación y además se queda solo con
# los pasajes que caben en un presupuesto. Bajemos el presupuesto y miremos la curva calidad–recorte,
# con la limpieza sola como referencia:

# %%
def recortar_contexto(presupuesto=None):
    def optimizador(peticion):
        mensajes = peticion["messages"]
        doc = limpiar_documentacion(mensajes[1]["content"])
        if presupuesto:
            doc = "\n\n".join(context.select_context(mensajes[-1]["content"], context.split_passages(doc),
                                                     budget_tokens=presupuesto))
        nuevos = [mensajes[0], {"role": "system", "content": doc}] + mensajes[2:]
        return {**peticion, "messages": nuevos}
    return optimizador

tareas_curva = tareas_dev[::3]  # 14 tareas, para que la celda sea rápida
base_curva = lab1_opt.medir(None, tareas_curva, documentos=documentos, hechos=hechos)
curva = []
for presupuesto in [50, 200, None]:
    r = lab1_opt.medir(recortar_contexto(presupuesto), tareas_curva, documentos=documentos, hechos=hechos)
    curva.append({"presupuesto": f"{presupuesto} tokens" if presupuesto else "solo limpieza",
                  "recorte": 1 - r["coste"].sum() / base_curva["coste"].sum(),
                  "acierto": r["correcta"].mean(), "faltan_datos": int((r["motivo"] == "falta_dato").sum())})
curva = pd.DataFrame(curva)
ax = curva.plot(x="recorte", y="acierto", marker="o", figsize=(6.5, 3.8), legend=False, ls="")
for _, fila in curva.iterrows():
    ax.annotate(fila.presupuesto, (fila.recorte, fila.acierto), textcoords="offset points", xytext=(5, 5))
acierto_curva = base_curva["correcta"].mean()
ax.axhline(acierto_curva, color="gray", ls="--", label="acierto sin recortar")
ax.axhspan(acierto_curva - lab1_opt.MARGEN_CALIDAD, acierto_curva, color="tab:green", alpha=0.12,
           label="margen de 5 puntos")
ax.set_ylim(0, 1); ax.set_xlim(0, 1)
ax.yaxis.set_major_formatter(eje(porcentaje=True)); ax.xaxis.set_major_formatter(eje(porcentaje=True))
ax.legend(loc="lower left"); ax.set_xlabel("recorte del coste de los tokens"); ax.set_ylabel("acierto")
ax.set_title(f"Calidad frente a recorte (presupuesto de contexto, {len(tareas_curva)} tareas dev)")
plt.tight_layout()
curva.style.format({"recorte": lambda v: cifras.pct(v, decimals=0), "acierto": lambda v: cifras.pct(v, decimals=0)})

# %% [markdown]
# La limpieza sola ya recorta mucho sin perder acierto: no quita ningún dato, es ahorro «gratis». Con
# presupuestos pequeños, en cambio, el pasaje con el dato se queda fuera (`faltan_datos`) y el acierto
# se hunde, como en el caso de Tenerife. Quitar la pregunta del cliente también hunde el acierto
# (`falta_pregunta`), y un `max_tokens` por debajo de la respuesta la corta (`respuesta_cortada`).
#
# ### Ejercicio 5 (4 puntos): un optimizador de peticiones
#
# Escribe `optimizar_peticion(peticion)` que reciba una petición base (un `dict` con `model`,
# `messages` y `metadata`, como `base`) y devuelva **una nueva** petición que:
#
# - **cueste al menos un 20 % menos**: el coste de sus tokens (entrada + salida según `usage`, a los
#   precios del modelo) en las mismas tareas, y
# - **no pierda más de 5 puntos de acierto** respecto a la petición base.
#
# Se mide con el simulador en 40 tareas `dev` (celda de comprobación) y en 50 tareas **ocultas** al
# corregir, que son algo más difíciles: no ajustes el recorte al límite. La comprobación te muestra el
# recorte del coste y el de los tokens, que no son lo mismo (la salida cuesta 4 veces más). El modelo y
# `metadata` se toman siempre de la petición base: aquí optimizamos tokens, no el modelo (eso es el
# lab 3). Ideas: tu prompt conciso, documentación limpia, sin few-shot, brevedad y un `max_tokens` con
# holgura.

# %% nbgrader="solution" grade_id="ej5_optimizador"
def optimizar_peticion(peticion):
    """Devuelve una versión más barata de la petición sin perder calidad."""
    mensajes = peticion["messages"]
    pregunta = mensajes[-1]["content"]
    ### BEGIN SOLUTION
    documentacion = next(m["content"] for m in mensajes if m["content"].startswith(scenario.CONTEXT_HEADER))
    sistema = scenario.CONCISE_SYSTEM_PROMPT + " " + compress.length_instruction(40)
    return {
        "model": peticion["model"],
        "metadata": peticion.get("metadata", {}),
        "messages": [{"role": "system", "content": sistema + "\n\n" + limpiar_documentacion(documentacion)},
                     {"role": "user", "content": pregunta}],
        "max_tokens": 150,
    }
    ### END SOLUTION


optimizada = optimizar_peticion(base)
print(cifras.tokens(count_chat_tokens(base["messages"])), "→", cifras.tokens(count_chat_tokens(optimizada["messages"])), "de entrada")

# %% nbgrader="tests" grade_id="ej5_optimizador_test" points=4
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej5_optimizador_test", "graders.lab1_optimizer:check_optimizador_oculto",
                    optimizar_peticion=optimizar_peticion)
### END HIDDEN TESTS
lab1_opt.check_optimizador(optimizar_peticion)

# %% [markdown]
# ### Antes y después
#
# Comparemos tokens, coste y acierto de la petición base y de la tuya en las tareas `dev`. Mientras el
# ejercicio 5 no esté resuelto, estas celdas usan el optimizador de ejemplo «solo limpieza», para que
# puedas seguir la lección:

# %%
try:
    opt_dev = lab1_opt.medida_de(optimizar_peticion, tareas_dev, documentos=documentos, hechos=hechos)
    origen = "tu optimizador"
except AssertionError:
    opt_dev = lab1_opt.medir(recortar_contexto(None), tareas_dev, documentos=documentos, hechos=hechos)
    origen = "el optimizador de ejemplo (solo limpieza)"
media = lambda filas: {"tokens de entrada": filas["tokens_entrada"].mean(), "tokens de salida": filas["tokens_salida"].mean(),
                       "USD por 1000 preguntas": filas["coste"].mean() * 1000, "acierto": filas["correcta"].mean()}
resumen = pd.DataFrame({"base": media(base_dev), "optimizada": media(opt_dev)})
fig, ejes = plt.subplots(1, 4, figsize=(11, 3.2))
for eje_i, (fila, titulo, formato) in zip(ejes, [
        ("tokens de entrada", "Tokens de entrada (media)", eje(0)), ("tokens de salida", "Tokens de salida (media)", eje(0)),
        ("USD por 1000 preguntas", "USD por 1000 preguntas", eje(2)), ("acierto", "Acierto", eje(porcentaje=True))]):
    eje_i.bar(resumen.columns, resumen.loc[fila], color=["tab:gray", "tab:green"])
    eje_i.set_title(titulo, fontsize=10); eje_i.yaxis.set_major_formatter(formato)
ejes[3].set_ylim(0, 1)
fig.suptitle(f"Petición base frente a {origen} ({len(tareas_dev)} tareas dev)", fontsize=11)
plt.tight_layout()
resumen.T.style.format(lambda v: cifras.num(v, decimals=1)).format(
    lambda v: cifras.pct(v, decimals=0), subset=["acierto"]).format(lambda v: cifras.num(v, decimals=3), subset=["USD por 1000 preguntas"])

# %% [markdown]
# ### ¿Compensa? El retorno de la optimización
#
# Un porcentaje de recorte no dice si merece la pena: hace falta el volumen. El registro de tráfico de
# la tienda (`world.load_traffic()`) es una **muestra**, como los registros de producción muestreados:
# cada fila representa `POR_FILA` peticiones reales (lo declara `world.traffic_scale()`, con el modelo y
# los tokens de cada funcionalidad tal como está desplegada hoy). Esta es la factura de febrero, el
# último mes completo:

# %%
escala = world.traffic_scale()
trafico = world.load_traffic()
fechas = pd.to_datetime(trafico["ts"])
febrero = trafico[fechas.dt.strftime("%Y-%m") == "2026-02"]
despliegue = pd.DataFrame(escala["deployment"]).T
despliegue["peticiones/mes"] = febrero.groupby("feature").size() * POR_FILA
despliegue["USD/mes"] = [
    precios.cost(fila["model"], Usage(input_tokens=int(fila["context_tokens"]), output_tokens=int(fila["output_tokens"])))
    * int(fila["peticiones/mes"]) for _, fila in despliegue.iterrows()]
print(f"{cifras.count(len(febrero))} filas × {POR_FILA} = {cifras.count(len(febrero) * POR_FILA)} peticiones en febrero; "
      f"factura: {cifras.usd(sum(despliegue['USD/mes']), decimals=0)}")
despliegue.sort_values("USD/mes", ascending=False).style.format(
    {"peticiones/mes": cifras.count, "USD/mes": lambda v: cifras.usd(v, decimals=0),
     "context_tokens": cifras.count, "output_tokens": cifras.count})

# %% [markdown]
# El asistente de este lab es el chat de la web y de la app (`chat_web` en `gpt-4o`, `asistente_app` en
# `gpt-4o-mini`). Supongamos que tu optimización costó 16 horas de trabajo a 49 USD/h.
#
# ### Ejercicio 6 (2 puntos): el retorno de la inversión
#
# Escribe `retorno(coste_base, coste_opt, peticiones_mes, inversion)`: recibe el coste de **una**
# petición antes y después (`Decimal`, USD), las peticiones al mes (`int`) y la inversión única
# (`Decimal`, USD), y devuelve un `dict` con:
#
# - `"ahorro_mes"`: (coste_base − coste_opt) × peticiones_mes, en `Decimal` (se compara exacto);
# - `"meses_amortizacion"`: inversión / ahorro_mes, o `None` si no hay ahorro (≤ 0);
# - `"peticiones_equilibrio"`: las peticiones al mes con las que la inversión se recupera en 12 meses,
#   inversión / (12 × ahorro por petición), o `None` si no hay ahorro;
# - `"roi_12_meses"`: (12 × ahorro_mes − inversión) / inversión.
#
# Todo en `Decimal`.

# %% nbgrader="solution" grade_id="ej6_retorno"
def retorno(coste_base, coste_opt, peticiones_mes, inversion):
    """Ahorro mensual, meses para amortizar, volumen de equilibrio a 12 meses y ROI a 12 meses."""
    ### BEGIN SOLUTION
    ahorro = coste_base - coste_opt
    ahorro_mes = ahorro * peticiones_mes
    return {"ahorro_mes": ahorro_mes,
            "meses_amortizacion": inversion / ahorro_mes if ahorro > 0 else None,
            "peticiones_equilibrio": inversion / (12 * ahorro) if ahorro > 0 else None,
            "roi_12_meses": (12 * ahorro_mes - inversion) / inversion}
    ### END SOLUTION


retorno(Decimal("0.0008"), Decimal("0.00025"), 690_000, Decimal(16 * 49))

# %% nbgrader="tests" grade_id="ej6_retorno_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej6_retorno_test", "graders.lab1_roi:check_retorno_oculto", retorno=retorno)
### END HIDDEN TESTS
lab1_roi.check_retorno(retorno)

# %% [markdown]
# Apliquémoslo al asistente, con los tokens medios que acabas de medir (base y optimizada) al precio del
# modelo de cada canal (mientras el ejercicio 6 no esté resuelto, con la fórmula de referencia):

# %%
try:
    retorno(Decimal(1), Decimal(0), 1, Decimal(1))
    calcular_retorno = retorno
except NotImplementedError:
    calcular_retorno = lab1_roi.reference
inversion = Decimal(16 * 49)
filas_roi = []
for canal in ["chat_web", "asistente_app"]:
    modelo = escala["deployment"][canal]["model"]
    coste_de = lambda filas: precios.cost(modelo, Usage(input_tokens=round(filas["tokens_entrada"].mean()),
                                                        output_tokens=round(filas["tokens_salida"].mean())))
    r = calcular_retorno(coste_de(base_dev), coste_de(opt_dev), int(despliegue.loc[canal, "peticiones/mes"]), inversion)
    filas_roi.append({"canal": canal, "modelo": modelo, "peticiones/mes": cifras.count(despliegue.loc[canal, "peticiones/mes"]),
                      "ahorro/mes": cifras.usd(r["ahorro_mes"], decimals=0),
                      "amortización": "nunca" if r["meses_amortizacion"] is None else f"{cifras.num(r['meses_amortizacion'] * 30, decimals=0)} días",
                      "equilibrio (peticiones/mes)": "—" if r["peticiones_equilibrio"] is None else cifras.count(r["peticiones_equilibrio"]),
                      "ROI a 12 meses": cifras.pct(r["roi_12_meses"], decimals=0)})
pd.DataFrame(filas_roi).set_index("canal")

# %% [markdown]
# Los mismos tokens ahorrados valen unas 17 veces más en el canal de `gpt-4o` que en el de
# `gpt-4o-mini`: con el volumen de una tienda mediana, en el chat web 16 horas de trabajo se recuperan
# en semanas, y en la app, con un modelo barato, pueden tardar casi un año. El volumen de equilibrio
# lo dice de otra forma: por debajo de esas peticiones al mes, la optimización no se paga en un año.
# Por eso se mide (volumen, tokens, precio) antes de optimizar.
#
# ## 4. Avanzado (opcional)
#
# **Procesamiento batch.** Las peticiones que no necesitan respuesta inmediata (clasificar los tickets
# de la noche, resumir conversaciones) pueden ir por la API batch a mitad de precio. ¿Cuánto costaría
# al mes el tráfico de febrero de cada equipo con la petición optimizada en `gpt-4o-mini`, en tiempo real
# y en batch?

# %%
por_equipo = febrero.groupby("team").size() * POR_FILA
uso_medio = Usage(input_tokens=round(opt_dev["tokens_entrada"].mean()), output_tokens=round(opt_dev["tokens_salida"].mean()))
batch = pd.DataFrame({
    "peticiones/mes": por_equipo,
    "tiempo real": [precios.cost("gpt-4o-mini", uso_medio) * int(n) for n in por_equipo],
    "batch": [precios.cost("gpt-4o-mini", uso_medio, batch=True) * int(n) for n in por_equipo],
})
batch.style.format({"peticiones/mes": cifras.count, "tiempo real": lambda v: cifras.usd(v, decimals=2),
                    "batch": lambda v: cifras.usd(v, decimals=2)})

# %% [markdown]
# **Predecir la factura.** Con la factura diaria (cada fila del tráfico al precio de su funcionalidad
# desplegada, por `POR_FILA`) se puede proyectar la de los próximos 30 días. El tráfico tiene una
# tendencia (crece ~1 % al día) y un **patrón semanal** (los domingos, menos de la mitad), así que la
# previsión combina una recta con un factor por día de la semana. El pico del **14 de febrero** es un
# bucle de reintentos de `campanas_email` (una anomalía: el lab 4 aprende a detectarla), así que se deja
# fuera del ajuste.

# %%
coste_fila = {f: precios.cost(d["model"], Usage(input_tokens=d["context_tokens"], output_tokens=d["output_tokens"])) * POR_FILA
              for f, d in escala["deployment"].items()}
diario = trafico.assign(usd=trafico["feature"].map(coste_fila).astype(float)).groupby(fechas.dt.floor("D"))["usd"].sum()
x = pd.Series(range(len(diario)), index=diario.index, dtype=float)
ajuste = diario.index != pd.Timestamp("2026-02-14", tz=diario.index.tz)
pendiente = ((x[ajuste] - x[ajuste].mean()) * (diario[ajuste] - diario[ajuste].mean())).sum() / ((x[ajuste] - x[ajuste].mean()) ** 2).sum()
recta = diario[ajuste].mean() + pendiente * (x - x[ajuste].mean())
factor = (diario[ajuste] / recta[ajuste]).groupby(diario.index[ajuste].day_of_week).mean()
futuro = pd.date_range(diario.index[-1] + pd.Timedelta(days=1), periods=30, freq="D")
x_fut = len(diario) + pd.Series(range(30), dtype=float) - x[ajuste].mean()
prevision = pd.Series((diario[ajuste].mean() + pendiente * x_fut).values * factor.reindex(futuro.day_of_week).values, index=futuro)
import matplotlib.dates as mdates
from babel.dates import format_date

fig, ax = plt.subplots(figsize=(9, 3.2))
ax.plot(diario.index, diario.values, label="factura diaria (despliegue actual)")
ax.plot(prevision.index, prevision.values, ls="--", label="previsión 30 días (tendencia × día de la semana)")
ax.annotate("14 feb: bucle de reintentos", (pd.Timestamp("2026-02-14", tz=diario.index.tz), diario.max()),
            xytext=(10, -12), textcoords="offset points", fontsize=8)
ax.xaxis.set_major_locator(mdates.MonthLocator()); ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=0))
ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_date(mdates.num2date(v), "d MMM yyyy", locale="es_ES")))
ax.set_xlabel("fecha (marcas menores: lunes)"); ax.set_ylabel("USD/día"); ax.yaxis.set_major_formatter(eje(0))
ax.set_ylim(0); ax.legend(fontsize=8)
plt.tight_layout()
print(f"Factura prevista de los próximos 30 días: {cifras.usd(prevision.sum(), decimals=0)}")

# %% [markdown]
# Ideas para seguir: ¿qué técnica ahorra más por punto de acierto perdido? ¿Cómo cambia el recorte si
# el *system prompt* fijo se pone primero para aprovechar la caché de prompts (lab 2)?

# %% nbgrader="comprueba_todo" section="5"
lab1.comprueba_todo(globals())
