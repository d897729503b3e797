"""Lab 2, exercise 6: the learner's whole cache in the client pipeline, on a traffic replay.

``instalar_cache(cliente, embed)`` puts the learner's cache(s) in ``cliente.pipeline``;
``embed(texts)`` is the local encoder with the replay's vectors already computed
(``graders.lab2_replay.vectors_for``), so grading does not wait for the encoder.
The check replays the first ``ROWS`` requests of the in-app assistant
(public traffic for the visible check, hidden for the hidden one) twice on fresh isolated simulators: once without a cache (the
baseline bill) and once with it, the clock moving 60 s between requests. A hit
is a call that did not reach the provider; it is right when its text is the
baseline answer of an earlier request with the same meaning
(``graders.lab2_replay.Judge``).

The visible check runs in the learner's kernel: the bill is the client-side
ledger and a grader middleware, outermost in the ``"cache"`` slot, sees each
call's answer and whether any provider attempt was made. The hidden one,
``check_cache_en_pipeline_oculto(worker)``, runs in the grader process
(``graders.kernel_sim``): the simulator runs in the grader; the kernel gets a
client of it (with a ``simulator.clock`` the grader moves, see
:func:`with_clock`) and a table ``embed`` of the slice's vectors, the learner
installs the cache there, and the grader sends each hidden request through
that client. Hits and the bill are read on the provider's side, so what counts
is what reached the provider. Gates, measured on the reference solution
(exact + semantic cache, ``DetailGuard(swaps=True)``, 0.90, the stored
local-encoder vectors): the bill falls 8,5 % on the hidden replay (exact cache
alone: 7,5 %) and 13,6 % on the public one, with no false hit. Gates: a saving
of at least ``SAVING_GATE`` (6 %) and false hits ≤ ``FALSE_CEILING`` (2 %) of
hits. The public baseline (no cache) is run once per process; the hidden one
on every check.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from course_lib.numbers import pct, usd
from graders import call, fail
from graders import lab2_replay as replay
from graders.lab2_semantic import FALSE_CEILING

EJ6 = "Ejercicio 6 (la caché en el pipeline)"
ROWS = {"public": 60, "hidden": 100}
FEATURE = "asistente_app"
SAVING_GATE = 0.06
CLOCK_START, STEP_S = 1_773_100_000.0, 60
CALL_HINT = "prueba instalar_cache(cliente, embed) con una pregunta y mira cliente.ledger.dataframe()"


def system_prompt() -> str:
    """The assistant's short instructions (the replay measures the response cache, not prompt caching)."""
    return replay.SYSTEM


def slice_rows(*, hidden: bool) -> pd.DataFrame:
    from course_lib.course import world

    traffic = world.load_traffic(include_hidden=hidden)
    rows = traffic[(traffic.split == ("hidden" if hidden else "public")) & (traffic.feature == FEATURE)]
    rows = rows.sort_values("ts", kind="stable")
    if not hidden:                         # the last weeks of the public log: a warm, busy period
        rows = rows[rows.ts >= rows.ts.max() - pd.Timedelta(days=14)]
    return rows.head(ROWS["hidden" if hidden else "public"]).reset_index(drop=True)


def request_for(row, system: str) -> dict:
    params = {"model": replay.MODEL, "temperature": 0, "max_tokens": 200,
              "messages": [{"role": "system", "content": system},
                           {"role": "user", "content": row.text}],
              "user": row.user_id, "metadata": {"team": row.team, "feature": row.feature}}
    if isinstance(row.task_id, str) and row.task_id:
        params["metadata"]["task_id"] = row.task_id
    return params


class Watcher:
    """Outermost middleware: the answer of each call and whether it reached the provider."""

    name = "corrector_lab2"

    def __init__(self):
        self.seen: list[tuple[str, bool]] = []

    def __call__(self, call_, call_next):
        response = call_next(call_)
        if call_.endpoint == "chat.completions":
            text = response.choices[0].message.content if getattr(response, "choices", None) else ""
            self.seen.append((text or "", not call_.attempts))
        return response


def _run(rows, installer, exercise, embed=None):
    from course_lib import connect
    from course_lib.clock import Clock

    client = connect(isolated=True, clock=Clock(start=CLOCK_START, frozen=True), max_retries=0)
    try:
        watcher = Watcher()
        client.pipeline.use(watcher, slot="cache", name=watcher.name)
        system = system_prompt()
        if installer is not None:
            call(exercise, installer, client, embed)
        for row in rows.itertuples():
            try:
                client.chat.completions.create(**request_for(row, system))
            except AssertionError:
                raise
            except Exception as exc:
                fail(exercise, f"una llamada falló con tu caché instalada: {type(exc).__name__}: {exc}", CALL_HINT)
            client.simulator.clock.advance(STEP_S)
        bill = sum((r.cost for r in client.ledger.records()), Decimal(0))
        return bill, watcher.seen
    finally:
        client.simulator.stop()


class SimulatorView:
    """What the learner's code finds in ``cliente.simulator`` when the simulator runs in the
    grader: its clock (a ``course_lib.clock.Clock`` kept in the kernel, moved by the grader)."""

    def __init__(self, clock):
        self.clock = clock


def with_clock(client, clock):
    """The kernel's client of the grader's simulator, with ``client.simulator.clock`` = ``clock``."""
    client.simulator = SimulatorView(clock)
    return client


def _chat_calls(sim) -> int:
    from graders.kernel_sim import provider_records

    return sum(r.endpoint == "chat.completions" for r in provider_records(sim))


def _text(response) -> str:
    try:
        text = response["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return ""
    return text if type(text) is str else ""


def _run_remote(worker, rows, exercise):
    """The learner's cache in a kernel-side client of a simulator run here; bill and hits read here."""
    from course_lib.clock import Clock
    from graders.kernel_sim import grader_simulator, kernel_client, provider_cost
    from graders import on_kernel

    texts = sorted(set(rows.text))
    vectors = replay.vectors_for(rows, hidden=True)(texts)
    with grader_simulator(clock=Clock(start=CLOCK_START, frozen=True)) as sim:
        clock = worker.keep("course_lib.clock:Clock", start=CLOCK_START, frozen=True)
        client = worker.keep("graders.lab2_pipeline:with_clock", kernel_client(worker, sim), clock)
        embed = worker.keep("graders.lab2_replay:table_embed", texts, vectors)
        on_kernel(exercise, worker.keep, "instalar_cache", client, embed)
        system = system_prompt()
        seen = []
        for row in rows.itertuples():
            before = _chat_calls(sim)
            response = on_kernel(exercise, worker.method, client, "chat.completions.create",
                                 **request_for(row, system), what="una llamada con tu caché instalada",
                                 hint=CALL_HINT)
            seen.append((_text(response), _chat_calls(sim) == before))
            sim.simulator.clock.advance(STEP_S)
            worker.method(clock, "advance", STEP_S)
        return provider_cost(sim), seen


_BASELINES: dict = {}


def baseline(rows, *, hidden: bool):
    """The bill and answers of ``rows`` without a cache (the public one is remembered per process)."""
    if hidden:
        return _run(rows, None, EJ6)
    if "public" not in _BASELINES:
        _BASELINES["public"] = _run(rows, None, EJ6)
    return _BASELINES["public"]


def measure(installer, *, hidden: bool, exercise: str = EJ6, worker=None) -> dict:
    """Replay with the learner's cache: ``installer`` in this process, or (hidden check) ``worker``."""
    rows = slice_rows(hidden=hidden)
    judge = replay.Judge(rows)
    base_bill, base_seen = baseline(rows, hidden=hidden)
    if worker is not None:
        bill, seen = _run_remote(worker, rows, exercise)
    else:
        bill, seen = _run(rows, installer, exercise, replay.vectors_for(rows, hidden=hidden))
    by_text: dict[str, list[int]] = {}
    for i, (text, _) in enumerate(base_seen):
        by_text.setdefault(text, []).append(i)
    hits = right = 0
    for i, (text, was_hit) in enumerate(seen):
        if not was_hit:
            continue
        hits += 1
        if any(j < i and judge.right(i, j) for j in by_text.get(text, [])):
            right += 1
    saving = float(1 - bill / base_bill) if base_bill else 0.0
    return {"peticiones": len(rows), "factura_sin_cache": base_bill, "factura_con_cache": bill,
            "ahorro": saving, "aciertos": hits, "falsos": hits - right,
            "tasa_falsos": (hits - right) / hits if hits else 0.0}


def _check(installer, *, hidden: bool, exercise: str, worker=None) -> dict:
    r = measure(installer, hidden=hidden, exercise=exercise, worker=worker)
    if r["tasa_falsos"] > FALSE_CEILING:
        fail(exercise, f"el {pct(r['tasa_falsos'], decimals=1)} de los aciertos de tu caché sirven la respuesta de otra "
             f"pregunta (máximo {pct(FALSE_CEILING, decimals=0)})",
             "usa en el pipeline el umbral y las guardas que validaste en el ejercicio 3")
    if r["ahorro"] < SAVING_GATE:
        fail(exercise, f"la factura baja un {pct(r['ahorro'], decimals=0)} ({usd(r['factura_sin_cache'], decimals=6)} → "
             f"{usd(r['factura_con_cache'], decimals=6)}); se pide al menos un {pct(SAVING_GATE, decimals=0)}",
             "instala la caché exacta y la semántica con install_cache(cliente, exact=..., semantic=...) "
             "y recuerda que solo se guardan las respuestas con temperature=0")
    return r


def check_cache_en_pipeline(installer) -> None:
    r = _check(installer, hidden=False, exercise=EJ6)
    print(f"✔ Ejercicio 6: la factura baja un {pct(r['ahorro'], decimals=0)} con {pct(r['tasa_falsos'], decimals=1)} de aciertos falsos.")


def check_cache_en_pipeline_oculto(worker) -> None:
    """Hidden check (grader): 100 hidden requests through the learner's cache in a kernel-side client."""
    from graders.lab2 import HIDDEN

    _check(None, hidden=True, exercise=EJ6 + HIDDEN, worker=worker)
