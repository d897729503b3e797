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
# **Escenario.** Trabajas en **Mercadela**, una tienda online española. Su asistente de atención al
# cliente responde miles de preguntas al día (envíos, devoluciones, pagos, garantías...) con un LLM, y
# la factura del proveedor no para de crecer. Tu jefa te pide dos cosas: *saber exactamente cuánto
# cuesta cada pregunta* y *recortar ese coste sin que el asistente responda peor*.
#
# **Objetivos.** Al terminar sabrás:
#
# 1. leer la estructura de precios de un modelo (entrada, entrada en caché, salida, batch) y calcular la
#    factura de una llamada a partir de su `usage`;
# 2. contar tokens de textos y de conversaciones como lo hace la API, y ver por qué el español cuesta
#    más tokens que el inglés;
# 3. estimar el coste de una petición **antes** de enviarla y comprobar la estimación con `usage`;
# 4. aplicar técnicas de ahorro (prompts concisos, limpieza, deduplicación, menos ejemplos few-shot,
#    selección de contexto bajo un presupuesto de tokens, control de la longitud de salida) y medir
#    qué le hacen a la calidad;
# 5. calcular el retorno de una optimización.
#
# **Cómo se evalúa.** Hay 4 ejercicios con puntos (10 en total). Cada uno tiene una celda de
# comprobación: si pasa, verás ✔; si no, un mensaje con una **pista**. Al corregir se ejecutan además
# pruebas ocultas con datos que no ves. Escribe tu código donde pone `# ESCRIBE TU CÓDIGO AQUÍ` y borra la
# línea `raise NotImplementedError()`.
#
# Todo funciona sin conexión: las llamadas van a un **proveedor simulado** compatible con la API de
# OpenAI que devuelve un `usage` y una factura realistas.

# %% nbgrader="setup"
from course_lib.course.lessons import preparacion; preparacion(globals())

from course_lib import Usage, count_chat_tokens, count_tokens, encoding_for_model
from course_lib import compress, context
from course_lib.course import scenario, world
from graders import lab1, lab1_optimizer as lab1_opt

pd.set_option("display.precision", 6)

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
    filas.append({"modelo": modelo, "entrada": float(p.input), "caché": float(p.cached_input),
                  "salida": float(p.output), "salida/entrada": float(p.output / p.input)})
tabla_precios = pd.DataFrame(filas).set_index("modelo").sort_values("entrada")
tabla_precios

# %% [markdown]
# ¿Cuánto cuesta **un token**? Divide entre un millón: un token de entrada de `gpt-4o` cuesta
# 2,50 / 1 000 000 = 0,0000025 USD. Parece nada, pero una petición típica del asistente lleva miles de
# tokens y hay decenas de miles de peticiones al mes. Veamos el coste de 1000 peticiones de 3000 tokens
# de entrada y 200 de salida en cada modelo:

# %%
def coste_por_mil(modelo, entrada=3000, salida=200):
    return float(precios.cost(modelo, Usage(input_tokens=entrada, output_tokens=salida)) * 1000)

coste_modelos = pd.Series({m: coste_por_mil(m) for m in tabla_precios.index}).sort_values()
ax = coste_modelos.plot.barh(figsize=(7, 4), color="tab:blue")
ax.set_xlabel("USD por 1000 peticiones (3000 tokens de entrada + 200 de salida)")
ax.set_title("Coste por modelo")
plt.tight_layout()

# %% [markdown]
# La misma petición cuesta distinto según **cómo** se envía. Con `gpt-4o`: normal, con 2048 de sus
# 3000 tokens de entrada en la caché del proveedor, o por la API batch:

# %%
normal = Usage(input_tokens=3000, output_tokens=200)
con_cache = Usage(input_tokens=3000, output_tokens=200, cached_tokens=2048)
pd.Series({"normal": precios.cost("gpt-4o", normal), "con caché": precios.cost("gpt-4o", con_cache),
           "batch": precios.cost("gpt-4o", normal, batch=True)}, name="USD por petición")

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
# ### Ejercicio 1 (2 puntos): el coste de una llamada
#
# Escribe `coste_llamada(uso, modelo, *, batch=False)` que reciba el `usage` **como diccionario** (el
# formato de `respuesta.usage.model_dump()`) y devuelva el coste en USD como `Decimal`:
#
# $$\text{coste} = \frac{(\text{entrada} - \text{caché})\cdot p_\text{input} + \text{caché}\cdot p_\text{cached} + \text{salida}\cdot p_\text{output}}{10^6}$$
#
# y, si `batch=True`, multiplicado por `batch_discount` (0,5). Usa `precios.get(modelo)` para los
# precios (`input`, `cached_input`, `output`, `batch_discount`, ya son `Decimal`). Los detalles pueden
# faltar o valer `None`: trátalos como 0. No uses `precios.cost` ni `cost_of`: se trata de escribirlo tú.

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
from graders import lab1 as lab1_oculto
lab1_oculto.check_coste_llamada_oculto(coste_llamada)
### END HIDDEN TESTS
lab1.check_coste_llamada(coste_llamada)

# %% [markdown]
# ## 2. Contar y estimar tokens
#
# Un *token* es un trozo de texto del vocabulario del modelo: una palabra corta, parte de una palabra,
# un signo. `gpt-4o`, `gpt-4.1`, `o3` y `gpt-5` usan la codificación `o200k_base`; `gpt-4` y
# `gpt-3.5` usan `cl100k_base`. Veamos cómo se trocea una frase:

# %%
codificacion = encoding_for_model("gpt-4o")
frase = "¿Puedo devolver la freidora de aire si ya la he estrenado?"
trozos = [codificacion.decode([t]) for t in codificacion.encode(frase)]
print(len(trozos), "tokens:", trozos)

# %% [markdown]
# ### El sobrecoste del español
#
# Los tokenizadores se entrenaron con más inglés que español, así que la misma idea en español suele
# necesitar más tokens. Comparemos frases equivalentes del asistente:

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
idiomas

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
# Escribe `contar_tokens_chat(mensajes, modelo="gpt-4o")` con esa fórmula. Usa
# `encoding_for_model(modelo).encode(texto)` para contar cada texto (no uses `count_chat_tokens`). Con
# la conversación del Cookbook debe dar 124 tokens en `gpt-4o` y 129 en `gpt-4`, lo que factura la API.

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
from graders import lab1 as lab1_oculto
lab1_oculto.check_contar_tokens_chat_oculto(contar_tokens_chat)
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
# la entrada (con tu `contar_tokens_chat`) al precio `input` más `tokens_salida` al precio `output`,
# todo entre un millón. Sin caché ni batch.

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
from graders import lab1 as lab1_oculto
lab1_oculto.check_estimar_coste_oculto(estimar_coste)
### END HIDDEN TESTS
lab1.check_estimar_coste(estimar_coste)

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
print(f"cota: {cota:.8f} USD | real: {coste_llamada(real.usage.model_dump(), 'gpt-4o-mini'):.8f} USD")

# %% [markdown]
# ## 3. Optimización de tokens
#
# Así es hoy una petición del asistente de Mercadela (`scenario.baseline_request`): un *system prompt*
# largo y repetitivo, **todos** los documentos del tema de la pregunta, tres ejemplos few-shot y, al
# final, la pregunta del cliente. Carguemos la base de conocimiento y 30 tareas de desarrollo (`dev`)
# de todos los tipos, con respuesta conocida:

# %%
documentos = world.load_documents().to_dict(orient="records")
hechos = {h["fact_id"]: h for h in world.load_facts().to_dict(orient="records")}
tareas_dev = lab1_opt.muestra(world.load_tasks(split="dev"), lab1_opt.N_VISIBLE)
tarea = tareas_dev[0]
base = lab1_opt.peticion_base(tarea, documentos, hechos)
print("Pregunta:", tarea["question"])
print("Mensajes:", [m["role"] for m in base["messages"]], "| tokens:", count_chat_tokens(base["messages"], base["model"]))

# %% [markdown]
# ¿Dónde se van los tokens? Contemos cada parte de la petición:

# %%
def partes(peticion):
    m = peticion["messages"]
    return {"instrucciones": count_chat_tokens([m[0]]), "documentación": count_chat_tokens([m[1]]),
            "few-shot": count_chat_tokens(m[2:-1]) if len(m) > 3 else 0, "pregunta": count_chat_tokens([m[-1]])}

reparto = pd.Series(partes(base))
ax = reparto.plot.barh(figsize=(6, 2.8), color=["tab:gray", "tab:orange", "tab:purple", "tab:green"])
ax.set_xlabel("tokens de entrada")
ax.set_title("Reparto de tokens de la petición actual")
plt.tight_layout()

# %% [markdown]
# La documentación es casi todo. Estas son las técnicas que vamos a combinar (todas en
# `course_lib.compress` y `course_lib.context`):
#
# | técnica | función | ahorra |
# |---|---|---|
# | instrucciones concisas | `scenario.CONCISE_SYSTEM_PROMPT` | entrada |
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
print(f"{count_tokens(original)} → {count_tokens(limpio)} tokens ({compress.token_savings(original, limpio):.0%} menos)")

# %% [markdown]
# **Selección de contexto.** Podemos ir más lejos: partir la documentación en pasajes y quedarnos con
# los que comparten más palabras con la pregunta, sin pasar de un presupuesto de tokens:

# %%
pasajes = context.split_passages(limpio)
elegidos = context.select_context(tarea["question"], pasajes, budget_tokens=200)
print(len(pasajes), "pasajes →", len(elegidos), "elegidos,", count_tokens("\n".join(elegidos)), "tokens")
print(elegidos[0][:300])

# %% [markdown]
# **Historial.** En una conversación larga, cada turno reenvía todos los anteriores.
# `compress.trim_history` conserva el *system prompt* y los turnos más recientes que caben en un
# presupuesto:

# %%
charla = [{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT}]
for i in range(8):
    charla += [{"role": "user", "content": f"Consulta {i}: " + tareas_dev[i]["question"]},
               {"role": "assistant", "content": "Entendido, te lo explico con detalle. " * 6}]
recortada = compress.trim_history(charla, 250)
print(count_chat_tokens(charla), "→", count_chat_tokens(recortada), "tokens;", len(charla), "→", len(recortada), "mensajes")

# %% [markdown]
# **Ejemplos few-shot.** Los tres ejemplos viajan en cada petición. Si hacen falta, basta con el más
# parecido a la pregunta:

# %%
pocos = compress.prune_few_shot(scenario.FEW_SHOT, tarea["question"], keep=1)
como_mensajes = lambda ejemplos: [{"role": r, "content": e[k]} for e in ejemplos for r, k in (("user", "question"), ("assistant", "answer"))]
print(count_chat_tokens(como_mensajes(scenario.FEW_SHOT)), "→", count_chat_tokens(como_mensajes(pocos)), "tokens")

# %% [markdown]
# **Longitud de la salida.** La salida cuesta 4 veces más que la entrada en `gpt-4o-mini`. Pedir
# brevedad acorta la respuesta; `max_tokens` pone un tope duro (si es demasiado bajo, corta la
# respuesta a medias: `finish_reason == "length"`):

# %%
pregunta = [{"role": "user", "content": "¿Qué debo tener en cuenta al devolver un producto?"}]
breve = [{"role": "system", "content": compress.length_instruction(20)}] + pregunta
for nombre, mensajes, tope in [("sin control", pregunta, None), ("pide brevedad", breve, None), ("max_tokens=15", pregunta, 15)]:
    extra = {"max_tokens": tope} if tope else {}
    r = cliente.chat.completions.create(model="gpt-4o-mini", messages=mensajes, **extra)
    print(f"{nombre:14} {r.usage.completion_tokens:4} tokens de salida · fin: {r.choices[0].finish_reason}")

# %% [markdown]
# ### Medir antes de presumir: coste **y** calidad
#
# Un recorte solo vale si el asistente sigue acertando. `lab1_opt.medir(optimizador, tareas, ...)`
# envía cada petición al simulador y anota tokens, coste, si la respuesta es correcta y, si no, por
# qué (`falta_dato`, `falta_pregunta`, `respuesta_cortada`, `fallo_del_modelo`). Un optimizador es una
# función que recibe la petición base y devuelve otra. Primero, la línea base:

# %%
base_dev = lab1_opt.medir(None, tareas_dev, documentos=documentos, hechos=hechos)
print(f"Base: {base_dev['coste'].sum():.5f} USD por {len(tareas_dev)} preguntas, acierto {base_dev['correcta'].mean():.0%}")

# %% [markdown]
# **¿Qué hace la sobrecompresión?** Este optimizador limpia la documentación y además se queda solo con
# los pasajes que caben en un presupuesto. Bajemos el presupuesto y miremos la curva calidad–recorte:

# %%
def recortar_contexto(presupuesto):
    def optimizador(peticion):
        mensajes = peticion["messages"]
        pasajes = context.split_passages(limpiar_documentacion(mensajes[1]["content"]))
        elegidos = context.select_context(mensajes[-1]["content"], pasajes, budget_tokens=presupuesto)
        nuevos = [mensajes[0], {"role": "system", "content": "\n\n".join(elegidos)}] + mensajes[2:]
        return {**peticion, "messages": nuevos}
    return optimizador

curva = []
for presupuesto in [50, 200, 800]:
    r = lab1_opt.medir(recortar_contexto(presupuesto), tareas_dev, documentos=documentos, hechos=hechos)
    curva.append({"presupuesto": presupuesto, "recorte": 1 - r["coste"].sum() / base_dev["coste"].sum(),
                  "acierto": r["correcta"].mean(), "faltan_datos": int((r["motivo"] == "falta_dato").sum())})
curva = pd.DataFrame(curva)
ax = curva.plot(x="recorte", y="acierto", marker="o", figsize=(6, 3.5), legend=False)
for _, fila in curva.iterrows():
    ax.annotate(f"{fila.presupuesto:.0f} tokens", (fila.recorte, fila.acierto), textcoords="offset points", xytext=(4, 4))
ax.axhline(base_dev["correcta"].mean(), color="gray", ls="--", label="acierto sin recortar")
ax.legend(loc="lower left"); ax.set_xlabel("recorte del coste"); ax.set_ylabel("acierto")
ax.set_title("Calidad frente a recorte (presupuesto de contexto)")
plt.tight_layout()
curva

# %% [markdown]
# Con presupuestos pequeños el pasaje con el dato se queda fuera (`faltan_datos`) y el acierto se
# hunde: la selección por palabras no sabe que «Santa Cruz de Tenerife» está en Canarias. Quitar la
# pregunta del cliente, o cortar la respuesta con un `max_tokens` demasiado pequeño, tiene el mismo
# efecto. La limpieza, en cambio, no quita ningún dato: es ahorro «gratis».
#
# ### Ejercicio 4 (4 puntos): un optimizador de peticiones
#
# Escribe `optimizar_peticion(peticion)` que reciba una petición base (un `dict` con `model`,
# `messages` y `metadata`, como `base`) y devuelva **una nueva** petición que:
#
# - **cueste al menos un 20 % menos** en tokens (entrada + salida, según `usage`), y
# - **no pierda más de 5 puntos de acierto** respecto a la petición base.
#
# Se mide con el simulador en 30 tareas `dev` (celda de comprobación) y en 60 tareas **ocultas** al
# corregir, que son algo más difíciles: no ajustes el recorte al límite. El modelo y `metadata` se
# toman siempre de la petición base: aquí optimizamos tokens, no el modelo (eso es el lab 3). Ideas:
# instrucciones concisas, documentación limpia, sin few-shot, pedir brevedad y fijar `max_tokens`
# sin cortar la respuesta.

# %% nbgrader="solution" grade_id="ej4_optimizador"
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
print(count_chat_tokens(base["messages"]), "→", count_chat_tokens(optimizada["messages"]), "tokens de entrada")

# %% nbgrader="tests" grade_id="ej4_optimizador_test" points=4
### BEGIN HIDDEN TESTS
for _m in [m for m in sys.modules if m.split('.')[0] == 'course_lib']:
    del sys.modules[_m]
from graders import lab1_optimizer as lab1_opt_oculto
lab1_opt_oculto.check_optimizador_oculto(optimizar_peticion)
### END HIDDEN TESTS
lab1_opt.check_optimizador(optimizar_peticion)

# %% [markdown]
# ### Antes y después
#
# Comparemos tokens y coste de la petición base y de la tuya en las tareas `dev`:

# %%
opt_dev = lab1_opt.medir(optimizar_peticion, tareas_dev, documentos=documentos, hechos=hechos)
resumen = pd.DataFrame({
    "base": [base_dev["tokens_entrada"].mean(), base_dev["tokens_salida"].mean(), base_dev["coste"].mean() * 1000, base_dev["correcta"].mean()],
    "optimizada": [opt_dev["tokens_entrada"].mean(), opt_dev["tokens_salida"].mean(), opt_dev["coste"].mean() * 1000, opt_dev["correcta"].mean()],
}, index=["tokens de entrada", "tokens de salida", "USD por 1000 preguntas", "acierto"])
fig, ejes = plt.subplots(1, 2, figsize=(9, 3.2))
resumen.iloc[:2].plot.bar(ax=ejes[0], rot=0, title="Tokens por petición (media)")
resumen.iloc[2:3].plot.bar(ax=ejes[1], rot=0, title="USD por 1000 preguntas")
plt.tight_layout()
resumen

# %% [markdown]
# ### ¿Compensa? El retorno de la optimización
#
# Un porcentaje de recorte no dice si merece la pena: hace falta el volumen. Tomemos el tráfico del
# asistente (peticiones por mes en los registros) y supongamos que la optimización costó 16 horas de
# trabajo a 49 USD/h. ¿Cuánto se ahorra al mes, cuándo se amortiza y desde qué volumen se paga en un año?

# %%
trafico = world.load_traffic()
meses = pd.to_datetime(trafico["ts"]).dt.strftime("%Y-%m")
peticiones_mes = float(trafico.groupby(meses).size().mean())
ahorro_peticion = base_dev["coste"].mean() - opt_dev["coste"].mean()
esfuerzo = 16 * 49
print(f"{peticiones_mes:,.0f} peticiones/mes; ahorro por petición con gpt-4o-mini: {ahorro_peticion:.7f} USD")
for modelo in ["gpt-4o-mini", "gpt-4o"]:
    factor = float(precios.get(modelo).input / precios.get("gpt-4o-mini").input)
    ahorro_mes = ahorro_peticion * factor * peticiones_mes
    equilibrio = esfuerzo / (12 * ahorro_peticion * factor)
    print(f"{modelo:12} ahorro {ahorro_mes:8,.2f} USD/mes · amortización {esfuerzo / ahorro_mes:6,.1f} meses · "
          f"se paga en un año desde {equilibrio:,.0f} peticiones/mes")

# %% [markdown]
# Con el volumen de este asistente y un modelo barato, 16 horas de trabajo no se recuperan en un año:
# el ahorro por petición es una fracción de céntimo. Con un modelo caro, o con el volumen de un
# producto grande, la misma optimización se paga sola. Por eso se mide antes de optimizar.
#
# ## 4. Avanzado (opcional)
#
# **Procesamiento batch.** Las peticiones que no necesitan respuesta inmediata (clasificar los tickets
# de la noche, resumir conversaciones) pueden ir por la API batch a mitad de precio. ¿Cuánto costaría
# en batch el tráfico mensual de cada equipo con tu optimizador?

# %%
por_equipo = trafico.groupby("team").size() / meses.nunique()
uso_medio = Usage(input_tokens=int(opt_dev["tokens_entrada"].mean()), output_tokens=int(opt_dev["tokens_salida"].mean()))
batch = pd.DataFrame({
    "peticiones/mes": por_equipo.round(),
    "tiempo real (USD)": [float(precios.cost("gpt-4o-mini", uso_medio) * Decimal(int(n))) for n in por_equipo],
    "batch (USD)": [float(precios.cost("gpt-4o-mini", uso_medio, batch=True) * Decimal(int(n))) for n in por_equipo],
})
batch

# %% [markdown]
# **Predecir la factura.** Con las peticiones por día y el coste medio por petición se puede proyectar
# la factura de los próximos 30 días. Una tendencia lineal ya captura el crecimiento:

# %%
diario = trafico.groupby(pd.to_datetime(trafico["ts"]).dt.floor("D")).size()
x = pd.Series(range(len(diario)), index=diario.index, dtype=float)
pendiente = ((x - x.mean()) * (diario - diario.mean())).sum() / ((x - x.mean()) ** 2).sum()
futuro = pd.date_range(diario.index[-1] + pd.Timedelta(days=1), periods=30, freq="D")
prevision = pd.Series(diario.mean() + pendiente * (len(diario) + pd.Series(range(30)) - x.mean()).values, index=futuro)
coste_medio = opt_dev["coste"].mean()
ax = (diario * coste_medio).plot(figsize=(8, 3), label="coste diario (optimizado)")
(prevision * coste_medio).plot(ax=ax, ls="--", label="previsión 30 días")
ax.set_ylabel("USD/día"); ax.legend(); plt.tight_layout()
print(f"Factura prevista de los próximos 30 días: {prevision.sum() * coste_medio:.2f} USD")

# %% [markdown]
# Ideas para seguir: ¿qué técnica ahorra más por punto de acierto perdido? ¿Cómo cambia el recorte si
# el *system prompt* fijo se pone primero para aprovechar la caché de prompts (lab 2)?

# %% nbgrader="comprueba_todo" section="5"
lab1.comprueba_todo(globals())
