"""``wushe serve``: granian on WUSHE_BIND with WUSHE_WORKERS, tried for real in a subprocess."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.core.management.base import CommandError
from django.urls import Resolver404, resolve

from wushe.core.management.commands.serve import (
    granian_argv,
    parse_bind,
    server_settings,
    url_of,
)


def test_it_reads_host_and_port_from_the_bind_address():
    assert parse_bind("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_bind("0.0.0.0:80") == ("0.0.0.0", 80)
    assert parse_bind("[::1]:8443") == ("::1", 8443)


@pytest.mark.parametrize("bind", ["8000", "localhost", "127.0.0.1:", ":8000", "h:0", "h:70000"])
def test_it_refuses_a_bind_address_without_host_and_port(bind):
    with pytest.raises(CommandError, match="HOST:PORT"):
        parse_bind(bind)


def test_it_takes_bind_and_workers_from_the_environment(monkeypatch):
    monkeypatch.delenv("WUSHE_BIND", raising=False)
    monkeypatch.delenv("WUSHE_WORKERS", raising=False)
    assert server_settings() == ("127.0.0.1", 8000, 2)
    monkeypatch.setenv("WUSHE_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("WUSHE_WORKERS", "4")
    assert server_settings() == ("0.0.0.0", 9000, 4)
    assert server_settings("127.0.0.1:1234", 1) == ("127.0.0.1", 1234, 1)


@pytest.mark.parametrize("workers", ["two", "0"])
def test_it_refuses_a_bad_worker_count(monkeypatch, workers):
    monkeypatch.setenv("WUSHE_WORKERS", workers)
    with pytest.raises(CommandError, match="WUSHE_WORKERS"):
        server_settings()


def test_it_runs_granian_with_the_wsgi_application():
    argv = granian_argv("127.0.0.1", 8000, 2)
    assert argv[:3] == [sys.executable, "-m", "granian"]
    assert argv[argv.index("--interface") + 1] == "wsgi"
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[-1] == "wushe.wsgi:application"
    assert url_of("::1", 8000) == "http://[::1]:8000"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            return conn.getresponse().status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _login_page_exists() -> bool:
    try:
        resolve("/login/")
    except Resolver404:
        return False
    return True


def test_wushe_serve_answers_the_login_page(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "WUSHE_DATA_DIR": str(tmp_path),
        "WUSHE_WORKERS": "1",
    }
    wushe = [sys.executable, "-m", "wushe"]
    subprocess.run([*wushe, "migrate", "--verbosity", "0"], env=env, check=True, timeout=120)
    port = _free_port()
    env["WUSHE_BIND"] = f"127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*wushe, "serve"], env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        status = _get(port, "/login/")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    output = log.read_text()
    assert f"serving http://127.0.0.1:{port}" in output
    assert "granian" in output.lower()
    assert status == 200 if _login_page_exists() else status < 500, output
