"""``connect()``: an ``openai.OpenAI`` client for the course.

Three ways, chosen by arguments or environment variables:

- **shared simulator** (default): a simulator server shared by every notebook
  of this machine, started on demand and restarted if it died (see
  ``course_lib.simulator.daemon``; state folder ``$COSTLAB_HOME`` or
  ``~/.costlab``, ledger in ``ledger.sqlite`` there);
- **isolated simulator** (``isolated=True``): a fresh in-process server on a
  free loopback port, with its own empty prompt cache, ledger, rate limiter and
  clock — what graders use so a submission scores the same whatever ran before;
- **real provider** (``COSTLAB_PROVIDER=openai`` or ``provider="openai"``):
  ``OPENAI_API_KEY`` and optional ``OPENAI_BASE_URL``, nothing simulated.

The returned client has a ``simulator`` attribute (``None`` for a real
provider) giving the ledger, admin key and — when isolated — the state and
clock. This module does not cache responses or count costs itself.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path

import openai

DEFAULT_KEY = "sk-costlab-local"
PROVIDERS = ("simulator", "openai")


class IsolatedSimulator:
    """Handle of an in-process simulator (``client.simulator`` after ``connect(isolated=True)``)."""

    def __init__(self, state, server):
        self.state = state
        self.server = server

    ledger = property(lambda self: self.state.ledger, doc="The instance's usage ledger.")
    clock = property(lambda self: self.state.clock, doc="The instance's clock (advance/set).")
    admin_key = property(lambda self: self.state.admin_key)
    base_url = property(lambda self: self.server.base_url)
    url = property(lambda self: self.server.url)
    isolated = True

    def stop(self) -> None:
        """Shut the server down (also done when the client is garbage-collected)."""
        self.server.stop()

    def __repr__(self):
        return f"<IsolatedSimulator {self.url}>"


class SharedSimulator:
    """Handle of the machine's shared simulator (``client.simulator`` by default)."""

    isolated = False

    def __init__(self, home: Path, info: dict):
        self.home = home
        self.info = info
        self._ledger = None

    base_url = property(lambda self: self.info["base_url"])
    url = property(lambda self: self.info["url"])

    @property
    def admin_key(self) -> str:
        from .simulator.daemon import admin_key
        return admin_key(self.home)

    @property
    def ledger(self):
        """The shared ledger (SQLite in the state folder), read from this process."""
        if self._ledger is None:
            from .usage import Ledger
            self._ledger = Ledger(self.home / "ledger.sqlite")
        return self._ledger

    def stop(self) -> bool:
        """Stop the shared server (the next ``connect()`` starts a new one)."""
        from .simulator.daemon import stop_server
        return stop_server(self.home)

    def __repr__(self):
        return f"<SharedSimulator {self.url} home={self.home}>"


def _healing_http_client(home: Path):
    """An HTTP client that restarts the shared server if it is found dead."""
    import httpx2

    from .simulator.daemon import ensure_server

    class Transport(httpx2.HTTPTransport):
        port = None

        def handle_request(self, request):
            if self.port is not None and request.url.port != self.port:
                request.url = request.url.copy_with(port=self.port)
            try:
                return super().handle_request(request)
            except httpx2.ConnectError:
                self.port = ensure_server(home)["port"]
                request.url = request.url.copy_with(port=self.port)
                return super().handle_request(request)

    return openai.DefaultHttpxClient(transport=Transport())


def connect(*, isolated: bool = False, provider: str | None = None, api_key: str | None = None,
            base_url: str | None = None, home: str | Path | None = None,
            realtime: bool | None = None, seed: int = 0, clock=None, prices=None, tasks=None,
            **client_kwargs) -> openai.OpenAI:
    """An ``openai.OpenAI`` client for the simulator (shared or isolated) or a real provider.

    ``client_kwargs`` go to ``openai.OpenAI`` (``max_retries``, ``timeout``…). ``seed``,
    ``clock``, ``prices`` and ``tasks`` configure an isolated instance.
    """
    provider = (provider or os.environ.get("COSTLAB_PROVIDER") or "simulator").lower()
    if provider not in PROVIDERS:
        raise ValueError(f"COSTLAB_PROVIDER debe ser uno de {PROVIDERS}, no {provider!r}.")
    if realtime is None:
        realtime = os.environ.get("COSTLAB_REALTIME", "") not in ("", "0", "false")
    if provider == "openai" and not isolated:
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            raise RuntimeError("Para usar un proveedor real define OPENAI_API_KEY (y, si hace falta, "
                               "OPENAI_BASE_URL), o quita COSTLAB_PROVIDER para usar el simulador.")
        client = openai.OpenAI(api_key=key, base_url=base_url or os.environ.get("OPENAI_BASE_URL"),
                               **client_kwargs)
        client.simulator = None
        return client
    if isolated:
        from .simulator import SimulatorState, create_app
        from .simulator.server import ServerHandle
        state = SimulatorState(realtime=realtime, seed=seed, clock=clock, prices=prices,
                               tasks=tasks)
        server = ServerHandle(create_app(state)).start()
        client = openai.OpenAI(api_key=api_key or DEFAULT_KEY, base_url=server.base_url,
                               admin_api_key=state.admin_key, **client_kwargs)
        client.simulator = IsolatedSimulator(state, server)
        weakref.finalize(client, server.stop)
        return client
    from .simulator.daemon import admin_key, ensure_server, home_dir
    home = home_dir(home)
    info = ensure_server(home, realtime=realtime)
    client_kwargs.setdefault("http_client", _healing_http_client(home))
    client = openai.OpenAI(api_key=api_key or DEFAULT_KEY, base_url=info["base_url"],
                           admin_api_key=admin_key(home), **client_kwargs)
    client.simulator = SharedSimulator(home, info)
    return client
