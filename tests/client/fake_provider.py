"""A minimal OpenAI-compatible server that is not the course simulator (tests only).

It answers ``/v1/chat/completions`` (plain and streamed, with the usage chunk only
when ``stream_options.include_usage`` asks for it, as OpenAI does) and
``/v1/embeddings`` with fixed token counts, so a test can check the client-side
ledger against a hand-computed bill. It keeps the request bodies it received.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROMPT_TOKENS, COMPLETION_TOKENS, CACHED_TOKENS = 1200, 40, 1024
MODEL_SNAPSHOT = "gpt-4o-mini-2024-07-18"


def _usage() -> dict:
    return {"prompt_tokens": PROMPT_TOKENS, "completion_tokens": COMPLETION_TOKENS,
            "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS,
            "prompt_tokens_details": {"cached_tokens": CACHED_TOKENS}}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _send_json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])) or b"{}")
        self.server.bodies.append(body)
        if self.path == "/v1/embeddings":
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            return self._send_json(200, {
                "object": "list", "model": body["model"],
                "data": [{"object": "embedding", "index": i, "embedding": [0.1, 0.2]}
                         for i in range(len(inputs))],
                "usage": {"prompt_tokens": 7 * len(inputs), "total_tokens": 7 * len(inputs)}})
        if self.path != "/v1/chat/completions":
            return self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
        if body.get("model") == "fails":
            return self._send_json(400, {"error": {"message": "bad model", "type": "invalid_request_error",
                                                   "param": "model", "code": None}})
        model = MODEL_SNAPSHOT if body.get("model") == "gpt-4o-mini" else body.get("model")
        base = {"id": "chatcmpl-fake1", "created": 1, "model": model}
        if not body.get("stream"):
            return self._send_json(200, {**base, "object": "chat.completion", "usage": _usage(), "choices": [
                {"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": "Hola, soy un proveedor real."}}]})
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        chunk = {**base, "object": "chat.completion.chunk"}
        events = [{**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": w},
                                         "finish_reason": None}]} for w in ("Hola", ", ", "mundo")]
        events.append({**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            events = [{**e, "usage": None} for e in events]
            events.append({**chunk, "choices": [], "usage": _usage()})
        for event in events:
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


class FakeProvider:
    """``with FakeProvider() as p:`` serves on a free loopback port; ``p.base_url`` ends in ``/v1``."""

    def __enter__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.bodies = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        return self

    @property
    def bodies(self) -> list[dict]:
        return self.server.bodies

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
