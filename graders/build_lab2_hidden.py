"""Build ``graders/hidden/lab2_key_pairs.json`` (the hidden battery for lab 2's cache key)
and ``lab2_cases.json`` (seeds of the hidden exact-cache scenarios), plus the stored encoder
vectors of the hidden replay slices (``lab2_vectors_hidden.npz``) and of the public texts the
lesson embeds (``graders/lab2_vectors_public.npz``, not hidden: it only saves encoder time).

Each case is a pair of chat requests and whether they must share a cache key
(``same``), with the reason shown in the hint (``por``). The requests are built
from Mercadela questions other than the visible check's, varying one thing at
a time: what changes the answer must change the key, what does not must not.
Deterministic; run ``python -m graders.build_lab2_hidden`` after changing it.
"""

from __future__ import annotations

import copy
import json

from graders import HIDDEN_DIR

QUESTIONS = ["¿Puedo pagar con Bizum un pedido de 1.200 €?",
             "¿Cuánto cuesta la recogida a domicilio de una devolución?",
             "¿Qué garantía tienen los productos reacondicionados?"]
SYSTEM = "Eres el asistente de Mercadela. Responde en dos frases."


def base(question: str, model: str) -> dict:
    return {"model": model, "temperature": 0, "max_tokens": 120,
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]}


def variants(req: dict) -> list[tuple[dict, bool, str]]:
    out = []

    def changed(por, same, **params):
        other = copy.deepcopy(req)
        other.update(params)
        out.append((other, same, por))

    msgs = req["messages"]
    changed("el modelo", False, model="gpt-4.1-mini" if req["model"] != "gpt-4.1-mini" else "gpt-4o")
    changed("la temperatura", False, temperature=0.9)
    changed("top_p", False, top_p=0.3)
    changed("max_tokens", False, max_tokens=30)
    changed("seed", False, seed=1234)
    changed("stop", False, stop=["."])
    changed("n", False, n=2)
    changed("reasoning_effort", False, reasoning_effort="low")
    changed("response_format", False, response_format={"type": "json_object"})
    changed("las herramientas", False, tools=[{"type": "function", "function": {
        "name": "buscar_pedido", "parameters": {"type": "object", "properties": {}}}}])
    changed("logprobs", False, logprobs=True, top_logprobs=3)
    changed("el prompt de sistema", False,
            messages=[{"role": "system", "content": SYSTEM + " Tutea al cliente."}, msgs[1]])
    changed("el historial", False, messages=[msgs[0], {"role": "user", "content": "Hola"},
                                              {"role": "assistant", "content": "¡Hola! ¿En qué te ayudo?"},
                                              msgs[1]])
    changed("el nombre del participante", False, messages=[msgs[0], {**msgs[1], "name": "cliente_vip"}])
    changed("la pregunta", False, messages=[msgs[0], {"role": "user", "content": msgs[1]["content"] + " Gracias."}])
    changed("el usuario", True, user="cli-77120")
    changed("los metadatos de atribución", True, metadata={"team": "postventa", "feature": "garantias"})
    changed("stream", True, stream=True, stream_options={"include_usage": True})
    changed("el orden de las claves", True,
            messages=[{"content": m["content"], "role": m["role"]} for m in msgs])
    reordered = {k: req[k] for k in reversed(list(req))}
    out.append((reordered, True, "el orden de los parámetros"))
    changed("el tiempo de espera", True, timeout=20)
    return out


def build() -> list[dict]:
    cases = []
    for i, question in enumerate(QUESTIONS):
        req = base(question, ["gpt-4o-mini", "gpt-4.1-mini", "gpt-5-mini"][i])
        for other, same, por in variants(req):
            cases.append({"a": req, "b": other, "same": same, "por": por})
    return cases


CASES = {"exact_seeds": [20260309, 20260316, 20260323]}


def main() -> None:
    path = HIDDEN_DIR / "lab2_key_pairs.json"
    path.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    cases = HIDDEN_DIR / "lab2_cases.json"
    cases.write_text(json.dumps(CASES, indent=1) + "\n", encoding="utf-8")
    print(f"escrito {path} y {cases}")
    write_vectors()
    write_public_vectors()


def public_texts() -> list[str]:
    """Every text the lesson and the visible checks embed: dev pairs and the public replay slices."""
    from course_lib.course import world
    from graders import lab2_pipeline, lab2_replay, lab2_semantic

    pairs = world.load_pairs()
    pairs = pairs[pairs.split == "dev"]
    week = lab2_replay.slice_rows(hidden=False, days=7)
    texts = (set(pairs.q1) | set(pairs.q2) | set(week[week.feature == lab2_pipeline.FEATURE].text)
             | set(lab2_replay.slice_rows(hidden=False, days=lab2_semantic.PUBLIC_DAYS).text)
             | set(lab2_pipeline.slice_rows(hidden=False).text))
    return sorted(texts)


def write_public_vectors() -> None:
    """Vectors of the public texts the lesson uses (float16, next to the graders; not hidden)."""
    import numpy as np

    from course_lib.encoder import default_encoder
    from graders import lab2_replay

    texts = public_texts()
    vectors = np.asarray(default_encoder().encode(texts), dtype=np.float16)
    path = lab2_replay.public_vectors_path()
    with open(path, "wb") as out:
        np.savez_compressed(out, texts=np.array(texts), vectors=vectors)
    print(f"escrito {path} ({len(texts)} textos)")


def write_vectors() -> None:
    """Vectors of the hidden replay slice (float16), so grading does not wait for the encoder."""
    import numpy as np

    from course_lib.encoder import default_encoder
    from graders import lab2_replay, lab2_semantic

    rows = lab2_replay.slice_rows(hidden=True, days=lab2_semantic.HIDDEN_DAYS)
    from graders import lab2_pipeline

    texts = sorted(set(rows.text) | set(lab2_pipeline.slice_rows(hidden=True).text))
    vectors = np.asarray(default_encoder().encode(texts), dtype=np.float16)
    path = HIDDEN_DIR / lab2_replay.VECTORS_FILE
    with open(path, "wb") as out:
        np.savez_compressed(out, texts=np.array(texts), vectors=vectors)
    print(f"escrito {path} ({len(texts)} textos)")


if __name__ == "__main__":
    main()
