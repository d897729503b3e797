"""The simulated models: who is smart, wordy, fast, and how big their window is.

A :class:`ModelProfile` adds to a price-snapshot entry what the simulator needs
to *behave* like that model: ``skill`` (drives the quality model), ``verbosity``
(how long its answers run), output ``speed`` and time to first token (the
latency model), whether it spends hidden reasoning tokens, and its rate limits.
Known models get hand-set profiles (relative figures in the spirit of public
benchmarks, not measurements); any other chat model in the price book gets a
profile derived from its price. Prices themselves stay in ``course_lib.pricing``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

# model: (skill, verbosity, tokens/s, ttft ms, reasoning, rpm, tpm)
# Rate limits are those of a high usage tier (OpenAI tier 5), so course notebooks do not stall;
# exercises lower them through the rate limiter's overrides.
# Skills are calibrated on the task bank so that, with the needed facts in context,
# gpt-4o-mini is right on ~69 % of tasks and gpt-4o on ~83 % (RouteLLM reports 68 % vs 81 %).
KNOWN_PROFILES: dict[str, tuple] = {
    "gpt-4o": (0.85, 1.10, 80, 450, False, 10_000, 30_000_000),
    "gpt-4o-mini": (0.66, 1.00, 85, 350, False, 30_000, 150_000_000),
    "gpt-4.1": (0.87, 1.00, 75, 450, False, 10_000, 30_000_000),
    "gpt-4.1-mini": (0.76, 0.95, 90, 350, False, 30_000, 150_000_000),
    "gpt-4.1-nano": (0.55, 0.80, 140, 250, False, 30_000, 150_000_000),
    "gpt-4-turbo": (0.80, 1.10, 35, 600, False, 10_000, 2_000_000),
    "o3": (0.96, 0.85, 60, 1_500, True, 10_000, 30_000_000),
    "o4-mini": (0.84, 0.80, 110, 900, True, 30_000, 150_000_000),
    "gpt-5": (0.98, 1.20, 55, 1_800, True, 15_000, 40_000_000),
    "gpt-5-mini": (0.82, 1.00, 80, 900, True, 30_000, 180_000_000),
    "gpt-5-nano": (0.63, 0.90, 130, 600, True, 30_000, 180_000_000),
    "claude-sonnet-4": (0.90, 1.30, 60, 900, False, 4_000, 2_000_000),
    "claude-3-5-haiku": (0.65, 0.90, 70, 600, False, 4_000, 4_000_000),
    "gemini-2.5-flash": (0.78, 1.20, 180, 500, False, 10_000, 8_000_000),
    "gemini-2.0-flash": (0.62, 1.00, 200, 350, False, 30_000, 30_000_000),
}
# Edge models: open weights on the shop's own hardware. No per-token price: a fixed hourly
# hardware cost (``hourly_usd``, paid whether it answers or not) and a capacity per box, which
# ``course_lib.cascade.EdgeCost`` turns into a monthly bill. The text never leaves the shop.
# model: (skill, verbosity, tokens/s, ttft ms, context window, USD per hour, requests per hour)
EDGE_PROFILES: dict[str, tuple] = {
    "tienda-edge-8b": (0.50, 0.90, 45, 150, 8_192, 0.35, 6_000),
}
REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")
MAX_OUTPUT_TOKENS = {"gpt-4-turbo": 4_096, "gpt-4.1": 32_768, "gpt-4.1-mini": 32_768, "gpt-4.1-nano": 32_768,
                     "o3": 100_000, "o4-mini": 100_000, "gpt-5": 128_000, "gpt-5-mini": 128_000,
                     "gpt-5-nano": 128_000, "claude-sonnet-4": 64_000, "claude-3-5-haiku": 8_192,
                     "gemini-2.5-flash": 65_536, "gemini-2.0-flash": 8_192}


@dataclass(frozen=True)
class ModelProfile:
    """How a simulated chat model behaves.

    >>> p = ModelProfile("toy", skill=0.8, verbosity=1.0, speed=100, ttft_ms=300,
    ...                  context_window=8_192)
    >>> p.reasoning, p.rpm > 0
    (False, True)
    """

    model: str
    skill: float
    verbosity: float
    speed: float            # output tokens per second
    ttft_ms: float          # time to first token for a short prompt
    context_window: int
    reasoning: bool = False
    rpm: int = 10_000
    tpm: int = 30_000_000
    provider: str = "openai"
    mode: str = "chat"
    max_output_tokens: int = 16_384
    on_premises: bool = False   # an edge model: runs in the shop, billed by the hour, not per token
    hourly_usd: float = 0.0     # edge hardware cost per hour (0 for a cloud model)
    requests_per_hour: int = 0  # what one edge box serves per hour


def edge_profile(model: str) -> ModelProfile:
    """The hand-set profile of an edge model of ``EDGE_PROFILES``.

    >>> p = edge_profile("tienda-edge-8b")
    >>> p.on_premises, p.provider, p.hourly_usd > 0, p.skill < KNOWN_PROFILES["gpt-4.1-nano"][0]
    (True, 'local', True, True)
    """
    skill, verbosity, speed, ttft, window, hourly, per_hour = EDGE_PROFILES[model]
    # Rate limits stay generous (the course's notebooks must not stall); capacity is a cost figure.
    return ModelProfile(model, skill, verbosity, speed, ttft, window, provider="local",
                        max_output_tokens=2_048, on_premises=True, hourly_usd=hourly,
                        requests_per_hour=per_hour)


def derived_profile(model: str, *, output_price: float, context_window: int,
                    provider: str = "openai") -> ModelProfile:
    """A plausible profile for a model we have no hand-set figures for.

    Dearer models are assumed smarter and slower (log scale around gpt-4o-mini).

    >>> derived_profile("x", output_price=0.60, context_window=128_000).skill
    0.66
    """
    scale = math.log10(max(output_price, 0.01) / 0.60)
    skill = round(min(1.0, max(0.45, 0.66 + 0.16 * scale)), 2)
    speed = round(max(40.0, 85.0 - 25.0 * scale))
    return ModelProfile(model, skill=skill, verbosity=1.0, speed=speed,
                        ttft_ms=round(350 + 150 * max(scale, 0.0)),
                        context_window=context_window,
                        reasoning=model.startswith(REASONING_PREFIXES), provider=provider)


class Catalog:
    """Chat-model profiles plus the names of embedding models, from a price book.

    >>> cat = Catalog([ModelProfile("m", 0.8, 1.0, 100, 300, 8192)], embedding_models=["e"])
    >>> cat.get("m").skill, "e" in cat, cat.get("e") is None
    (0.8, True, True)
    """

    def __init__(self, profiles, *, embedding_models=()):
        self._profiles = {p.model: p for p in profiles}
        self.embedding_models = list(embedding_models)

    @classmethod
    def from_prices(cls, prices) -> "Catalog":
        """Profiles for every chat model of a ``PriceBook``, plus the edge models.

        A dated snapshot of the book (``gpt-4o-2024-05-13``) behaves like its
        model and keeps its own name, so it is billed at its own price.
        """
        profiles = {}
        for model in prices.models(mode="chat"):
            price = prices.get(model)
            known = KNOWN_PROFILES.get(model)
            if known is None:
                profiles[model] = derived_profile(model, output_price=float(price.output),
                                                  context_window=int(price.context_window),
                                                  provider=price.provider)
                continue
            skill, verbosity, speed, ttft, reasoning, rpm, tpm = known
            profiles[model] = ModelProfile(model, skill, verbosity, speed, ttft,
                                           int(price.context_window), reasoning, rpm, tpm,
                                           provider=price.provider,
                                           max_output_tokens=MAX_OUTPUT_TOKENS.get(model, 16_384))
        for model in prices.models(mode="chat", snapshots=True):
            price = prices.get(model)
            base = profiles.get(price.snapshot_of or "")
            if model not in profiles and base is not None:
                profiles[model] = replace(base, model=model, context_window=int(price.context_window))
        for model in EDGE_PROFILES:   # served whether or not the book lists them (no token price)
            profiles[model] = edge_profile(model)
        return cls(profiles.values(), embedding_models=prices.models(mode="embedding"))

    def get(self, model: str) -> ModelProfile | None:
        """The chat profile of ``model`` or ``None`` (embedding and unknown models).

        Only names the price book knows are served: a made-up dated suffix is unknown.

        >>> from course_lib.pricing import PriceBook
        >>> cat = Catalog.from_prices(PriceBook.default())
        >>> cat.get("gpt-4o-2024-05-13").skill == cat.get("gpt-4o").skill, cat.get("gpt-4o-1999-99-99")
        (True, None)
        """
        return self._profiles.get(model)

    def with_profile(self, profile: ModelProfile) -> "Catalog":
        """A new catalog with one profile added or replaced."""
        profiles = dict(self._profiles)
        profiles[profile.model] = profile
        return Catalog(profiles.values(), embedding_models=self.embedding_models)

    def chat_models(self) -> list[str]:
        return sorted(self._profiles)

    def __contains__(self, model: str) -> bool:
        return self.get(model) is not None or model in self.embedding_models

    def __iter__(self):
        return iter(sorted(self._profiles.values(), key=lambda p: p.model))

    def tuned(self, model: str, **changes) -> "Catalog":
        """A new catalog where ``model``'s profile has some fields changed."""
        return self.with_profile(replace(self._profiles[model], **changes))
