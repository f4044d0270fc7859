"""Shared pieces of the benchmark scripts: a throwaway PostgreSQL and a gunicorn portal.

Everything listens on loopback only and is stopped when the script ends.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A benchmark stopped with SIGTERM still stops its PostgreSQL and gunicorn.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = ROOT / ".venv" / "bin" / "python"


def _as_owner(command):
    # PostgreSQL refuses root; the Debian package's `postgres` user owns the cluster then.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def ensure_tool(binary, package):
    if shutil.which(binary):
        return
    print(f"Installation de {package}…", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


class Postgres:
    def __init__(self, port):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="portal-bench-pg."))
        self.data = self.dir / "data"
        self.url = f"postgres://portal@127.0.0.1:{port}/portal"

    def init(self):
        if not (PG_BIN / "initdb").exists():
            ensure_tool("/usr/lib/postgresql/15/bin/initdb", "postgresql-15")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        subprocess.run(
            _as_owner([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "portal", "--auth=trust",
                       "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        self.start()
        subprocess.run(
            _as_owner([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "portal", "portal"]),
            check=True,
        )
        return self

    def start(self):
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w",
                       "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c max_connections=200", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )

    def stop(self, mode="fast"):
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]),
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def manage(*args, env):
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True)


def portal_env(database_url, **extra):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + "x" * 50,
        "DEBUG": "",
        "PORTAL_ENV": "",
        "DB_CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **extra,
    }


def prepare_portal(env):
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("load_portal_data", env=env)


@contextlib.contextmanager
def gunicorn(env, port, workers=None, threads=None, access_log=None, access_format=None):
    """The portal under gunicorn on loopback; with ``access_log``, each request is written
    there in ``access_format`` (gunicorn's atoms, such as %(D)s, the time it spent on it).

    Its own log (at level info: a worker that restarts says so) is kept aside and, when it
    stops, what it says beyond starting and stopping is printed (see `unusual_lines`)."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "portal.wsgi:application",
               "--config", str(ROOT / "portal" / "gunicorn_conf.py"), "--bind", f"127.0.0.1:{port}",
               "--log-level", "info"]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    if access_log:
        command += ["--access-logfile", str(access_log), "--access-logformat", access_format]
    with tempfile.TemporaryFile("w+", prefix="portal-bench-gunicorn.") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", timeout=30)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.seek(0)
            lines = unusual_lines(log.read())
            if lines:
                print(f"Journal de gunicorn (port {port}), hors démarrage et arrêt :", *lines[:40], sep="\n  ")
                if len(lines) > 40:
                    print(f"  … et {len(lines) - 40} lignes de plus")


# What gunicorn logs at level info when it starts and stops as asked: anything else (a
# worker booted after the first ones, a timeout, a traceback, a portal log line) is news.
ROUTINE = ("Starting gunicorn", "Listening at:", "Using worker:", "Control socket listening",
           "Handling signal: term", "Worker exiting", "Shutting down: Master")


def unusual_lines(text):
    """The lines of a gunicorn log other than its routine start and stop. The workers booted
    before anything else was said are the first batch; one booted after (recycled, killed,
    timed out) is news, as is the line that said why."""
    news = []
    for line in text.splitlines():
        if not line.strip() or any(routine in line for routine in ROUTINE):
            continue
        if "Booting worker with pid" in line and not news:
            continue
        news.append(line)
    return news


def wait_for(url, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(urllib.error.URLError, ConnectionError, OSError):
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    sys.exit(f"{url} ne répond pas après {timeout} s")


def get(url, timeout=5):
    """Status code of a GET, 0 when the connection itself fails."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, OSError):
        return 0
