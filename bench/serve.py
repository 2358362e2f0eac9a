"""Requests per second of the login page under granian (``wushe serve``) and gunicorn.

    python bench/serve.py [--seconds 5] [--rounds 3] [--clients 2] [--threads 8] [--path /login/]

Both servers run the same WSGI application with the same number of worker processes against a
freshly migrated SQLite file, on 127.0.0.1 only. The load generator is bounded: a fixed number
of client processes and threads, for a fixed time, each thread sending one request after
another on a kept-alive connection (reconnecting when the server closes it, as gunicorn's sync
workers do after every response). gunicorn is only needed here (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import ThreadPoolExecutor as Threads
from pathlib import Path

WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, path: str, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            return status
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not answer within {timeout:.0f} s")


def _one_thread(port: int, path: str, until: float) -> tuple[int, int]:
    done = failed = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < until:
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status >= 500:
                failed += 1
            else:
                done += 1
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        except (OSError, http.client.HTTPException):
            failed += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()
    return done, failed


def _one_process(port: int, path: str, threads: int, until: float) -> tuple[int, int]:
    with Threads(threads) as pool:
        results = list(pool.map(lambda _: _one_thread(port, path, until), range(threads)))
    return sum(r[0] for r in results), sum(r[1] for r in results)


def _round(pool, clients: int, port: int, path: str, threads: int, until: float) -> list:
    futures = [pool.submit(_one_process, port, path, threads, until) for _ in range(clients)]
    return [future.result() for future in futures]


def hammer(port: int, path: str, *, seconds: float, clients: int, threads: int) -> tuple:
    """(requests/s, answered, failed) over ``seconds``, after a one-second warm-up round that
    also starts the client processes."""
    with ProcessPoolExecutor(clients) as pool:
        _round(pool, clients, port, path, threads, time.monotonic() + 1)
        started = time.monotonic()
        results = _round(pool, clients, port, path, threads, started + seconds)
        elapsed = time.monotonic() - started
    done, failed = sum(r[0] for r in results), sum(r[1] for r in results)
    return done / elapsed, done, failed


def server_command(name: str, port: int) -> list[str]:
    if name == "granian":
        wushe = Path(sys.executable).with_name("wushe")
        return [str(wushe), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "wushe.wsgi:application",
    ]


def start(name: str, env: dict, path: str) -> tuple[subprocess.Popen, int, int]:
    """Start a server; return it, its port and the status of the page."""
    port = free_port()
    server = subprocess.Popen(
        server_command(name, port),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return server, port, wait_ready(port, path)


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def compare(env: dict, args) -> None:
    """Both servers up at once, measured in alternation, so background load on the machine
    falls on both alike; the median round of each is compared."""
    servers = {}
    try:
        for name in ("granian", "gunicorn"):
            servers[name] = start(name, env, args.path)
        rates: dict[str, list[float]] = {name: [] for name in servers}
        for round_no in range(1, args.rounds + 1):
            for name, (_server, port, status) in servers.items():
                rate, done, failed = hammer(
                    port,
                    args.path,
                    seconds=args.seconds,
                    clients=args.clients,
                    threads=args.threads,
                )
                rates[name].append(rate)
                print(
                    f"  round {round_no} {name:<9} {rate:7.0f} requests/s  ({done} answered, "
                    f"{failed} failed, GET {args.path} -> {status})"
                )
    finally:
        for server, _port, _status in servers.values():
            stop(server)
    medians = {name: statistics.median(values) for name, values in rates.items()}
    for name, rate in medians.items():
        print(f"{name:<9} {rate:7.0f} requests/s (median of {args.rounds}, {WORKERS} workers)")
    print(f"ratio granian / gunicorn: {medians['granian'] / medians['gunicorn']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=2, help="load-generating processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per client process")
    parser.add_argument("--path", default="/login/")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per server")
    args = parser.parse_args()
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        raise SystemExit("gunicorn is not installed here: pip install -e '.[test]'")
    workdir = Path(tempfile.mkdtemp(prefix="wushe-bench-serve-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "WUSHE_DATA_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "wushe.settings",
    }
    try:
        wushe = str(Path(sys.executable).with_name("wushe"))
        subprocess.run([wushe, "migrate", "--verbosity", "0"], env=env, check=True)
        print(
            f"load: {args.clients} processes x {args.threads} threads for {args.seconds:.0f} s "
            f"on 127.0.0.1, {os.cpu_count()} CPU cores shared with the server"
        )
        compare(env, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
