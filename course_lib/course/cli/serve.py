"""``costlab serve``: run the simulated provider in the foreground.

Binds to loopback unless ``--host`` says otherwise; the ledger is in memory
unless ``--ledger`` names a SQLite file. Keys are never printed: the admin key
comes from ``--admin-key-file`` / ``COSTLAB_ADMIN_KEY`` or is the course's own
(``admin_key`` in the state folder ``$COSTLAB_HOME``, default ``~/.costlab``,
created with owner-only permissions), whose *path* is shown. It is never written
to the folder ``costlab serve`` is started from, so it cannot end up in a commit.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="arranca el proveedor simulado (API compatible con OpenAI)",
        description="Arranca el proveedor simulado compatible con la API de OpenAI. "
                    "Conéctate con openai.OpenAI(base_url='http://HOST:PUERTO/v1', api_key='sk-...').")
    parser.add_argument("--host", default="127.0.0.1",
                        help="interfaz de escucha (por defecto 127.0.0.1, solo esta máquina)")
    parser.add_argument("--port", type=int, default=8000, help="puerto (0 = uno libre; por defecto 8000)")
    parser.add_argument("--ledger", default=None,
                        help="fichero SQLite del registro de uso (por defecto, en memoria)")
    parser.add_argument("--api-key", action="append", dest="api_keys", default=None,
                        help="clave aceptada (repetible); sin ella se acepta cualquier clave 'sk-...'")
    parser.add_argument("--admin-key-file", default=None,
                        help="fichero con la clave de administración (se crea si no existe; por defecto "
                             "admin_key en la carpeta de estado $COSTLAB_HOME o ~/.costlab)")
    parser.add_argument("--realtime", action="store_true",
                        help="espera de verdad la latencia simulada de cada llamada")
    parser.add_argument("--seed", type=int, default=0, help="semilla del modelo de calidad")
    parser.set_defaults(func=run)


def _admin_key(path: str | None) -> tuple[str, Path | None]:
    env = os.environ.get("COSTLAB_ADMIN_KEY")
    if env and not path:
        return env, None
    if not path:
        from course_lib.simulator.daemon import admin_key, home_dir
        home = home_dir()
        return admin_key(home), home / "admin_key"
    file = Path(path)
    if not file.exists():
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("sk-admin-" + secrets.token_hex(16))
    return file.read_text().strip(), file


def run(args) -> int:
    from course_lib.simulator import SimulatorState, create_app
    from course_lib.simulator.server import bind_socket, serve
    from course_lib.usage import Ledger

    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"No se puede escuchar en {args.host}:{args.port} ({exc.strerror}). "
              "Prueba otro puerto con --port o --port 0.")
        return 1
    key, key_file = _admin_key(args.admin_key_file)
    state = SimulatorState(ledger=Ledger(args.ledger) if args.ledger else None, admin_key=key,
                           api_keys=args.api_keys, realtime=args.realtime, seed=args.seed)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Proveedor simulado en http://{host}:{port}/v1  (Ctrl-C para parar)", flush=True)
    if key_file is not None:
        print(f"Clave de administración guardada en {key_file}", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("Aviso: escuchando fuera de esta máquina; cualquiera en la red podrá usarlo.")
    try:
        serve(create_app(state), sock=sock)
    except KeyboardInterrupt:
        pass
    return 0
