"""Serving the simulator: uvicorn on a loopback socket, in a thread or blocking.

:class:`ServerHandle` binds a socket first (port 0 lets the OS pick a free
port, so two servers never race for one) and then runs uvicorn on it in a
daemon thread; :func:`serve` runs in the foreground (``costlab serve``).
Access logs are off: paths are harmless, but nothing here ever prints headers
or keys. Which state a server runs is the caller's choice.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import uvicorn

LOOPBACK = "127.0.0.1"


def bind_socket(host: str = LOOPBACK, port: int = 0) -> socket.socket:
    """A listening TCP socket; ``port=0`` picks a free one.

    >>> sock = bind_socket()
    >>> sock.getsockname()[1] > 0
    True
    >>> sock.close()
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose
    # proto says TCP, and without it every response waits ~40 ms (Nagle + delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def warm_up() -> threading.Thread:
    """Load the tokenizers in the background, so the first request is not the slow one."""
    def load():
        from course_lib.tokens import get_encoding
        for name in ("o200k_base", "cl100k_base"):
            get_encoding(name)

    thread = threading.Thread(target=load, name="costlab-warm-up", daemon=True)
    thread.start()
    return thread


def _config(app, *, log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off",
                          timeout_keep_alive=30, server_header=False)


class ServerHandle:
    """A uvicorn server for ``app`` running in a background thread.

    >>> from course_lib.simulator import create_app, SimulatorState
    >>> server = ServerHandle(create_app(SimulatorState())).start()
    >>> server.base_url.startswith("http://127.0.0.1:"), server.running
    (True, True)
    >>> server.stop(); server.running
    False
    """

    def __init__(self, app, *, host: str = LOOPBACK, port: int = 0):
        self.app = app
        self.host = host
        self._sock = bind_socket(host, port)
        self.port = self._sock.getsockname()[1]
        self._server = uvicorn.Server(_config(app))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The URL to give ``openai.OpenAI(base_url=...)``."""
        return self.url + "/v1"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._server.started

    def start(self, *, timeout: float = 30.0) -> "ServerHandle":
        """Start serving and wait until the server accepts connections."""
        def run():
            asyncio.run(self._server.serve(sockets=[self._sock]))

        self._thread = threading.Thread(target=run, name=f"costlab-sim-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("El simulador no ha podido arrancar; revisa los mensajes anteriores.")
            time.sleep(0.01)
        return self

    def stop(self, *, timeout: float = 10.0) -> None:
        """Stop serving and release the port (idempotent)."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self.start() if self._thread is None else self

    def __exit__(self, *exc):
        self.stop()


def serve(app, *, host: str = LOOPBACK, port: int = 8000, sock: socket.socket | None = None,
          log_level: str = "warning") -> None:
    """Serve ``app`` in the foreground until interrupted (Ctrl-C)."""
    sock = sock if sock is not None else bind_socket(host, port)
    warm_up()
    uvicorn.Server(_config(app, log_level=log_level)).run(sockets=[sock])
