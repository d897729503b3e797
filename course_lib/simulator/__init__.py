"""The simulated OpenAI-compatible provider.

``create_app(state)`` builds the FastAPI app; ``SimulatorState`` holds one
instance's price book, ledger, clock, prompt cache and keys; ``Clock`` is the
controllable clock; ``APIError`` is how routes fail. Serving (uvicorn, ports,
the shared per-machine server) lives in ``server.py`` and ``daemon.py``.
"""

from course_lib.clock import Clock
from .errors import APIError
from .state import SimulatorState


def create_app(state=None):
    from .app import create_app as _create_app
    return _create_app(state)


__all__ = ["APIError", "Clock", "SimulatorState", "create_app"]
