"""Does the course work with no network? The suite blocks every non-loopback connection."""

import hashlib
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


DENY = ("import socket\n"
        "def deny(*a, **k): raise OSError('network')\n"
        "socket.socket.connect = deny; socket.getaddrinfo = deny\n")
EXPECTED = {"fb374d419588a4632f3f557e76b4b70aebbca790": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
            "9b5ad71b2ce5302211f9c61530b329a4922fc6a4": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"}


def _run(code, env):
    return subprocess.run([sys.executable, "-c", DENY + code], capture_output=True, text=True, env=env,
                          timeout=120)


def test_does_counting_tokens_work_with_tiktokens_download_path_unreachable(tmp_path):
    # A fresh interpreter with an empty tiktoken cache and no route out: if anything
    # tried to download the encodings, it would fail instead of printing 8.
    code = ("from course_lib.tokens import count_tokens, count_chat_tokens\n"
            "print(count_tokens('¿Cuánto cuesta el envío a Canarias?', 'gpt-4o'),"
            " count_chat_tokens([{'role': 'user', 'content': 'hola'}], 'gpt-4'))\n")
    env = {"TIKTOKEN_CACHE_DIR": str(tmp_path), "PATH": "", "HOME": str(tmp_path)}
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["8", "9"]
    # what it left is the shipped encodings, under tiktoken's own cache names and hashes
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()} == EXPECTED


def test_does_plain_tiktoken_work_offline_in_a_course_environment(tmp_path):
    """After ``import course_lib`` (any course tokenization once on the machine), a
    fresh process's own ``tiktoken.get_encoding`` loads with no network."""
    env = {"PATH": "", "HOME": str(tmp_path), "COSTLAB_HOME": str(tmp_path / "estado")}
    first = _run("import course_lib, os\n"
                 "print(os.environ['TIKTOKEN_CACHE_DIR'])\n"
                 "print(os.path.exists(os.environ['TIKTOKEN_CACHE_DIR']))\n"
                 "course_lib.count_tokens('hola')\n", env)
    assert first.returncode == 0, first.stderr
    folder, existed = first.stdout.split()
    assert folder == str(tmp_path / "estado" / "tiktoken") and existed == "False"  # import: no I/O
    plain = _run("import course_lib, tiktoken\n"
                 "print(tiktoken.get_encoding('o200k_base').encode('hola mundo'),"
                 " tiktoken.encoding_for_model('text-embedding-3-small').encode('hola mundo'))\n", env)
    assert plain.returncode == 0, plain.stderr
    from course_lib.tokens import get_encoding
    ours = [get_encoding(name).encode("hola mundo") for name in ("o200k_base", "cl100k_base")]
    assert plain.stdout.strip() == f"{ours[0]} {ours[1]}"


def test_did_no_earlier_test_try_the_network(network_attempts):
    assert network_attempts == []
