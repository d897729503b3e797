"""Does the course work with no network? The suite blocks every non-loopback connection."""

import socket
import subprocess
import sys

import pytest



def test_is_the_network_really_blocked_in_this_suite(network_attempts):
    before = len(network_attempts)
    with pytest.raises(OSError, match="bloquead"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
    assert len(network_attempts) == before + 1
    network_attempts.pop()


def test_does_counting_tokens_work_with_tiktokens_download_path_unreachable(tmp_path):
    # A fresh interpreter with an empty tiktoken cache and no proxy route: if anything
    # tried to download the encodings, it would fail or hang instead of printing 8.
    code = ("import socket\n"
            "def deny(*a, **k): raise OSError('network')\n"
            "socket.socket.connect = deny; socket.getaddrinfo = deny\n"
            "from course_lib.tokens import count_tokens, count_chat_tokens\n"
            "print(count_tokens('¿Cuánto cuesta el envío a Canarias?', 'gpt-4o'),"
            " count_chat_tokens([{'role': 'user', 'content': 'hola'}], 'gpt-4'))\n")
    env = {"TIKTOKEN_CACHE_DIR": str(tmp_path), "PATH": "", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["8", "9"]
    assert list(tmp_path.iterdir()) == []  # nothing cached = nothing fetched


def test_did_no_earlier_test_try_the_network(network_attempts):
    assert network_attempts == []
