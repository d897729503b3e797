"""The cost report: one self-contained HTML file a manager can open offline.

:func:`write_report` reads any ledger (or list of records) and writes a page
with the key metrics and figures — cost over time by team, top users and
features, model mix, cache hit rate, budget burn-down, the month's forecast
with its band and the anomalies found. Figures are matplotlib PNGs embedded
as ``data:`` URIs and the styles are inline: no CDN, no script, no network.
Sections without enough data (a forecast needs 16 days, anomalies 5 weeks)
say so instead of drawing an empty chart.

>>> import tempfile, pathlib
>>> from course_lib.usage import CallRecord
>>> recs = [CallRecord(model="gpt-4o", input_tokens=900, output_tokens=100, cost="0.4", team="a",
...                    user="u", feature="f", ts=1_773_014_400.0 + 3600 * i) for i in range(30)]
>>> out = write_report(recs, pathlib.Path(tempfile.mkdtemp()) / "informe.html")
>>> html = out.read_text(encoding="utf-8")
>>> html.count("<img"), "http" in html.replace("http-equiv", "")
(3, False)
"""

from __future__ import annotations

import base64
import html
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd

from course_lib import numbers

from .alerts import percent, usd
from .attribution import cost_table, frame, key_metrics, records_of
from .periods import period_bounds, zone

STYLE = """body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;
color:#1f2933;padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.kpis{display:flex;flex-wrap:wrap;gap:1rem}.kpi{background:#f4f6f8;border-radius:8px;padding:.8rem 1rem;min-width:9rem}
.kpi b{display:block;font-size:1.3rem}figure{margin:1rem 0}img{max-width:100%;height:auto}
table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left}
.nota{color:#616e7c;font-style:italic}"""


def _png(fig) -> str:
    import matplotlib.pyplot as plt
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(fig, caption: str) -> str:
    return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{_png(fig)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _plt():
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    return plt


def _money_axis(ax):
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f} $".replace(",", "."))


def _over_time(recs, tz) -> str:
    plt = _plt()
    daily = cost_table(recs, by="team", freq="D", tz=tz)
    fig, ax = plt.subplots(figsize=(10, 3.6))
    ax.stackplot(daily.index, daily.T.to_numpy(), labels=daily.columns, alpha=0.85)
    ax.set_title("Coste diario por equipo (USD)")
    ax.legend(loc="upper left", fontsize=8, ncol=3)
    _money_axis(ax)
    fig.autofmt_xdate()
    return _figure(fig, "Coste diario por equipo")


def _tops(recs) -> str:
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, by, title in ((axes[0], "user", "Usuarios que más gastan"), (axes[1], "feature", "Funcionalidades")):
        totals = cost_table(recs, by=by, freq="100000D").sum().head(10)[::-1]
        ax.barh([str(k) or "(sin dato)" for k in totals.index], totals.to_numpy(), color="#3e7cb1")
        ax.set_title(title + " (USD)")
    fig.tight_layout()
    return _figure(fig, "Top usuarios y funcionalidades")


def _models_and_cache(recs, tz, metrics) -> str:
    plt = _plt()
    data = frame(recs)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    by_model = data.groupby("model")["cost"].sum().sort_values()
    axes[0].barh(by_model.index, by_model.to_numpy(), color="#81a4cd")
    axes[0].set_title("Coste por modelo (USD)")
    data["time"] = data["time"].dt.tz_convert(tz)
    calls = data.groupby(pd.Grouper(key="time", freq="D")).agg(hits=("response_cache_hit", "sum"),
                                                                 rows=("call_id", "nunique"))
    rate = (calls["hits"] / calls["rows"].where(calls["rows"] > 0)).fillna(0) * 100
    axes[1].plot(rate.index, rate.to_numpy(), color="#2a9d8f")
    axes[1].set_ylim(0, 100)
    axes[1].set_title(f"Tasa de aciertos de caché por día (%) — total {numbers.pct(metrics['cache_hit_rate'], decimals=0)}")
    fig.autofmt_xdate()
    return _figure(fig, "Mezcla de modelos y tasa de aciertos de caché")


def _burn_down(recs, budgets, now) -> str:
    plt = _plt()
    parts = []
    for b in budgets:
        start, end = period_bounds(now, b.period, b.tz)
        mine = [r for r in recs if start <= r.ts < min(end, now + 1) and b.applies(r.__dict__)]
        fig, ax = plt.subplots(figsize=(10, 3))
        if mine:
            ts = pd.to_datetime([r.ts for r in mine], unit="s", utc=True).tz_convert(zone(b.tz))
            spent = pd.Series([float(r.cost) for r in mine], index=ts).cumsum()
            ax.step(spent.index, spent.to_numpy(), where="post", label="gastado")
        for share in b.thresholds:
            ax.axhline(float(b.threshold_amount(share)), ls="--", lw=1, color="#c0392b" if share >= 1 else "#e9a23b",
                       label=f"umbral {percent(share)}")
        ax.set_xlim(pd.Timestamp(start, unit="s", tz="UTC").tz_convert(zone(b.tz)),
                    pd.Timestamp(end, unit="s", tz="UTC").tz_convert(zone(b.tz)))
        ax.set_title(f"Consumo del presupuesto «{b.name}» ({b.describe()})")
        ax.legend(fontsize=8)
        _money_axis(ax)
        fig.autofmt_xdate()
        parts.append(_figure(fig, f"Consumo del presupuesto {b.name}"))
    return "".join(parts)


def _forecast(recs, tz, now) -> str:
    from .forecast import forecast_daily
    plt = _plt()
    daily = cost_table(recs, by="team", freq="D", tz=tz).sum(axis=1)
    daily = daily[daily.index < pd.Timestamp(now, unit="s", tz="UTC").tz_convert(tz).normalize()]
    if len(daily) < 16:
        return '<p class="nota">La previsión necesita al menos 16 días completos de historia.</p>'
    local_now = pd.Timestamp(now, unit="s", tz="UTC").tz_convert(tz)
    month_end = (local_now.normalize().replace(day=1) + pd.offsets.MonthBegin(1))
    horizon = max(int((month_end - daily.index[-1]).days) - 1, 1)
    f = forecast_daily(daily, horizon=horizon)
    month_start = local_now.normalize().replace(day=1)
    mean, low, high = f.total(since=month_start)
    fig, ax = plt.subplots(figsize=(10, 3.4))
    ax.plot(daily.index, daily.to_numpy(), label="real")
    ax.plot(f.mean.index, f.mean.to_numpy(), label="previsión")
    ax.fill_between(f.mean.index, f.lower.to_numpy(), f.upper.to_numpy(), alpha=0.25,
                    label=f"intervalo {numbers.pct(f.level, decimals=0)}")
    ax.set_title("Coste diario y previsión hasta fin de mes (USD)")
    ax.legend(fontsize=8)
    _money_axis(ax)
    fig.autofmt_xdate()
    text = (f"<p>Previsión del mes: <b>{usd(Decimal(str(round(mean, 2))))}</b> (intervalo del {numbers.pct(f.level, decimals=0)}: "
            f"{usd(Decimal(str(round(low, 2))))} – {usd(Decimal(str(round(high, 2))))}).</p>")
    return _figure(fig, "Previsión de gasto con su banda") + text


def _anomalies(recs, tz) -> str:
    from .anomaly import AnomalyDetector
    plt = _plt()
    hourly = cost_table(recs, by="feature", freq="h", tz=tz)
    if len(hourly) < 24 * 7 * 5:
        return '<p class="nota">La detección de anomalías necesita al menos 5 semanas de coste por hora.</p>'
    found = AnomalyDetector().fit(hourly).detect(hourly)
    fig, ax = plt.subplots(figsize=(10, 3.2))
    total = hourly.sum(axis=1)
    ax.plot(total.index, total.to_numpy(), lw=0.6, color="#52606d")
    for a in found:
        ax.axvspan(a.start, a.end, color="#c0392b", alpha=0.3)
    ax.set_title(f"Coste por hora y anomalías detectadas ({len(found)})")
    _money_axis(ax)
    fig.autofmt_xdate()
    rows = "".join(f"<tr><td>{html.escape(a.feature)}</td><td>{a.start:%d/%m/%Y %H:%M}</td><td>{a.hours} h</td>"
                   f"<td>{usd(Decimal(str(round(a.cost, 2))))}</td><td>{usd(Decimal(str(round(a.expected, 2))))}</td></tr>"
                   for a in found[:20])
    table = ("<table><tr><th>funcionalidad</th><th>inicio</th><th>duración</th><th>coste</th><th>esperado</th></tr>"
             f"{rows}</table>") if found else "<p>No se ha detectado ninguna anomalía.</p>"
    return _figure(fig, "Coste por hora con las anomalías marcadas") + table


def write_report(source, path, *, budgets=(), tz: str = "Europe/Madrid", now: float | None = None,
                 title: str = "Informe de costes de LLM") -> Path:
    """Write the HTML report of ``source`` (a ``Ledger`` or records) to ``path``; return the path."""
    recs = records_of(source)
    zone(tz)
    path = Path(path)
    if not recs:
        raise ValueError("El registro está vacío: no hay llamadas con las que hacer un informe.")
    now = now if now is not None else max(r.ts for r in recs)
    m = key_metrics(recs)
    kpis = [("Gasto total", usd(m["total_cost"])), ("Consultas", f"{m['queries']:,}".replace(",", ".")),
            ("Coste por consulta", numbers.usd(m['cost_per_query'], decimals=4)),
            ("Coste por 1.000 tokens", numbers.usd(m['cost_per_token'] * 1000, decimals=4)),
            ("Aciertos de caché", numbers.pct(m['cache_hit_rate']))]
    body = [f"<h1>{html.escape(title)}</h1>",
            '<div class="kpis">' + "".join(f'<div class="kpi">{html.escape(k)}<b>{html.escape(v)}</b></div>'
                                         for k, v in kpis) + "</div>"]
    if m["unpriced"]:
        body.append(f'<p class="nota">Modelos sin precio (su coste no está incluido): '
                    f'{html.escape(", ".join(m["unpriced"]))}.</p>')
    body += ["<h2>Coste en el tiempo</h2>", _over_time(recs, tz),
             "<h2>Quién gasta</h2>", _tops(recs),
             "<h2>Modelos y caché</h2>", _models_and_cache(recs, tz, m)]
    if budgets:
        body += ["<h2>Presupuestos</h2>", _burn_down(recs, budgets, now)]
    body += ["<h2>Previsión</h2>", _forecast(recs, tz, now), "<h2>Anomalías</h2>", _anomalies(recs, tz)]
    page = ('<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
            "style-src 'unsafe-inline'\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>{''.join(body)}"
            f'<p class="nota">Generado con course_lib.budgets; zona horaria {html.escape(tz)}.</p></body></html>')
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path
