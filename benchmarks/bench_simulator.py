"""Simulator throughput and latency against a bare FastAPI endpoint, in the same run.

2,000 non-streaming chat requests with ~1,000-token prompts, sent by 8
concurrent ``openai`` SDK clients (threads), first to a minimal FastAPI app
that returns a fixed completion, then to the simulator (tokenizing, prompt
cache, quality model, pricing, SQLite ledger). Each server runs alone in its
own process under uvicorn, as ``costlab serve`` does. Prints req/s, p50 and
p99 of both and the p50 ratio; target ratio <= 2.0 (the simulator's own work
costs no more than the HTTP layer it sits on).

Run: ``python benchmarks/bench_simulator.py [--requests 2000] [--clients 8]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi import Request

FIXED = {
    "id": "chatcmpl-fixed", "object": "chat.completion", "created": 1_700_000_000, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Respuesta fija de prueba."},
                 "logprobs": None, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1000, "completion_tokens": 6, "total_tokens": 1006},
}


def baseline_app():
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def fixed(request: Request):
        await request.json()
        return FIXED

    return app


def run_server(kind: str, port_file: str) -> None:
    """Child process: serve ``kind`` ('baseline' or 'simulator') on a free port."""
    from course_lib.simulator.server import bind_socket, serve

    if kind == "baseline":
        app = baseline_app()
    else:
        from course_lib.simulator import SimulatorState, create_app
        from course_lib.usage import Ledger
        ledger = Ledger(Path(port_file).with_suffix(".sqlite"))
        app = create_app(SimulatorState(ledger=ledger))
    sock = bind_socket()
    Path(port_file).write_text(str(sock.getsockname()[1]))
    serve(app, sock=sock)


def start(kind: str, workdir: Path):
    port_file = workdir / f"{kind}.port"
    port_file.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port-file", str(port_file)])
    deadline = time.monotonic() + 60
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(f"{kind} server did not start")
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port_file.read_text()}/v1"


def prompts(n: int) -> list[list[dict]]:
    """~1,000-token Spanish prompts, all different (a shared system part, a varying question)."""
    from course_lib.tokens import count_chat_tokens

    base = " ".join(f"Política {i}: los pedidos se pueden devolver en un plazo razonable y el reembolso "
                    f"se hace con el mismo método de pago." for i in range(36))
    out = []
    for i in range(n):
        out.append([{"role": "system", "content": f"Caso {i}. " + base},
                    {"role": "user", "content": f"Pregunta número {i}: ¿cuánto tarda el reembolso?"}])
    print(f"tamaño del prompt: {count_chat_tokens(out[0], 'gpt-4o-mini')} tokens")
    return out


def drive(base_url: str, batches: list[list[list[dict]]], on_start=lambda: None) -> tuple[float, list[float]]:
    """Run the batches on concurrent SDK clients; ``on_start`` is called once all have warmed up."""
    import openai

    ready = threading.Barrier(len(batches) + 1)

    def worker(batch):
        client = openai.OpenAI(api_key="sk-bench", base_url=base_url, max_retries=0)
        client.chat.completions.create(model="gpt-4o-mini", messages=batch[0], max_tokens=60)  # warm up
        ready.wait()
        times = []
        for messages in batch[1:]:
            t0 = time.perf_counter()
            client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=60)
            times.append(time.perf_counter() - t0)
        client.close()
        return times

    with ThreadPoolExecutor(len(batches)) as pool:
        futures = [pool.submit(worker, batch) for batch in batches]
        ready.wait()
        on_start()
        start_t = time.perf_counter()
        times = [t for f in futures for t in f.result()]
        elapsed = time.perf_counter() - start_t
    return elapsed, times


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def summary(name: str, elapsed: float, times: list[float], server_cpu: float) -> float:
    q = statistics.quantiles(times, n=100)
    p50, p99 = statistics.median(times) * 1000, q[98] * 1000
    print(f"{name:>10}: {len(times) / elapsed:8.1f} pet/s   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms"
          f"   CPU del servidor {1000 * server_cpu / len(times):5.2f} ms/pet")
    return p50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="alternations between the two servers")
    parser.add_argument("--serve", choices=("baseline", "simulator"))
    parser.add_argument("--port-file")
    args = parser.parse_args()
    if args.serve:
        run_server(args.serve, args.port_file)
        return 0
    rounds = max(1, args.rounds)
    per_client = args.requests // (args.clients * rounds) + 1          # +1 warm-up call each
    all_prompts = prompts(per_client * args.clients * rounds)
    results = {kind: (0.0, [], 0.0) for kind in ("baseline", "simulator")}
    with tempfile.TemporaryDirectory() as tmp:
        servers = {kind: start(kind, Path(tmp)) for kind in results}
        try:
            # Alternate the two servers in rounds, so a change in machine load hits both alike.
            for r in range(rounds):
                chunk = all_prompts[r::rounds]
                batches = [chunk[c::args.clients] for c in range(args.clients)]
                for kind, (proc, url) in servers.items():
                    cpu0 = []
                    elapsed, times = drive(url, batches, on_start=lambda: cpu0.append(cpu_seconds(proc.pid)))
                    total, all_times, cpu = results[kind]
                    results[kind] = (total + elapsed, all_times + times, cpu + cpu_seconds(proc.pid) - cpu0[0])
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(10)
    print(f"{len(results['simulator'][1])} peticiones por servidor en {rounds} rondas alternas, "
          f"{args.clients} clientes del SDK a la vez, carga media "
          f"{os.getloadavg()[0]:.1f} en {os.cpu_count()} CPU")
    p50_base = summary("base", *results["baseline"])
    p50_sim = summary("simulador", *results["simulator"])
    ratio = p50_sim / p50_base
    print(f"ratio p50 simulador/base: {ratio:.2f} (objetivo <= 2.0) -> {'OK' if ratio <= 2.0 else 'SUPERADO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
