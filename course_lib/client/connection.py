"""``connect()``: an ``openai.OpenAI`` client whose calls go through the pipeline and the ledger.

Where the calls go is chosen by arguments or environment variables:

- ``provider="simulator"`` (the default, ``COSTLAB_PROVIDER`` unset): the course's
  simulated provider, shared by every notebook of the machine, or a fresh
  private instance with ``isolated=True`` (what graders use). The simulator
  registers itself as a *provider plugin* (the ``course_lib.providers`` entry
  point group), so this library never imports it;
- ``provider="openai"``: any OpenAI-compatible server, with ``OPENAI_API_KEY``
  and an optional ``OPENAI_BASE_URL``. Nothing is simulated and the client-side
  ledger is the only record of the bill.

Every client records each call in its own ledger (``client.ledger``: in
memory for an isolated simulator, else ``app_ledger.sqlite`` in the state
folder ``$COSTLAB_HOME`` or ``~/.costlab``) through ``client.pipeline``.
"""

from __future__ import annotations

import os
import time
from importlib import metadata
from pathlib import Path

import openai

from .pipeline import Pipeline
from .recorder import Recorder
from .sdk import install

DEFAULT_KEY = "sk-costlab-local"
PROVIDER_GROUP = "course_lib.providers"
BUILTIN_PROVIDERS = ("openai",)


class ProviderNotFound(LookupError):
    """No plugin registered under the requested provider name."""


def state_dir(home: str | Path | None = None) -> Path:
    """The course's state folder: ``home``, ``$COSTLAB_HOME`` or ``~/.costlab``."""
    return Path(home or os.environ.get("COSTLAB_HOME") or Path.home() / ".costlab").expanduser()


def _plugins() -> dict:
    return {ep.name: ep for ep in metadata.entry_points(group=PROVIDER_GROUP)}


def _open_plugin(name: str, **options):
    plugins = _plugins()
    if name not in plugins:
        known = ", ".join(sorted([*plugins, *BUILTIN_PROVIDERS]))
        raise ProviderNotFound(
            f"No conozco el proveedor {name!r} (conocidos: {known}). Si falta 'simulator', instala "
            "el curso con `pip install -e .` (o `make lab`); para un proveedor real usa "
            "COSTLAB_PROVIDER=openai.")
    return plugins[name].load()(**options)


def _ledger(ledger, *, isolated: bool, home):
    from course_lib.usage import Ledger

    if isinstance(ledger, Ledger):
        return ledger
    if ledger is not None:
        return Ledger(ledger)
    return Ledger(":memory:") if isolated else Ledger(state_dir(home) / "app_ledger.sqlite")


def connect(*, provider: str | None = None, isolated: bool = False, api_key: str | None = None,
            base_url: str | None = None, ledger=None, prices=None, attribution: dict | None = None,
            home: str | Path | None = None, realtime: bool | None = None, seed: int = 0,
            clock=None, tasks=None, **client_kwargs) -> openai.OpenAI:
    """An ``openai.OpenAI`` client for the simulator (shared or isolated) or a real provider.

    ``ledger`` is a ``Ledger`` or a path; ``prices`` a ``PriceBook`` (also given to an
    isolated simulator, so both views of the bill price alike); ``attribution`` holds
    default ``team``/``feature``/``project``/``session`` for calls that do not say.
    ``seed``, ``clock``, ``realtime`` and ``tasks`` configure a simulator;
    ``client_kwargs`` go to ``openai.OpenAI`` (``max_retries``, ``timeout``…).

    The client has ``pipeline`` (add middlewares with ``client.pipeline.use``),
    ``ledger``, ``prices`` and ``simulator`` (``None`` for a real provider).
    """
    from course_lib.pricing import PriceBook

    provider = (provider or os.environ.get("COSTLAB_PROVIDER") or "simulator").lower()
    if realtime is None:
        realtime = os.environ.get("COSTLAB_REALTIME", "") not in ("", "0", "false")
    prices = prices if prices is not None else PriceBook.default()
    if isolated:
        provider = "simulator"     # graders measure on a private simulator whatever is configured
    if provider == "openai":
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            raise RuntimeError("Para usar un proveedor real define OPENAI_API_KEY (y, si hace falta, "
                               "OPENAI_BASE_URL), o quita COSTLAB_PROVIDER para usar el simulador.")
        client = openai.OpenAI(api_key=key, base_url=base_url or os.environ.get("OPENAI_BASE_URL"),
                               **client_kwargs)
        handle, clock_fn = None, time.time
    else:
        opened = _open_plugin(provider, isolated=isolated, home=home, realtime=realtime, seed=seed,
                              clock=clock, prices=prices, tasks=tasks)
        kwargs = {**opened.client_kwargs, **client_kwargs}
        if api_key:
            kwargs["api_key"] = api_key
        kwargs.setdefault("api_key", DEFAULT_KEY)
        client = openai.OpenAI(**kwargs)
        # The SDK then sends one Idempotency-Key per call, reused by its own retries, so the
        # simulator bills a call retried after a dropped connection once.
        client._idempotency_header = "Idempotency-Key"
        handle = opened.handle
        clock_fn = getattr(handle, "clock", None) or time.time
        if getattr(opened, "keepalive", None) is not None:
            opened.keepalive(client)
    recorder = Recorder(_ledger(ledger, isolated=isolated, home=home), prices=prices,
                        clock=clock_fn, api_key=client.api_key, attribution=attribution)
    install(client, Pipeline(transport=None, recorder=recorder))
    client.ledger, client.prices, client.simulator = recorder.ledger, prices, handle
    return client
