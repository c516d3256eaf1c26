"""gunicorn and granian side by side, serving samspil in production mode, in one run.

Run by hand (``make bench``, or ``PYTHONPATH=src .venv/bin/python benchmarks/servers.py``).
Each server gets the same number of worker processes on a free loopback port, a fresh SQLite
database (migrated, with some organisations), DEBUG=0 and a throwaway SECRET_KEY; then a
fixed number of GETs of /organisations/ from a small thread pool, after a short warm-up.
Prints requests per second for each and the ratio between them. granian is skipped with a
message when it is not installed (``pip install granian``). The client runs on the same
machine as the servers, so the figures compare the two; they are not capacity numbers.

Side effect: ``collectstatic`` fills var/static (the manifest that DEBUG=0 pages need).
"""

import argparse
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATH = "/organisations/"
STARTUP_SECONDS = 30
REQUEST_TIMEOUT = 10
# Loopback only, and never through an HTTP proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

SEED = """
from samspil.core.models import Organisation
Organisation.objects.bulk_create(
    Organisation(name=f"Kommune {i:03d}", slug=f"kommune-{i:03d}", kind="municipality",
                 country=("DK", "NO", "SE")[i % 3], currency=("DKK", "NOK", "SEK")[i % 3])
    for i in range({count})
)
"""


def environment(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    paths = [str(ROOT / "src"), *filter(None, os.environ.get("PYTHONPATH", "").split(":"))]
    env.update(
        PYTHONPATH=":".join(paths),
        DJANGO_SETTINGS_MODULE="samspil.settings",
        DEBUG="0",
        SAMSPIL_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SQLITE_PATH=str(database),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Both get the same processes and the same Python threads per process (1: gunicorn's
# plain sync worker; more: its gthread worker), so the comparison is like for like.
def gunicorn(port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "samspil.wsgi",
        "--workers", str(workers), "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip


def granian(port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads),
        "--log-level", "warning", "--no-access-log", "samspil.wsgi:application",
    ]  # fmt: skip


SERVERS = {"gunicorn": gunicorn, "granian": granian}


def get(url: str) -> int:
    # The proxy in front says the request came over HTTPS (else: a redirect to https://).
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    with OPENER.open(request, timeout=REQUEST_TIMEOUT) as response:
        response.read()
        return response.status


def wait_until_ready(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            if get(url) == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {STARTUP_SECONDS} s")


def stop(process: subprocess.Popen) -> None:
    """Stop the server we started and its workers (its own process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def measure(url: str, requests: int, threads: int) -> float:
    """Requests per second for ``requests`` GETs; every answer must be 200."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(get, [url] * min(20, requests)))  # warm-up: imports, templates
        started = time.perf_counter()
        statuses = list(pool.map(get, [url] * requests))
        elapsed = time.perf_counter() - started
    failures = [status for status in statuses if status != 200]
    if failures:
        raise RuntimeError(f"{len(failures)} answers were not 200: {sorted(set(failures))}")
    return requests / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 2))
    parser.add_argument("--server-threads", type=int, default=1, help="per worker process")
    parser.add_argument("--organisations", type=int, default=40)
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="samspil-bench-"))
    env = environment(folder / "bench.sqlite3")
    running: list[subprocess.Popen] = []
    # A SIGTERM (e.g. from make) still runs the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        seed = SEED.replace("{count}", str(options.organisations))
        manage(env, "shell", "--no-imports", "-c", seed)
        print(
            f"GET {PATH} x {options.requests}, {options.threads} client threads, "
            f"{options.workers} server workers x {options.server_threads} thread(s), "
            f"{options.organisations} organisations"
        )
        results: dict[str, float] = {}
        for name, command_for in SERVERS.items():
            if importlib.util.find_spec(name) is None:
                print(f"{name:9} skipped: not installed (pip install {name})")
                continue
            port = free_port()
            url = f"http://127.0.0.1:{port}{PATH}"
            process = subprocess.Popen(  # noqa: S603
                command_for(port, options.workers, options.server_threads),
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            running.append(process)
            try:
                wait_until_ready(process, url)
                results[name] = measure(url, options.requests, options.threads)
            finally:
                stop(process)
            print(f"{name:9} {results[name]:8.1f} requests/s")
        if len(results) == 2:
            ratio = results["granian"] / results["gunicorn"]
            print(f"granian / gunicorn = {ratio:.2f} (same run, same workers, same machine)")
        return 0
    finally:
        for process in running:
            stop(process)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
