"""The simulator as a provider plugin of ``course_lib.client.connection.connect``.

Registered in ``pyproject.toml`` under the ``course_lib.providers`` entry point
group as ``simulator``. :func:`open_provider` starts (or finds) a simulator and
says how an ``openai.OpenAI`` client reaches it:

- shared (default): one server per machine and state folder, started on demand
  and restarted if it died (``daemon.py``); its ledger is
  ``ledger.sqlite`` in the state folder;
- isolated: a fresh in-process server on a free loopback port with its own
  prompt cache, ledger, rate limiter and clock, stopped with the client.

The handles (``client.simulator``) give the provider-side ledger, the admin key
and, when isolated, the state and the clock. Nothing here records client calls.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class OpenedProvider:
    """What ``connect()`` needs: client keyword arguments and a handle."""

    client_kwargs: dict
    handle: object
    keepalive: Callable | None = field(default=None)


class IsolatedSimulator:
    """Handle of an in-process simulator (``client.simulator`` after ``connect(isolated=True)``)."""

    isolated = True

    def __init__(self, state, server):
        self.state = state
        self.server = server

    ledger = property(lambda self: self.state.ledger, doc="The provider-side usage ledger.")
    clock = property(lambda self: self.state.clock, doc="The instance's clock (advance/set).")
    admin_key = property(lambda self: self.state.admin_key)
    base_url = property(lambda self: self.server.base_url)
    url = property(lambda self: self.server.url)

    def stop(self) -> None:
        """Shut the server down (also done when the client is garbage-collected)."""
        self.server.stop()

    def __repr__(self):
        return f"<IsolatedSimulator {self.url}>"


class SharedSimulator:
    """Handle of the machine's shared simulator (``client.simulator`` by default)."""

    isolated = False
    clock = None       # the shared server runs on real time

    def __init__(self, home: Path, info: dict):
        self.home = home
        self.info = info
        self._ledger = None

    base_url = property(lambda self: self.info["base_url"])
    url = property(lambda self: self.info["url"])

    @property
    def admin_key(self) -> str:
        from .daemon import admin_key
        return admin_key(self.home)

    @property
    def ledger(self):
        """The shared provider-side ledger (SQLite in the state folder), read from this process."""
        if self._ledger is None:
            from course_lib.usage import Ledger
            self._ledger = Ledger(self.home / "ledger.sqlite")
        return self._ledger

    def stop(self) -> bool:
        """Stop the shared server (the next ``connect()`` starts a new one)."""
        from .daemon import stop_server
        return stop_server(self.home)

    def __repr__(self):
        return f"<SharedSimulator {self.url} home={self.home}>"


def _healing_http_client(home: Path):
    """An HTTP client that restarts the shared server if it is found dead."""
    import httpx2
    import openai

    from .daemon import ensure_server

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


def open_provider(*, isolated: bool = False, home=None, realtime: bool = False, seed: int = 0,
                  clock=None, prices=None, tasks=None) -> OpenedProvider:
    """Start or find a simulator; see the module docstring."""
    if isolated:
        from . import SimulatorState, create_app
        from .server import ServerHandle

        state = SimulatorState(realtime=realtime, seed=seed, clock=clock, prices=prices, tasks=tasks)
        server = ServerHandle(create_app(state)).start()
        return OpenedProvider({"base_url": server.base_url, "admin_api_key": state.admin_key},
                              IsolatedSimulator(state, server),
                              keepalive=lambda client: weakref.finalize(client, server.stop))
    from .daemon import admin_key, ensure_server, home_dir

    home = home_dir(home)
    info = ensure_server(home, realtime=realtime)
    return OpenedProvider({"base_url": info["base_url"], "admin_api_key": admin_key(home),
                           "http_client": _healing_http_client(home)},
                          SharedSimulator(home, info))
