"""Traffic logs: what each of 12 weeks of assistant requests says, and who sends it.

Each request (timed by :mod:`.volume`) is drawn from its feature's mix of
question groups; popular groups come back as exact *repeats* (suggested-question
buttons, re-sent messages) or new *paraphrases*, and near-miss siblings are
sometimes worded exactly like an earlier sibling with only the detail changed.
On day 40 a retry loop in the campaign tool sends the same three texts 1,500
times. The last three weeks (from 9 March 2026, 00:00 UTC) are the hidden
slice, which may also use test-split tasks; public texts never equal a test
question. This module returns rows; it does not write files.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from itertools import accumulate

from .phrasing import draw_style, fill_slots, realize
from .questions import QSpec, say
from .scenario import START_DATE, TEAMS
from .tasks_calc import calc_specs
from .tasks_msgs import INTENTS, _fill, extraction_specs, intent_specs
from .tasks_multi import multistep_specs
from .volume import PUBLIC_DAYS, SPIKE_DAY, madrid_to_utc, schedule

COLUMNS = ["ts", "request_id", "user_id", "team", "feature", "text", "task_id", "group_id", "relation", "split"]

# feature: (share, profile, source weights, faq topics, p_repeat)
FEATURES = {
    "chat_web": (0.26, "consumer", {"faq": 0.78, "calc": 0.06, "multi": 0.04, "unique": 0.12}, None, 0.22),
    "asistente_app": (0.18, "consumer", {"faq": 0.82, "unique": 0.18}, None, 0.35),
    "copiloto_agentes": (0.14, "office", {"faq": 0.55, "calc": 0.12, "multi": 0.15, "unique": 0.18}, None, 0.15),
    "clasificador_tickets": (0.12, "office", {"intent": 0.65, "extract": 0.35}, None, 0.0),
    "devoluciones": (0.09, "consumer", {"faq": 0.45, "calc": 0.35, "multi": 0.2}, ("devoluciones",), 0.3),
    "seguimiento_envios": (0.08, "consumer", {"faq": 0.85, "calc": 0.05, "unique": 0.1}, ("envios",), 0.3),
    "garantias": (0.05, "consumer", {"faq": 0.75, "multi": 0.15, "calc": 0.1}, ("garantia", "productos"), 0.3),
    "facturacion": (0.05, "office", {"faq": 0.75, "calc": 0.15, "unique": 0.1}, ("pagos",), 0.3),
    "campanas_email": (0.03, "office", {"faq": 0.65, "calc": 0.25, "unique": 0.1}, ("promociones", "cuenta"), 0.3),
}
CALC_TOPICS = {"devoluciones": ("devoluciones",), "seguimiento_envios": ("envios",), "garantias": ("garantia",),
               "facturacion": ("pagos", "pedidos"), "campanas_email": ("promociones",)}
AGENT_PREFIX = ["El cliente pregunta:", "Cliente (chat):", "Sugiere una respuesta para este cliente:",
                "Consulta recibida por teléfono:", "Ayúdame a responder:"]
TEAM_OF = {f: t for t, fs in TEAMS.items() for f in fs}
UNIQUE_INTENTS = {"facturacion": ["pago", "factura", "reembolso"], "seguimiento_envios": ["estado_pedido"],
                  "campanas_email": ["cupon"], "devoluciones": ["devolucion", "reembolso"],
                  "garantias": ["garantia"]}
FRESH_PREFIX = {"calculation": "calc", "multistep": "multi", "intent": "intent", "extraction": "extract"}
EMPLOYEES = {"atencion_cliente": 34, "postventa": 14, "logistica": 10, "finanzas": 8, "marketing": 7}


class TrafficBuilder:
    """Generates rows in time order, remembering every group's earlier wordings."""

    def __init__(self, specs: list[QSpec], split_of: dict[str, str], rng: random.Random, *,
                 test_questions: set[str] = frozenset()):
        self.rng, self.split_of, self.test_questions = rng, split_of, test_questions
        self.bank_cores = {s.cores[0] for s in specs if s.type != "faq"}
        self.bank_bodies = {s.extra["body"] for s in specs if "body" in s.extra}
        self.by_key = {s.key: s for s in specs}
        self.texts: dict[tuple[str, str], list[str]] = {}     # (group, feature) -> texts in order
        self.seen: dict[str, set[str]] = {}                    # group -> every text so far
        self.family_seen: dict[str, tuple] = {}                # group -> (style, phrasing) of last family wording
        self.n_fresh = 0
        order = [s for s in specs if s.type == "faq"]
        rng.shuffle(order)
        self.faq_weight = {s.key: (2.0 if s.siblings else 1.0) / (i + 1) ** 0.55 for i, s in enumerate(order)}
        self._faq_pools: dict[tuple, tuple] = {}
        bank = [s for s in specs if s.type in ("calculation", "multistep", "intent", "extraction")]
        self.bank = {t: [s for s in bank if s.type == t] for t in ("calculation", "multistep", "intent", "extraction")}
        customers = [f"cli-{i:05d}" for i in range(1, 1401)]
        self.customers = customers
        self.customer_cw = list(accumulate(1 / (i + 1) ** 0.6 for i in range(len(customers))))
        self.staff = {team: [f"emp-{team[:3]}-{i:02d}" for i in range(1, n + 1)] for team, n in EMPLOYEES.items()}

    # -- choosing a group -------------------------------------------------
    def _allowed(self, spec: QSpec, hidden: bool) -> bool:
        return hidden or self.split_of.get(spec.key, "train") != "test"

    def _faq(self, feature: str, day: int, hidden: bool) -> QSpec:
        january = day < 27  # post-Christmas returns: the extended deadline is asked a lot
        pool = self._faq_pools.get((feature, hidden, january))
        if pool is None:
            topics = FEATURES[feature][3]
            keys = [k for k in self.faq_weight if (topics is None or self.by_key[k].topic in topics)
                    and self._allowed(self.by_key[k], hidden)]
            weights = [self.faq_weight[k] * (8.0 if k == "faq:F-DEV-003" and january else 1.0) for k in keys]
            pool = self._faq_pools[(feature, hidden, january)] = (keys, list(accumulate(weights)))
        return self.by_key[self.rng.choices(pool[0], cum_weights=pool[1])[0]]

    def _fresh(self, kind: str) -> QSpec:
        self.n_fresh += 1
        make = {"calculation": calc_specs, "multistep": multistep_specs, "intent": intent_specs,
                "extraction": extraction_specs}[kind]
        spec = make(self.rng, 1, prefix=f"x{self.n_fresh:05d}")[0]
        while spec.cores[0] in self.bank_cores or spec.extra.get("body") in self.bank_bodies:
            # a fresh question must not be a bank task in disguise
            spec = make(self.rng, 1, prefix=f"x{self.n_fresh:05d}")[0]
        spec.key = f"{FRESH_PREFIX[kind]}-x:{self.n_fresh:05d}"
        self.by_key[spec.key] = spec
        return spec

    def _banked(self, kind: str, feature: str, hidden: bool, p_bank: float) -> QSpec:
        pool = [s for s in self.bank[kind] if self._allowed(s, hidden)
                and (feature not in CALC_TOPICS or s.topic in CALC_TOPICS[feature])]
        if pool and self.rng.random() < p_bank:
            return self.rng.choices(pool, [1 / (i + 1) ** 0.5 for i in range(len(pool))])[0]
        while True:
            spec = self._fresh(kind)
            if feature not in CALC_TOPICS or spec.topic in CALC_TOPICS[feature] or kind in ("intent", "extraction"):
                return spec

    # -- wording a request ------------------------------------------------
    def _style(self, feature: str):
        style = draw_style(self.rng)
        if feature == "asistente_app" and self.rng.random() < 0.7:
            style = replace(style, length="short", opener=-1, context=-1, closer=-1)
        if feature == "copiloto_agentes":
            style = replace(style, register="formal" if style.register == "coloquial" else style.register,
                            opener=-1, context=-1, closer=-1, typos=min(style.typos, 1))
        return style

    def _unique(self, feature: str) -> tuple[str, str]:
        """A one-off message about the customer's own order (not answerable from the knowledge base)."""
        self.n_fresh += 1
        intent = self.rng.choice(UNIQUE_INTENTS.get(feature, sorted(INTENTS)))
        templates = self.rng.sample(INTENTS[intent], self.rng.randint(1, 2))
        body = " ".join(_fill(t, self.rng) for t in templates)
        return realize(body, self._style(feature)), f"u:{self.n_fresh:05d}"

    def _word(self, spec: QSpec, feature: str) -> tuple[str, str]:
        seen = self.seen.get(spec.key, set())
        same = self.texts.get((spec.key, feature), [])
        if spec.type in ("intent", "extraction"):
            return spec.cores[0], ("repeat" if seen else "original")
        if self.rng.random() < FEATURES[feature][4]:
            # A suggested-question button or a copy-pasted question: the canonical wording.
            text = fill_slots(spec.cores[0], random.Random(spec.key))
            return text, ("repeat" if text in seen else "paraphrase" if seen else "original")
        if same and self.rng.random() < 0.06:
            return self.rng.choice(same), "repeat"  # the same person sends the same message again
        mirrored = [s for s in spec.siblings if s in self.family_seen]
        if mirrored and spec.family_cores and self.rng.random() < 0.6:
            style, phrasing = self.family_seen[self.rng.choice(mirrored)]
            text = say(spec, self.rng, style=style, family_index=phrasing).text
            relation = "near_miss"
        else:
            wording = say(spec, self.rng, style=self._style(feature))
            text, relation = wording.text, ("paraphrase" if seen else "original")
            if wording.family_index >= 0:
                self.family_seen[spec.key] = (wording.style, wording.family_index)
        if feature == "copiloto_agentes":
            text = f"{self.rng.choice(AGENT_PREFIX)} {text}"
        if text in seen:
            relation = "repeat"
        return text, relation

    def request(self, feature: str, day: int, hidden: bool) -> tuple[str, str, str, str]:
        """(text, task_id, group_id, relation) for one request; public text never equals a test question."""
        while True:
            text, task, group, relation = self._request(feature, day, hidden)
            if hidden or text not in self.test_questions:
                self.remember(group, feature, text)
                return text, task, group, relation

    def _request(self, feature: str, day: int, hidden: bool) -> tuple[str, str, str, str]:
        sources = FEATURES[feature][2]
        source = self.rng.choices(list(sources), list(sources.values()))[0]
        if source == "unique":
            text, group = self._unique(feature)
            return text, "", group, "unique"
        if source == "faq":
            spec = self._faq(feature, day, hidden)
        else:
            kind = {"calc": "calculation", "multi": "multistep", "intent": "intent", "extract": "extraction"}[source]
            spec = self._banked(kind, feature, hidden, 0.5 if kind in ("calculation", "multistep") else 0.12)
        text, relation = self._word(spec, feature)
        return text, (spec.tasks[0] if spec.tasks else ""), spec.key, relation

    def remember(self, group: str, feature: str, text: str) -> None:
        self.texts.setdefault((group, feature), []).append(text)
        self.seen.setdefault(group, set()).add(text)

    def user(self, feature: str) -> str:
        if FEATURES[feature][1] == "consumer" and TEAM_OF[feature] in ("ecommerce", "postventa", "logistica"):
            if TEAM_OF[feature] == "ecommerce" or self.rng.random() < 0.8:
                return self.rng.choices(self.customers, cum_weights=self.customer_cw)[0]
        team = TEAM_OF[feature] if TEAM_OF[feature] in self.staff else "atencion_cliente"
        return self.rng.choice(self.staff[team])


def build_traffic(specs: list[QSpec], split_of: dict[str, str], rng: random.Random, *,
                  test_questions: set[str] = frozenset()) -> list[list[str]]:
    """All rows (public and hidden) in time order, with the contract's columns."""
    builder = TrafficBuilder(specs, split_of, rng, test_questions=test_questions)
    spike_texts = [builder._faq("campanas_email", SPIKE_DAY, False) for _ in range(3)]
    events = schedule(rng, {f: (share, profile) for f, (share, profile, *_rest) in FEATURES.items()})
    spike_start = madrid_to_utc(SPIKE_DAY, 10, 5, 0)
    events += [(spike_start + timedelta(seconds=6 * i + rng.randrange(5)), "campanas_email#spike", SPIKE_DAY)
               for i in range(1500)]
    start = datetime.fromisoformat(START_DATE).replace(tzinfo=timezone.utc)
    cutoff = start + timedelta(days=PUBLIC_DAYS)  # the hidden slice starts at this UTC midnight
    events = sorted((e for e in events if e[0] >= start), key=lambda e: (e[0], e[1]))
    rows = []
    for i, (ts, feature, day) in enumerate(events):
        hidden = ts >= cutoff
        if feature.endswith("#spike"):
            feature, user = "campanas_email", "svc-campanas-01"
            spec = spike_texts[i % 3]
            loop = builder.texts.get((spec.key, "#loop"))
            text = loop[0] if loop else say(spec, rng).text
            seen = builder.seen.get(spec.key, set())
            relation = "repeat" if text in seen else ("paraphrase" if seen else "original")
            builder.remember(spec.key, "#loop", text)
            task, group = (spec.tasks[0] if spec.tasks else ""), spec.key
        else:
            user = builder.user(feature)
            text, task, group, relation = builder.request(feature, day, hidden)
        rows.append([ts.strftime("%Y-%m-%dT%H:%M:%SZ"), f"req-{i + 1:06d}", user, TEAM_OF[feature], feature, text,
                     task, group, relation, "hidden" if hidden else "public"])
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[7]] = counts.get(row[7], 0) + 1
    for row in rows:
        if row[8] == "original" and counts[row[7]] == 1:
            row[8] = "unique"
    return rows
