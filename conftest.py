"""Suite-wide guard (doctests included): the course must never reach the network.

Every socket connection to a non-loopback address fails with ``NetworkBlocked``
and is remembered, so a test (``test_offline.py``) can prove that nothing in the
suite tried to go online. Loopback stays open for the simulated provider.
"""

import ipaddress
import re
import socket

import pytest

ATTEMPTS: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkBlocked(OSError):
    pass


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(address):
    if isinstance(address, tuple) and not _is_local(address[0]):
        ATTEMPTS.append(str(address))
        raise NetworkBlocked(f"acceso a red bloqueado en los tests: {address}")


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_local(host):
        ATTEMPTS.append(f"dns:{host}")
        raise NetworkBlocked(f"resolución DNS bloqueada en los tests: {host}")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_configure(config):
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.getaddrinfo = _guarded_getaddrinfo


def pytest_sessionfinish(session, exitstatus):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller reports for all
        workeroutput["network_attempts"] = list(ATTEMPTS)
        return
    # A blocked attempt may have been swallowed by the code under test: fail the run anyway.
    if ATTEMPTS:
        print(f"\nERROR: el código intentó acceder a la red: {ATTEMPTS}")
        session.exitstatus = 1


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    ATTEMPTS.extend(getattr(node, "workeroutput", {}).get("network_attempts", []))


def _grading_group(item) -> str | None:
    """The lab whose one grading run (a session fixture) this test reads, if any."""
    if "tests/grading/" not in item.nodeid.replace("\\", "/"):
        return None
    lab = getattr(getattr(item, "callspec", None), "params", {}).get("lab")
    if lab and {"graded", "course", "notebooks"} & set(item.fixturenames):
        return f"grading-{lab}"
    if "graded_lab" in item.fixturenames:
        found = re.search(r"lab\d+", item.path.name)
        return f"grading-{found.group()}" if found else "grading"
    return None


def pytest_collection_modifyitems(config, items):
    # `make test` runs two pytest-xdist workers (--dist loadgroup): a lab's grading
    # tests share one grading run per worker session, so they stay on one worker.
    for item in items:
        group = _grading_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def network_attempts():
    """The list of blocked network attempts made so far in this process."""
    return ATTEMPTS
