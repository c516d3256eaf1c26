"""Latency of the needs, programme and benchmark pages against a bare Django view, at scale.

Serves samspil with gunicorn (one sync worker, pinned to CPU 0) in production mode (DEBUG=0,
a throwaway SECRET_KEY, loopback only) and drives it with ``wrk`` pinned to CPU 1, signed in
as the demo user ``demo`` through a session cookie. For each page it prints requests per
second and the 50th, 95th and 99th percentile latency, and each as a ratio to the floor: a
view that returns "ok" through the same middleware (``benchmarks/latency_urls.py``).
Target (issue 3): p95 ≤ 10 × the floor for every page. The floor's view never reads the
session, so the lazy session and user stay unread; a second bare view reads them, and the
last column gives each page's p95 against it too (for information: the verdict is the
issue's floor).

Needs a database with the demo and the national-scale data loaded first (docs/benchmarks.md):

    createdb -h 127.0.0.1 -U postgres samspil_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspil_bench
    DEBUG=1 .venv/bin/python manage.py migrate
    DEBUG=1 .venv/bin/python manage.py load_demo
    DEBUG=1 .venv/bin/python manage.py load_scale          # 800 organisations, 500,000 needs
    DEBUG=1 .venv/bin/python manage.py load_scale --pilots 50000   # + 500,000 measurements
    .venv/bin/python benchmarks/web_latency.py

Without generated pilots the programme and benchmark pages are measured on the demo's own.

Every run is bounded (``--duration`` seconds per page after a short warm-up), and the server
is stopped on exit, also on Ctrl+C or SIGTERM. Side effect: ``collectstatic`` fills
var/static (the manifest DEBUG=0 pages need). ``wrk`` is the Debian package
(``apt-get install -y wrk``).
"""

import argparse
import json
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/samspil_bench"
STARTUP_SECONDS = 60
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TARGET_RATIO = 10.0

# wrk reports its own percentiles through this script (its --latency output lacks p95).
REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.6f, "errors": %d, "p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

# Prints a session key for the user, the id of the need whose page is measured, and the
# largest programme and KPI benchmark the user may see (by pilots and KPIs).
PREPARE = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from samspil.core import permissions
from samspil.core.models import User
from samspil.needs.models import Need

user = User.objects.get(username={username!r})
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "samspil.core.auth.EmailOrUsernameBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
need = Need.objects.filter(title={need_title!r}).values_list("pk", flat=True).first()
print("SESSION", session.session_key)
print("NEED", need or "")
print("NEEDS", Need.objects.count())
definition = (
    permissions.kpi_definitions_visible_to(user)
    .annotate(kpi_count=Count("kpis")).order_by("-kpi_count", "pk").first()
)
if definition is not None:
    print("BENCHMARK", definition.get_absolute_url(), definition.kpi_count)
programme = (
    permissions.programmes_visible_to(user)
    .annotate(pilot_count=Count("pilots")).order_by("-pilot_count", "pk").first()
)
try:
    if programme is not None:
        print("PROGRAMME", reverse("pilots:programme", args=[programme.pk]), programme.pilot_count)
except NoReverseMatch:  # the programme page is not there (yet)
    pass
"""


def environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(HERE), str(ROOT / "src"), *filter(None, env.get("PYTHONPATH", "").split(":"))]
    env.update(
        PYTHONPATH=":".join(paths),
        DJANGO_SETTINGS_MODULE="latency_settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SAMSPIL_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        BEHIND_PROXY="0",
        LOG_LEVEL="WARNING",
        # Work a page may queue (e-mails, embeddings) stays in the database queue.
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pinned(cpu: int, command: list[str]) -> list[str]:
    """Run ``command`` on one CPU when taskset and that CPU exist; unpinned otherwise."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > cpu:
        return ["taskset", "-c", str(cpu), *command]
    return command


def get(url: str, cookie: str, timeout: float = 30) -> int:
    """The status of a GET; 0 when no answer came within ``timeout`` seconds."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    try:
        with OPENER.open(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except TimeoutError:
        return 0


def wait_until_ready(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            if get(url, "", timeout=5) == 200:
                return
        except (urllib.error.URLError, ConnectionError):
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


def run_wrk(url: str, cookie: str, script: Path, options: argparse.Namespace, seconds: int) -> dict:
    command = pinned(
        1,
        [
            "wrk",
            "--threads", "1",
            "--connections", str(options.connections),
            "--duration", f"{seconds}s",
            "--timeout", "10s",
            "--script", str(script),
            "--header", f"Cookie: {cookie}",
            url,
        ],
    )  # fmt: skip
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    line = next(row for row in result.stdout.splitlines() if row.startswith("{"))
    return json.loads(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per page, not counted")
    parser.add_argument("--connections", type=int, default=1, help="wrk connections")
    parser.add_argument("--user", default="demo", help="the user signed in")
    parser.add_argument(
        "--need-title",
        default="Manuell kontering av inngående fakturaer tar for mye tid",
        help="title of the need whose page (with its similar needs) is measured",
    )
    parser.add_argument("--no-collectstatic", action="store_true")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2

    env = environment(options.database_url)
    folder = Path(tempfile.mkdtemp(prefix="samspil-latency-"))
    script = folder / "report.lua"
    script.write_text(REPORT_LUA)
    running: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still runs the finally below
    try:
        if not options.no_collectstatic:
            manage(env, "collectstatic", "--no-input", "-v", "0")
        prepared = manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            PREPARE.format(username=options.user, need_title=options.need_title),
        )
        values = dict(line.split(" ", 1) for line in prepared.splitlines() if " " in line)
        cookie = f"sessionid={values['SESSION'].strip()}"
        need_id = values.get("NEED", "").strip()
        pages = [
            ("floor: bare view", "/bench/floor/"),
            ("signed-in bare view", "/bench/floor/signed-in/"),
            ("needs list (25 rows)", "/needs/"),
            ("search q=faktura, country=NO", "/needs/?q=faktura&country=NO"),
        ]
        if need_id:
            pages.append((f"need page {need_id} + similar", f"/needs/{need_id}/"))
        else:
            print(f"No need titled {options.need_title!r}: its page is skipped (load_demo?).")
        for key, label, rows in (
            ("PROGRAMME", "programme", "pilots"),
            ("BENCHMARK", "benchmark", "KPIs"),
        ):
            if key in values:
                url, count = values[key].split()
                pages.append((f"{label} ({count} {rows})", url))
            else:
                print(f"No {label} page to measure: it is skipped (load_demo?).")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = [
            sys.executable, "-m", "gunicorn", "samspil.wsgi",
            "--workers", "1", "--threads", "1", "--timeout", "120",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ]  # fmt: skip

        def start_server() -> subprocess.Popen:
            started = subprocess.Popen(  # noqa: S603
                pinned(0, server),
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            running.append(started)
            wait_until_ready(started, f"{base}/bench/floor/")
            return started

        process = start_server()
        print(
            f"gunicorn 1 sync worker on CPU 0, wrk on CPU 1, {options.connections} connection(s), "
            f"{options.duration} s per page, user {options.user!r}, "
            f"{int(values.get('NEEDS', '0'))} needs in the database"
        )
        header = f"{'page':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        print(header + f" {'p50 ×':>6} {'p95 ×':>6} {'p99 ×':>6} {'p95 × signed-in':>15}")
        floor: dict | None = None
        signed_in_p95: float | None = None
        worst = 0.0
        for name, path in pages:
            status = get(base + path, cookie)
            if status != 200:
                answer = f"answered {status}" if status else "gave no answer within 30 s"
                print(f"{name:34} skipped: GET {path} {answer}")
                if not status:  # the worker is still busy with it: give it a fresh one
                    stop(process)
                    process = start_server()
                continue
            if options.warmup:
                run_wrk(base + path, cookie, script, options, options.warmup)
            result = run_wrk(base + path, cookie, script, options, options.duration)
            if result["errors"]:
                print(f"{name:34} {result['errors']} errors (non-2xx/3xx or timeouts)")
            if not result["requests"]:
                print(f"{name:34} no request finished within {options.duration} s")
                worst = float("inf")
                continue
            rate = result["requests"] / result["seconds"]
            p50, p95, p99 = (result[k] / 1000 for k in ("p50", "p95", "p99"))
            floor = floor or {"p50": p50, "p95": p95, "p99": p99}
            ratios = (p50 / floor["p50"], p95 / floor["p95"], p99 / floor["p99"])
            if path == "/bench/floor/signed-in/":
                signed_in_p95 = p95
            elif path != "/bench/floor/":
                worst = max(worst, ratios[1])
            signed_in = f"{p95 / signed_in_p95:15.1f}" if signed_in_p95 else f"{'':15}"
            print(
                f"{name:34} {rate:8.1f} {p50:8.2f} {p95:8.2f} {p99:8.2f} "
                f"{ratios[0]:6.1f} {ratios[1]:6.1f} {ratios[2]:6.1f} {signed_in}"
            )
        if floor and worst:
            verdict = "meets" if worst <= TARGET_RATIO else "misses"
            print(f"worst p95 ratio {worst:.1f} × floor: {verdict} the target ≤ {TARGET_RATIO:g} ×")
        if process.poll() is not None:
            print("the server died during the run", file=sys.stderr)
            return 1
        return 0
    finally:
        for process in running:
            stop(process)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
