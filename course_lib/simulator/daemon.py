"""The shared simulator of one machine, started on demand.

Every notebook kernel that calls ``connect()`` should reach the *same*
simulator (one ledger, one prompt cache). Its files live in a state folder,
``$COSTLAB_HOME`` or ``~/.costlab``:

- ``server.lock`` — a file lock: only one process at a time checks/starts;
- ``server.json`` — ``pid``, ``port`` and a random ``instance`` id of the
  running server (written atomically once it listens);
- ``ledger.sqlite`` — the usage ledger (WAL, readable from notebooks);
- ``admin_key`` — the admin key (file mode 0600), ``server.log``.

:func:`ensure_server` takes the lock, health-checks the recorded server
(``GET /health`` must answer with the same instance id) and otherwise starts
``python -m course_lib.simulator.daemon`` detached, which binds port 0 on
loopback (so two starts never clash) and then publishes its port. A dead or
hung server is replaced. This module never logs keys.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock

from .server import LOOPBACK, bind_socket, serve

START_TIMEOUT = 60.0


def home_dir(home: str | Path | None = None) -> Path:
    """The state folder (created if missing)."""
    path = Path(home or os.environ.get("COSTLAB_HOME") or Path.home() / ".costlab")
    path.mkdir(parents=True, exist_ok=True)
    return path


def admin_key(home: Path) -> str:
    """Read (or create, with mode 0600) the shared server's admin key."""
    path = home / "admin_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("sk-admin-" + secrets.token_hex(16))
    elif path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # owner only, even if someone loosened it
    return path.read_text().strip()


def read_info(home: Path) -> dict | None:
    try:
        return json.loads((home / "server.json").read_text())
    except (OSError, ValueError):
        return None


def healthy(info: dict | None, *, timeout: float = 2.0) -> bool:
    """Does the server described by ``info`` answer ``/health`` as itself?"""
    if not info:
        return False
    try:
        conn = http.client.HTTPConnection(info.get("host", LOOPBACK), int(info["port"]), timeout=timeout)
        conn.request("GET", "/health")
        resp = conn.getresponse()
        data = json.loads(resp.read() or b"{}")
        conn.close()
    except (OSError, ValueError, KeyError, http.client.HTTPException):
        return False
    return resp.status == 200 and data.get("instance") == info.get("instance")


def _is_ours(info: dict) -> bool:
    """Is ``info['pid']`` still the server we recorded (not a reused process id)?"""
    try:
        cmdline = Path(f"/proc/{int(info['pid'])}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError, KeyError):
        return False  # gone, or no /proc to be sure: never signal a stranger
    return b"course_lib.simulator.daemon" in cmdline and str(info.get("instance")).encode() in cmdline


def _kill(info: dict | None) -> None:
    """Stop a recorded server that is hung; a stale record is just dropped."""
    if info and _is_ours(info):
        try:
            os.kill(int(info["pid"]), signal.SIGTERM)
        except OSError:
            pass


def ensure_server(home: str | Path | None = None, *, realtime: bool = False) -> dict:
    """Info (``port``, ``pid``, ``url``…) of a healthy shared server, starting one if needed."""
    home = home_dir(home)
    with FileLock(str(home / "server.lock"), timeout=START_TIMEOUT + 30):
        info = read_info(home)
        if healthy(info):
            return _with_urls(info)
        _kill(info)  # hung or from an older run: it must not keep the ledger busy
        (home / "server.json").unlink(missing_ok=True)
        admin_key(home)
        instance = secrets.token_hex(8)
        cmd = [sys.executable, "-m", "course_lib.simulator.daemon", "--home", str(home),
               "--instance", instance] + (["--realtime"] if realtime else [])
        # The child must import this very course_lib, installed or not.
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)}
        with open(home / "server.log", "ab") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env,
                                    start_new_session=True, close_fds=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            info = read_info(home)
            if info and info.get("instance") == instance and healthy(info):
                return _with_urls(info)
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.kill()
        raise RuntimeError(f"No se pudo arrancar el simulador compartido; mira {home / 'server.log'}.")


def stop_server(home: str | Path | None = None) -> bool:
    """Stop the shared server if one is recorded; True if one was running."""
    home = home_dir(home)
    with FileLock(str(home / "server.lock"), timeout=START_TIMEOUT + 30):
        info = read_info(home)
        alive = healthy(info)
        _kill(info)
        (home / "server.json").unlink(missing_ok=True)
        return alive


def _with_urls(info: dict) -> dict:
    url = f"http://{info.get('host', LOOPBACK)}:{info['port']}"
    return {**info, "url": url, "base_url": url + "/v1"}


def _write_atomic(path: Path, data: dict) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    """Run the shared server in the foreground (what :func:`ensure_server` spawns)."""
    parser = argparse.ArgumentParser(prog="python -m course_lib.simulator.daemon")
    parser.add_argument("--home", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--realtime", action="store_true")
    args = parser.parse_args(argv)
    from course_lib.usage import Ledger

    from .app import create_app
    from .state import SimulatorState

    home = home_dir(args.home)
    state = SimulatorState(ledger=Ledger(home / "ledger.sqlite"), admin_key=admin_key(home),
                           realtime=args.realtime)
    state.extra["instance_id"] = args.instance
    app = create_app(state)
    sock = bind_socket(LOOPBACK, 0)
    _write_atomic(home / "server.json", {"pid": os.getpid(), "host": LOOPBACK,
                                         "port": sock.getsockname()[1], "instance": args.instance,
                                         "started": time.time()})
    serve(app, sock=sock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
