"""gunicorn settings for `make serve`, each overridable from the environment."""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two cores: 2 × cores + 1 processes, each with a few threads for requests that wait on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so that a slow leak can never grow unbounded; not too
# often, as a new worker starts with an empty per-process page cache (at 2 000 cached
# pages a second, 5 000 requests recycled every worker every few seconds).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27 opens a control socket by default (~/.gunicorn/gunicorn.ctl), through which
# workers can be added, removed or killed. The portal is run by signals (HUP, TERM) and needs
# none; and two servers started by one user, as `bench/run` starts them, would take each
# other's socket. GUNICORN_CONTROL_SOCKET=1 opens it (`--control-socket PATH` to place it).
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "0") != "1"
# gunicorn's largest request line (its default is 4 094 bytes): a shared selection's
# address names up to 60 fiches by slug (see selection.views.MAX_SHARE_LENGTH).
limit_request_line = 8190


def post_worker_init(worker):
    """Once the application is loaded, its objects (modules, URL patterns, templates) stay
    for the life of the worker: moved out of the garbage collector's sight, they are no
    longer walked by each full collection, which otherwise paused a request now and then."""
    gc.collect()
    gc.freeze()
