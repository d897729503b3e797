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
# # Lab 3 — Cascading de modelos
#
# **Escenario.** El asistente de **Mercadela** manda hoy todas las preguntas al mismo modelo. Tu jefa
# pregunta: «¿no podríamos usar un modelo barato para lo fácil y el caro solo cuando haga falta?». En
# este lab diseñas una **estrategia de selección de modelo** y demuestras, midiendo, que es mejor que
# cualquier modelo solo.
#
# **Objetivos.** Al terminar sabrás:
#
# 1. medir coste y calidad de cada modelo y dibujar la **frontera de Pareto**;
# 2. evaluar una estrategia contando **todos** los intentos (los baratos que fallan también se pagan);
# 3. montar una **cascada** por confianza y **calibrar** su umbral, y ver por qué se desvía entre datos;
# 4. entrenar un **router aprendido** y leer qué mira; comparar con el router aleatorio (PGR, APGR, CPT);
# 5. comparar un **modelo especializado** pequeño con un LLM general, y **edge** frente a **nube**
#    (coste, latencia, privacidad, punto de equilibrio);
# 6. reaccionar a un **cambio de precio**.
#
# **Cómo se evalúa.** 4 ejercicios (10 puntos). Cada uno tiene una comprobación visible con una
# **pista**; al corregir se ejecutan pruebas ocultas con tareas que no ves. Escribe tu código donde pone
# `# ESCRIBE TU CÓDIGO AQUÍ` y borra `raise NotImplementedError()`.

# %% nbgrader="setup"
from course_lib.course.lessons import preparacion; preparacion(globals())

from course_lib import cascade, numbers
from course_lib.cascade import Cascade, Point, pareto_frontier, routing_curve, random_curve, oracle_curve
from course_lib.course import world
from graders import lab3, lab3_strategy, lab3_privacy

# %% [markdown]
# ## 1. Coste y calidad de cada modelo
#
# Cada tarea del banco de Mercadela tiene una respuesta correcta. Mandamos la misma petición (la
# documentación necesaria y la pregunta, «responde solo con la respuesta») a cada modelo y puntuamos
# con `world.is_correct`. `lab3.peticion(tarea)` construye esa petición; pide `logprobs`, que usaremos
# como confianza. Medimos en 40 tareas públicas `dev` de todos los tipos (los modelos baratos
# primero, luego los caros).

# %%
tareas = lab3.tareas_lab()
mediciones = lab3.medir_modelos(tareas, ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1-mini", "gemini-2.5-flash"])

# %%
mediciones.update(lab3.medir_modelos(tareas, ["gpt-5-mini@minimal", "gpt-4.1", "gpt-4o", "gpt-5-mini"]))
tabla = pd.DataFrame([{"modelo": m, "acierto": e.accuracy, "coste_usd": float(e.cost),
                       "p50_ms": e.latency_ms(0.5)} for m, e in mediciones.items()]).set_index("modelo")
tabla.sort_values("coste_usd")

# %% [markdown]
# `gpt-5-mini` y `gpt-5-mini@minimal` son el **mismo modelo**: el primero razona con el esfuerzo por
# defecto y paga sus tokens de razonamiento ocultos como salida; el segundo usa
# `reasoning_effort="minimal"`. Misma calidad aquí, una fracción del coste y de la latencia.
#
# ### La frontera de Pareto
#
# Un modelo está en la **frontera** si ningún otro acierta lo mismo o más por el mismo coste o menos.

# %%
puntos = [Point(m, float(e.cost), e.accuracy) for m, e in mediciones.items()]
frontera = pareto_frontier(puntos)
fig, ax = plt.subplots(figsize=(8, 4.5))
for p in puntos:
    ax.scatter(p.cost, p.accuracy, color="tab:blue" if p in frontera else "tab:gray")
    ax.annotate(p.name, (p.cost, p.accuracy), fontsize=8, xytext=(4, -3), textcoords="offset points")
ax.plot([p.cost for p in frontera], [p.accuracy for p in frontera], "--", color="tab:blue", label="frontera")
ax.set_xscale("log"); ax.set_xlabel(f"coste en {len(tareas)} tareas (USD, escala log)"); ax.set_ylabel("acierto")
ax.set_title("Coste frente a calidad"); ax.legend(); plt.tight_layout()

# %% [markdown]
# ### ¿«El mejor modelo»? Depende de la tarea
#
# El acierto por tipo de tarea muestra que los modelos baratos ya resuelven muchas preguntas: la
# pregunta útil no es «¿cuál es el mejor?» sino «¿cuál basta para *esta* petición?».

# %%
tipos = {t["task_id"]: t["type"] for t in tareas}
por_tipo = pd.DataFrame({m: pd.Series({o.task_id: o.correct for o in e.outcomes}).groupby(tipos).mean()
                         for m, e in mediciones.items() if m in lab3.ESCALERA})
por_tipo.round(2)

# %% [markdown]
# ## 2. Evaluar una estrategia contando cada intento
#
# Una **cascada** prueba primero un modelo barato y, si la respuesta no parece segura, sube al
# siguiente. Es un *middleware* del hueco `"router"` del cliente: cada subida es un **intento** nuevo
# de la misma llamada y una fila más en el registro (`ledger`).

# %%
cliente_demo = connect(isolated=True)
demo = lab3.evaluar(Cascade(ladder=["gpt-4o-mini", "gpt-4.1"], thresholds=[0.75]), tareas[:10],
                    cliente=cliente_demo)
pd.DataFrame([{"call_id": r.call_id[-6:], "intento": r.attempt, "modelo": r.model, "coste": r.cost}
              for r in cliente_demo.ledger.records()]).head(8)

# %% [markdown]
# ### Ejercicio 1 (2 puntos): evaluar una estrategia
#
# Escribe `evaluar_estrategia(registros, correctas, *, fuerte, precision_debil, precision_fuerte)`.
# `registros` son **todas** las filas del ledger de la ejecución (`CallRecord`: `model`, `cost`,
# `call_id`, `task_id`...); `correctas` es un dict `task_id → bool`. Devuelve un dict con:
#
# - `coste`: la suma (`Decimal`) del coste de **todas** las filas;
# - `precision`: fracción de tareas correctas;
# - `uso`: dict modelo → fracción de **intentos** (filas) de ese modelo;
# - `cuota_fuerte`: fracción de tareas en las que se llamó al menos una vez al modelo `fuerte`;
# - `pgr`: la PGR (*performance gap recovered*) de RouteLLM:
#   (precisión − precisión_debil) / (precisión_fuerte − precisión_debil).

# %% nbgrader="solution" grade_id="ej1_evaluar"
def evaluar_estrategia(registros, correctas, *, fuerte, precision_debil, precision_fuerte):
    """Coste, precisión, uso por modelo, cuota del fuerte y PGR de una ejecución."""
    ### BEGIN SOLUTION
    coste = sum((r.cost for r in registros), Decimal(0))
    uso = {}
    for r in registros:
        uso[r.model] = uso.get(r.model, 0) + 1
    uso = {m: k / len(registros) for m, k in uso.items()}
    precision = sum(bool(v) for v in correctas.values()) / len(correctas)
    con_fuerte = {r.task_id for r in registros if r.model == fuerte} & set(correctas)
    pgr = (precision - precision_debil) / (precision_fuerte - precision_debil)
    return {"coste": coste, "precision": precision, "uso": uso,
            "cuota_fuerte": len(con_fuerte) / len(correctas), "pgr": pgr}
    ### END SOLUTION


evaluar_estrategia(cliente_demo.ledger.records(), {o.task_id: o.correct for o in demo.outcomes},
                   fuerte="gpt-4.1", precision_debil=mediciones["gpt-4o-mini"].accuracy,
                   precision_fuerte=mediciones["gpt-4.1"].accuracy)

# %% nbgrader="tests" grade_id="ej1_evaluar_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej1_evaluar_test", "graders.lab3:check_evaluar_estrategia_oculto",
                    evaluar_estrategia=evaluar_estrategia)
### END HIDDEN TESTS
lab3.check_evaluar_estrategia(evaluar_estrategia)

# %% [markdown]
# ## 3. La cascada por confianza y su umbral
#
# La confianza de una respuesta es la probabilidad de su token menos probable
# (`exp(min logprob)`). Como el simulador es determinista, podemos **reproducir** qué haría la cascada
# con cada umbral a partir de las mediciones de cada modelo (`cascade.replay`), sin volver a llamar.
# Barremos el umbral de `gpt-4o-mini → gpt-4.1`:

# %%
runs = cascade.runs_of(mediciones)
DEBIL, FUERTE = lab3.DEBIL, lab3.FUERTE
barrido = pd.DataFrame([cascade.outcome(runs, [DEBIL, FUERTE], [u]).as_dict()
                        for u in [0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0]])
barrido["coste_usd"] = barrido["coste_usd"].astype(float)
barrido

# %% [markdown]
# ### La curva PGR frente al router aleatorio
#
# La **PGR** dice qué parte de la diferencia entre el débil y el fuerte recupera la estrategia. Un
# router aleatorio que manda una fracción *x* al fuerte recupera *x*: la diagonal. El **APGR** es el
# área bajo la curva (0,5 el aleatorio) y **CPT(80 %)** la cuota de llamadas al fuerte necesaria para
# recuperar el 80 %. El oráculo sabe qué modelo acierta: es el techo. Con solo 40 tareas la diferencia
# entre `gpt-4o-mini` y `gpt-4.1` son dos tareas y la curva sale a saltos; usamos una pareja con más
# distancia, `gpt-4.1-mini` → `gpt-4.1` (aun así, 40 tareas son pocas: los benchmarks usan ~200).

# %%
PAR_DEBIL, PAR_FUERTE = "gpt-4.1-mini", "gpt-4.1"
debil_ok, fuerte_ok = mediciones[PAR_DEBIL].correct, mediciones[PAR_FUERTE].correct
confianza_par = [o.confidence for o in mediciones[PAR_DEBIL].outcomes]
curvas = {"cascada por confianza": routing_curve([-c for c in confianza_par], debil_ok, fuerte_ok),
          "aleatorio": random_curve(debil_ok, fuerte_ok), "oráculo": oracle_curve(debil_ok, fuerte_ok)}
fig, ax = plt.subplots(figsize=(6, 4))
for nombre, curva in curvas.items():
    ax.plot(curva.shares, curva.pgrs, label=f"{nombre} (APGR {curva.apgr():.2f}, CPT80 {curva.cpt(0.8):.0%})")
ax.set_xlabel("cuota de llamadas al fuerte"); ax.set_ylabel("PGR"); ax.legend(fontsize=8); plt.tight_layout()

# %% [markdown]
# ### Ejercicio 2 (2 puntos): calibrar el umbral para una cuota del fuerte
#
# Con presupuesto para que solo un 30 % de las peticiones lleguen al fuerte, el umbral debe dejar por
# debajo el 30 % de las confianzas. Escribe `calibrar_umbral(confianzas, cuota)`: devuelve el umbral
# tal que la fracción de `confianzas` **menores** que él sea `cuota` (ordena y toma la de la posición
# `round(cuota · n)`; con `cuota=1` devuelve 1.0). Al corregir, la comprobación **ejecuta tu
# función**: calibra con las confianzas de `gpt-4o-mini` en las 759 tareas `train` y `dev`, para dos
# objetivos (30 % y 50 %), y mide qué cuota llega al fuerte en las tareas **ocultas**: cada una debe
# quedar a ±7 puntos de su objetivo (un umbral fijo no acierta los dos). La comprobación visible hace
# lo mismo calibrando en `train` y midiendo en `dev`.

# %% nbgrader="solution" grade_id="ej2_umbral"
def calibrar_umbral(confianzas, cuota):
    """Umbral bajo el que queda la fracción `cuota` de las confianzas."""
    ### BEGIN SOLUTION
    ordenadas = sorted(confianzas)
    k = round(cuota * len(ordenadas))
    if k >= len(ordenadas):
        return 1.0
    return ordenadas[k] if k > 0 else 0.0
    ### END SOLUTION


confianza = [o.confidence for o in mediciones[DEBIL].outcomes]
umbral_30 = calibrar_umbral(confianza, 0.30)
umbral_30

# %% nbgrader="tests" grade_id="ej2_umbral_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej2_umbral_test", "graders.lab3:check_calibrar_umbral_oculto", calibrar_umbral=calibrar_umbral)
### END HIDDEN TESTS
lab3.check_calibrar_umbral(calibrar_umbral)

# %% [markdown]
# ### ¿Por qué se desvía la calibración?
#
# Un umbral elegido en unos datos cae en otro sitio en otros: con pocas tareas el cuantil es ruidoso, y
# si la mezcla de tipos cambia, cambian las confianzas. Es lo que vieron los usuarios de RouteLLM
# (lm-sys/RouteLLM#36). Calibramos en la mitad de las tareas y miramos la otra mitad:

# %%
mitad = len(tareas) // 2
runs_a = {m: r[:mitad] for m, r in runs.items()}
runs_b = {m: r[mitad:] for m, r in runs.items()}
informe = cascade.report(runs_a, runs_b, [DEBIL, FUERTE], target_share=0.30)
pd.DataFrame({"calibración": informe.calibrated.as_dict(), "otra mitad": informe.other.as_dict()})

# %% [markdown]
# ## 4. Un router aprendido
#
# Un router decide **antes** de llamar: un solo intento, sin respuesta barata desperdiciada. Aprende
# de las tareas de entrenamiento qué modelo acierta, a partir de rasgos visibles
# (`world.feature_table`: tipo, longitud, registro...) y del texto (TF-IDF + regresión logística).
# Medimos la pareja débil y fuerte en 80 tareas `train` para tener etiquetas.

# %%
train = world.load_tasks("train").sample(80, random_state=0).to_dict("records")
med_train = lab3.medir_modelos(train, [PAR_DEBIL, PAR_FUERTE])


def rasgos(lista):
    frame = pd.DataFrame(lista)
    X = world.feature_table(frame)
    X.insert(0, "question", frame.set_index("task_id")["question"])
    return X


X_train = rasgos(train)
y_train = pd.DataFrame({m: e.correct for m, e in med_train.items()}, index=X_train.index)
router = cascade.LearnedRouter(ladder=[PAR_DEBIL, PAR_FUERTE], min_p=0.75).fit(X_train, y_train)
X_lab = rasgos(tareas)
router.explain(X_lab.iloc[0])

# %% [markdown]
# ¿Sabe el router qué tareas necesitan el modelo fuerte? Su puntuación es 1 − P(acierta el débil):

# %%
prob = router.predict_proba(X_lab)
curvas["router aprendido"] = routing_curve(list(1 - prob[PAR_DEBIL]), debil_ok, fuerte_ok)
fig, ax = plt.subplots(figsize=(6, 4))
for nombre, curva in curvas.items():
    ax.plot(curva.shares, curva.pgrs, label=nombre)
ax.set_xlabel("cuota de llamadas al fuerte"); ax.set_ylabel("PGR"); ax.legend(fontsize=8); plt.tight_layout()
pd.DataFrame({n: {"APGR": round(c.apgr(), 3), "CPT(50 %)": c.cpt(0.5), "CPT(80 %)": c.cpt(0.8)}
              for n, c in curvas.items()}).T

# %% [markdown]
# Con estos rasgos el router queda cerca del aleatorio (un poco por encima o por debajo según la
# muestra). No es falta de ajuste: en las ~200 tareas ocultas el router entrenado con las 759 tareas
# `train` y `dev` (C elegido por validación cruzada) llega a un APGR de 0,61, y ordenar las tareas por
# su **dificultad oculta**, que ningún router puede ver, solo da 0,59. En este simulador, que un
# modelo acierte *esta* pregunta depende sobre todo de un sorteo por tarea que ningún rasgo visible
# revela; RouteLLM observó lo mismo en MMLU y GSM8K. La confianza de la propia respuesta sí lo refleja
# (la cascada llega a un APGR de 0,92), a cambio de pagar el intento barato. Mira siempre la curva
# antes de fiarte, y recuerda para qué sirve el router: decidir sin gastar un intento, y explicar
# por qué (`router.explain`).
#
# ## 5. Tu estrategia
#
# ### Ejercicio 3 (4 puntos): una estrategia mejor que cualquier modelo solo
#
# Escribe `crear_estrategia(medidas)`, que devuelve el nombre de un modelo o un middleware del hueco
# `"router"` (por ejemplo una `Cascade`, un router, o los dos). `medidas` son las mediciones de cada
# modelo de `lab3.ESCALERA` en un conjunto de **calibración**: un dict modelo → lista, por tarea, de
# `(acierto, confianza, coste)` (lo mismo que da `cascade.runs_of`). Tu función debe **calibrar** con
# ellas (no copies umbrales fijos): al corregir se ejecuta con las medidas de `train` + `dev` (759
# tareas) y la estrategia que devuelve se mide en las tareas **ocultas**, contando todas las llamadas.
# La comprobación visible la calibra con `train` y la mide en las 40 tareas `dev` del lab. Debe:
#
# - acertar al menos el **95 %** de lo que acierta el modelo más preciso de `lab3.ESCALERA`,
# - costar **como mucho la mitad** que él,
# - quedar **por encima de la frontera**: ningún modelo del catálogo (incluidos los de razonamiento
#   con `@minimal`) acierta lo mismo o más por el mismo coste o menos.
#
# Un peldaño `"gpt-5-mini@minimal"` llama a `gpt-5-mini` con `reasoning_effort="minimal"`.
# `cascade.calibrate(medidas, escalera, target_accuracy=...)` busca los umbrales más baratos que
# alcanzan una precisión en esas medidas; pide un objetivo **relativo** a lo que miden (p. ej. lo
# que acierta el mejor modelo solo), no un número fijo: las tareas ocultas son otras.

# %%
medidas = lab3_strategy.medidas_calibracion("train")   # lo que recibe la comprobación visible
{m: round(sum(ok for ok, _, _ in filas) / len(filas), 3) for m, filas in medidas.items()}

# %% nbgrader="solution" grade_id="ej3_estrategia"
def crear_estrategia(medidas):
    """Devuelve la estrategia de selección de modelo, calibrada con `medidas`."""
    ### BEGIN SOLUTION
    escalera = [DEBIL, "gpt-4.1-mini", FUERTE]
    mejor = max(sum(ok for ok, _, _ in medidas[m]) / len(medidas[m]) for m in escalera)
    umbrales = cascade.calibrate(medidas, escalera, target_accuracy=mejor, grid=10)
    return Cascade(ladder=escalera, thresholds=umbrales)
    ### END SOLUTION


estrategia = crear_estrategia(medidas)
estrategia

# %% nbgrader="tests" grade_id="ej3_estrategia_test" points=4
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej3_estrategia_test", "graders.lab3_strategy:check_estrategia_oculto",
                    crear_estrategia=crear_estrategia)
### END HIDDEN TESTS
lab3_strategy.check_estrategia(crear_estrategia)

# %% [markdown]
# ## 6. Especializado frente a general
#
# ¿Hace falta un LLM para clasificar la intención de un mensaje («reembolso», «estado_pedido»...)?
# Un clasificador pequeño (TF-IDF de palabras y de trozos de caracteres + regresión logística)
# entrenado con las ~90 tareas de intención de `train` corre en la CPU de la tienda en milisegundos,
# gratis y sin que el texto salga de casa. Un detalle cuenta mucho: los clientes añaden a menudo un
# inciso sobre otro tema («Por cierto, la otra vez: …», «Lo digo porque …»), y la etiqueta es la de
# la **primera** petición; el modelo lee solo esa parte (`cascade.main_request`). Lo comparamos con
# un LLM en las 35 tareas de intención de `dev`.

# %%
intents_train = [t for t in world.load_tasks("train").to_dict("records") if t["type"] == "intent"]
intents_lab = [t for t in world.load_tasks("dev").to_dict("records") if t["type"] == "intent"]
especializado = cascade.IntentModel().fit([t["question"] for t in intents_train],
                                          [t["answer"] for t in intents_train])
ev_general = lab3.evaluar(DEBIL, intents_lab)
pd.DataFrame(cascade.specialized.compare(
    local=cascade.specialized.Comparison(
        "clasificador local", especializado.score([t["question"] for t in intents_lab],
                                                  [t["answer"] for t in intents_lab]),
        Decimal(0), especializado.latency_ms([t["question"] for t in intents_lab])),
    general=cascade.specialized.Comparison(DEBIL, ev_general.accuracy,
                                           ev_general.cost / len(intents_lab) * 1000,
                                           ev_general.latency_ms(0.5))))

# %% [markdown]
# Con solo unas 90 etiquetas el clasificador local acierta tanto o más que `gpt-4o-mini` en `dev`
# (en las tareas ocultas, 84 % frente a 65 %), sale gratis y responde en milisegundos en vez de
# cientos. Leyendo el mensaje entero, incisos incluidos, se quedaba en un 57 %: la mejora viene de
# entender los datos, no de un modelo más grande. `especializado.middleware()` lo instala como ruta:
# las peticiones de clasificar intención se responden en local y no llegan al proveedor.
#
# ## 7. Edge frente a nube
#
# Un modelo abierto pequeño en un servidor propio (**edge**) no cobra por token: cuesta una cuota fija
# por hora de hardware, acierta menos, tiene su propia latencia, y los datos **no salen de la tienda**.
# El catálogo del simulador tiene uno, `tienda-edge-8b`: su ficha (`models.retrieve`) no trae precio
# por token sino el coste de su máquina. Al libro de precios del cliente le añadimos su entrada a
# precio cero (`cascade.edge_price`) para que el ledger registre sus llamadas como gratuitas y no como
# «precio desconocido».

# %%
cliente_edge = connect(isolated=True, prices=precios.with_price(cascade.edge_price(lab3_privacy.MODELO_LOCAL)))
ficha = cliente_edge.models.retrieve(lab3_privacy.MODELO_LOCAL).model_extra
caja = cascade.EdgeCost.from_card(ficha)   # la máquina del catálogo: coste por hora y capacidad
ev_edge = lab3.evaluar(lab3_privacy.MODELO_LOCAL, tareas, cliente=cliente_edge)
print(f"{lab3_privacy.MODELO_LOCAL}: {numbers.usd(caja.hourly)} por hora, "
      f"{numbers.count(caja.requests_per_hour)} peticiones por hora por máquina")
por_peticion = {m: mediciones[m].cost_per_task for m in [DEBIL, FUERTE]}
pd.DataFrame({"acierto": {"edge": ev_edge.accuracy, DEBIL: mediciones[DEBIL].accuracy,
                          FUERTE: mediciones[FUERTE].accuracy},
              "p50_ms": {"edge": ev_edge.latency_ms(0.5), DEBIL: mediciones[DEBIL].latency_ms(0.5),
                         FUERTE: mediciones[FUERTE].latency_ms(0.5)},
              "equilibrio (peticiones/mes)": {"edge": None,
                                              **{m: cascade.break_even(caja, cloud_per_request=c)
                                                 for m, c in por_peticion.items()}}})

# %% [markdown]
# La caja cuesta lo mismo haga 10 peticiones o un millón. Frente al modelo caro compensa a partir de
# cierto volumen mensual; frente a `gpt-4o-mini`, con peticiones tan cortas, nunca (`None`), y además
# acierta menos. Pero hay un motivo que no es de coste: la **privacidad**.
#
# ### Ejercicio 4 (2 puntos): la regla de privacidad
#
# Escribe `destino(texto, modelo)`: recibe el mensaje de un cliente y el modelo que eligió la
# estrategia, y devuelve el modelo que puede responderlo:
#
# - si el mensaje lleva **datos personales** (DNI/NIE con su letra, teléfono, correo, IBAN, tarjeta,
#   dirección postal), devuelve `lab3_privacy.MODELO_LOCAL`: nunca sale a la nube;
# - si es una **reclamación o un reembolso** y el modelo es el más débil
#   (`lab3_privacy.ESCALERA_PRIVACIDAD[0]`), devuelve el siguiente;
# - si no, devuelve `modelo`. (Mandarlo todo al local no vale: los mensajes sin datos conservan su modelo.)
#
# `cascade.personal_data(texto)` y `cascade.privacy.is_sensitive_topic(texto)` te pueden servir.

# %% nbgrader="solution" grade_id="ej4_privacidad"
def destino(texto, modelo):
    """Modelo que puede responder `texto` según las reglas de privacidad."""
    ### BEGIN SOLUTION
    if cascade.personal_data(texto):
        return lab3_privacy.MODELO_LOCAL
    escalera = lab3_privacy.ESCALERA_PRIVACIDAD
    if modelo == escalera[0] and cascade.privacy.is_sensitive_topic(texto):
        return escalera[1]
    return modelo
    ### END SOLUTION


destino("Mi DNI es 45879632Z", "gpt-4.1"), destino("¿Cuánto cuesta el envío?", "gpt-4.1-nano")

# %% nbgrader="tests" grade_id="ej4_privacidad_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej4_privacidad_test", "graders.lab3_privacy:check_destino_oculto", destino=destino)
### END HIDDEN TESTS
lab3_privacy.check_destino(destino)

# %% [markdown]
# ## 8. Un precio que cambia
#
# Los precios cambian con fecha de efecto (el `PriceBook` guarda versiones). Si `gpt-4.1` baja un 90 %
# el 1 de junio, ¿sigue siendo buena la misma cascada? `cascade.Repricing` vuelve a elegir escalera y
# umbrales cada vez que cambian los precios en vigor según el reloj, con las mediciones que ya tienes
# (los tokens de cada respuesta se vuelven a valorar con los precios nuevos: no hace falta llamar).

# %%
from datetime import datetime, timezone
from course_lib.clock import Clock

reloj = Clock(start=datetime(2026, 5, 30, tzinfo=timezone.utc).timestamp(), frozen=True)
precios_junio = precios.discounted(FUERTE, factor="0.1", effective_from="2026-06-01")
adaptable = cascade.Repricing({m: mediciones[m] for m in ["gpt-4.1-nano", DEBIL, "gpt-4.1-mini", FUERTE]},
                              [[FUERTE], [DEBIL, FUERTE], ["gpt-4.1-nano", FUERTE],
                               [DEBIL, "gpt-4.1-mini", FUERTE]],
                              target_accuracy=mediciones[FUERTE].accuracy - 0.01,
                              prices=precios_junio, clock=reloj)
antes = adaptable.current()
reloj.advance(3 * 86_400)
despues = adaptable.current()
pd.DataFrame({"30 de mayo": {"escalera": " → ".join(antes.ladder), "coste_usd": float(antes.outcome.cost)},
              "2 de junio": {"escalera": " → ".join(despues.ladder), "coste_usd": float(despues.outcome.cost)}})

# %% [markdown]
# Con el fuerte diez veces más barato, el peldaño intermedio ya no compensa: sale más barato dejar que
# el modelo más pequeño conteste lo fácil y mandar el resto directamente a `gpt-4.1`. La mejor
# estrategia depende de los precios del día; la escalera que calibraste ayer no es la de mañana.

# %% [markdown]
# ## 9. Avanzado (opcional)
#
# **Un verificador al estilo AutoMix.** En vez de la confianza, otro modelo responde lo mismo y se
# compara: si coinciden, se acepta la respuesta barata. El verificador también se paga, y la evaluación
# lo cuenta (20 tareas):

# %%
verificada = Cascade(ladder=[DEBIL, FUERTE], thresholds=[0.5],
                     scorer=cascade.Verifier(judge="gpt-4.1-nano"), name="verificada")
ev_verif = lab3.evaluar(verificada, tareas[:20])
ev_verif.summary()

# %% [markdown]
# Ideas para seguir: ¿qué estrategia cumple un presupuesto de latencia p95? ¿Cuánto ganas combinando el
# router (para mandar directamente al fuerte lo que seguro lo necesita) con la cascada?

# %% nbgrader="comprueba_todo" section="10"
lab3.comprueba_todo(globals())
