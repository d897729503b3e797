"""Does the cache key change exactly when the answer could change?"""

import pytest

from course_lib.cache import cache_key

BASE = {"model": "gpt-4o-mini", "temperature": 0,
        "messages": [{"role": "system", "content": "Eres el asistente de Mercadela."},
                     {"role": "user", "content": "¿Envían a Canarias?"}]}

CHANGES_ANSWER = {
    "model": {"model": "gpt-4o"},
    "temperature": {"temperature": 0.7},
    "top_p": {"top_p": 0.5},
    "max_tokens": {"max_tokens": 20},
    "seed": {"seed": 7},
    "stop": {"stop": ["\n"]},
    "n": {"n": 3},
    "reasoning_effort": {"reasoning_effort": "high"},
    "response_format": {"response_format": {"type": "json_object"}},
    "tools": {"tools": [{"type": "function", "function": {"name": "estado_pedido"}}]},
    "logprobs": {"logprobs": True},
    "system prompt": {"messages": [{"role": "system", "content": "Eres breve."},
                                   BASE["messages"][1]]},
    "name": {"messages": [BASE["messages"][0], {**BASE["messages"][1], "name": "ana"}]},
    "history": {"messages": [BASE["messages"][0], {"role": "user", "content": "Hola"},
                             {"role": "assistant", "content": "¡Hola!"}, BASE["messages"][1]]},
    "tool call": {"messages": [*BASE["messages"], {"role": "assistant", "content": None,
                  "tool_calls": [{"id": "c1", "type": "function",
                                  "function": {"name": "f", "arguments": "{}"}}]}]},
    "question case": {"messages": [BASE["messages"][0], {"role": "user", "content": "¿envían a canarias?"}]},
    "unknown parameter": {"frobnicate": 1},
}

KEEPS_ANSWER = {
    "user": {"user": "cli-00042"},
    "metadata": {"metadata": {"team": "ecommerce", "feature": "chat_web"}},
    "stream": {"stream": True, "stream_options": {"include_usage": True}},
    "dict order": {"messages": [{"content": m["content"], "role": m["role"]} for m in BASE["messages"]]},
    "default top_p": {"top_p": 1},
    "default n": {"n": 1},
    "int or float temperature": {"temperature": 0.0},
    "max_completion_tokens alias": None,
    "timeout": {"timeout": 30},
    "cache controls": {"extra_body": {"cache": {"ttl": 60}}},
    "text part list": {"messages": [BASE["messages"][0], {"role": "user", "content": [
        {"type": "text", "text": "¿Envían a Canarias?"}]}]},
}


@pytest.mark.parametrize("what", sorted(CHANGES_ANSWER))
def test_does_a_parameter_that_changes_the_answer_change_the_key(what):
    assert cache_key({**BASE, **CHANGES_ANSWER[what]}) != cache_key(BASE)


@pytest.mark.parametrize("what", sorted(KEEPS_ANSWER))
def test_does_a_parameter_that_keeps_the_answer_keep_the_key(what):
    if what == "max_completion_tokens alias":
        assert cache_key({**BASE, "max_tokens": 50}) == cache_key({**BASE, "max_completion_tokens": 50})
        return
    assert cache_key({**BASE, **KEEPS_ANSWER[what]}) == cache_key(BASE)


def test_does_a_new_prompt_version_turn_every_key_over():
    assert cache_key(BASE, version="v2") != cache_key(BASE, version="v1")
    with pytest.raises(ValueError, match="versión"):
        cache_key(BASE, version="a:b")


def test_is_the_key_stable_across_processes():
    """A sha256 of canonical JSON, not Python's randomized hash()."""
    import subprocess
    import sys

    code = ("from course_lib.cache import cache_key; print(cache_key({'model': 'm', 'temperature': 0,"
            " 'messages': [{'role': 'user', 'content': 'hola'}]}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == cache_key({"model": "m", "temperature": 0,
                                            "messages": [{"role": "user", "content": "hola"}]})
