"""The measured figures of the data card (``data/README.md``), recomputed from the files.

``python -m worldgen.stats`` prints the Markdown block that the data
card holds between ``<!-- stats:begin -->`` and ``<!-- stats:end -->`` (``--write``
rewrites it in place); a test checks that the card and the files agree. Tokens are counted with ``o200k_base``.
This module reads the world through :mod:`course_lib.course.world`; it writes only the card.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from course_lib import paths
from course_lib.course import world
from course_lib.tokens import count_tokens

BEGIN, END = "<!-- stats:begin -->", "<!-- stats:end -->"


def _table(df: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, df.columns)) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(map(str, r)) + " |" for r in df.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def _pct(series: pd.Series) -> pd.Series:
    return (100 * series / series.sum()).round(1).astype(str) + " %"


def kb_table(docs: pd.DataFrame, facts: pd.DataFrame) -> str:
    docs = docs.assign(tokens=docs["text"].map(count_tokens))
    per = docs.groupby("category").agg(documentos=("doc_id", "count"), tokens=("tokens", "sum")).reset_index()
    per["hechos"] = per["category"].map(facts.merge(docs[["doc_id", "category"]]).groupby("category").size())
    per = per.fillna(0).astype({"hechos": int})
    total = pd.DataFrame([{"category": "**total**", "documentos": len(docs), "tokens": int(docs["tokens"].sum()),
                           "hechos": len(facts)}])
    return _table(pd.concat([per, total]).rename(columns={"category": "categoría"}))


def task_table(tasks: pd.DataFrame) -> str:
    counts = tasks.pivot_table(index="type", columns="split", values="task_id", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=["train", "dev", "test"], fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts["dificultad media"] = tasks.groupby("type")["difficulty"].mean().round(2)
    counts.loc["**total**"] = [*counts[["train", "dev", "test", "total"]].sum(), round(tasks["difficulty"].mean(), 2)]
    counts = counts.astype({c: int for c in ["train", "dev", "test", "total"]})
    return _table(counts.reset_index().rename(columns={"type": "tipo"}))


def traffic_tables(traffic: pd.DataFrame) -> str:
    days = traffic["ts"].dt.strftime("%Y-%m-%d")
    summary = traffic.assign(day=days).groupby("split").agg(
        peticiones=("request_id", "count"), días=("day", "nunique"), usuarios=("user_id", "nunique"),
        equipos=("team", "nunique"), funcionalidades=("feature", "nunique"),
        con_tarea=("task_id", lambda s: int((s != "").sum())), desde=("day", "min"), hasta=("day", "max"))
    rel = traffic.pivot_table(index="relation", columns="split", values="request_id", aggfunc="count", fill_value=0)
    rel = rel.reindex(list(world.RELATIONS)).fillna(0).astype(int)
    for col in list(rel.columns):
        rel[f"% {col}"] = _pct(rel[col])
    feat = traffic[traffic["split"] == "public"].groupby(["team", "feature"]).size().rename("peticiones")
    feat = feat.reset_index()
    weekday = traffic[traffic["split"] == "public"].assign(d=days).groupby("d").size()
    weekday.index = pd.to_datetime(weekday.index).day_of_week
    by_wd = weekday.groupby(level=0).median().round(0).astype(int)
    names = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
    wd = pd.DataFrame({"día": names, "peticiones por día (mediana)": by_wd.reindex(range(7)).tolist()})
    daily = traffic.assign(d=days).groupby("d").size()
    spike = pd.DataFrame({"día": daily.nlargest(2).index, "peticiones": daily.nlargest(2).values,
                          "mediana diaria": int(daily.median())})
    public_daily = daily[daily.index < traffic.loc[traffic["split"] == "hidden", "ts"].min().strftime("%Y-%m-%d")]
    growth = pd.DataFrame([{"primeras 2 semanas (mediana diaria)": int(public_daily.iloc[:14].median()),
                            "últimas 2 semanas públicas (mediana diaria)": int(public_daily.iloc[-14:].median())}])
    return "\n\n".join([
        "Resumen por parte (días en UTC):", _table(summary.reset_index()),
        "Relación de cada petición con las anteriores:", _table(rel.reset_index()),
        "Peticiones públicas por equipo y funcionalidad:", _table(feat),
        "Estacionalidad semanal (tráfico público):", _table(wd),
        "Crecimiento:", _table(growth),
        "Los dos días con más peticiones (las dos anomalías):", _table(spike)])


def pairs_table(pairs: pd.DataFrame) -> str:
    counts = pairs.pivot_table(index="label", columns="split", values="pair_id", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=["train", "dev", "test"], fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts.loc["**total**"] = counts.sum()
    return _table(counts.astype(int).reset_index().rename(columns={"label": "etiqueta"}))


def _short(text: str, n: int = 150) -> str:
    text = " ".join(str(text).split()).replace("|", "/")
    return text if len(text) <= n else text[: n - 1] + "…"


def examples_tables(tasks: pd.DataFrame, traffic: pd.DataFrame) -> str:
    """One public task per type and one near-miss from the public traffic next to its look-alike."""
    public = tasks[tasks["split"] == "train"].sort_values("task_id")
    rows = [{"tipo": t, "pregunta": _short(g.iloc[0]["question"]), "respuesta": g.iloc[0]["answer"],
             "dificultad": g.iloc[0]["difficulty"]} for t, g in public.groupby("type")]
    log = traffic[traffic["split"] == "public"]
    near = log[(log["relation"] == "near_miss") & log["text"].str.contains("Canarias", regex=False)]
    first_seen = {t: i for i, t in reversed(list(enumerate(log["text"])))}
    position = {t: i for i, t in enumerate(log["text"])}
    pairs = [(t, t.replace("Canarias", "Madrid")) for t in near["text"]
             if first_seen.get(t.replace("Canarias", "Madrid"), len(log)) < position[t]]
    lines = [_table(pd.DataFrame(rows))]
    if pairs:
        first, twin = pairs[0]
        groups = log.drop_duplicates("text").set_index("text")["group_id"]
        lines.append(_table(pd.DataFrame([
            {"texto": _short(twin), "group_id": groups[twin], "relation": "(anterior)"},
            {"texto": _short(first), "group_id": groups[first], "relation": "near_miss"}])))
    return "\n\n".join(lines)


def stats_markdown() -> str:
    """The whole measured block (needs the hidden files: run it where graders/hidden exists)."""
    docs, facts = world.load_documents(), world.load_facts()
    tasks = world.load_tasks(include_hidden=True)
    traffic = world.load_traffic(include_hidden=True)
    parts = [BEGIN, "", "### Base de conocimiento (tokens `o200k_base`)", "", kb_table(docs, facts), "",
             "### Banco de tareas", "", task_table(tasks), "",
             "### Tráfico", "", traffic_tables(traffic), "",
             "### Pares etiquetados", "", pairs_table(world.load_pairs(include_hidden=True)), "",
             "### Ejemplos", "", examples_tables(tasks, traffic), "", END]
    return "\n".join(parts)


def card_block(card_text: str) -> str:
    """The measured block currently written in the data card."""
    start, end = card_text.index(BEGIN), card_text.index(END) + len(END)
    return card_text[start:end]


def update_card(card: Path | None = None) -> bool:
    """Rewrite the measured block of the data card in place; True if it changed."""
    card = card or paths.DATA_DIR / "README.md"
    text = card.read_text(encoding="utf-8")
    new = text.replace(card_block(text), stats_markdown())
    if new != text:
        card.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        print("ficha actualizada" if update_card() else "la ficha ya estaba al día")
    else:
        sys.stdout.write(stats_markdown() + "\n")
