#!/usr/bin/env python3
"""Fault run: PostgreSQL restarted under load, then PostgreSQL down.

Prints the failed requests (during the restart window, and after PostgreSQL is back,
which must stay ≤ one per worker), the recovery time, and what visitors get while
the database is down (a French 503 page; /healthz still 200).

    .venv/bin/python bench/faults.py [--clients 8] [--workers 3]
"""

import argparse
import sys
import threading
import time
import urllib.error
import urllib.request

from harness import Postgres, get, gunicorn, portal_env, prepare_portal

PAGES = ["/metiers/", "/metiers/ingenieur-traitement-de-l-image/", "/", "/metiers/?q=image"]


def load(base, stop, results):
    """One client: requests in a loop, recording (time, status) of each."""
    index = 0
    while not stop.is_set():
        status = get(base + PAGES[index % len(PAGES)])
        results.append((time.monotonic(), status))
        index += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=18081)
    parser.add_argument("--pg-port", type=int, default=55433)
    args = parser.parse_args()

    pg = Postgres(args.pg_port).init()
    try:
        env = portal_env(pg.url)
        prepare_portal(env)
        with gunicorn(env, args.port, workers=args.workers, threads=2) as base:
            failures_after, recovery, during = restart_under_load(base, pg, args.clients)
            down_status, down_body, health_status = database_down(base, pg)
    finally:
        pg.destroy()

    limit = args.workers * 2  # one per worker thread
    print(f"Redémarrage de PostgreSQL sous charge ({args.clients} clients, {args.workers} workers × 2 threads)")
    print(f"  requêtes en échec pendant l'arrêt (base réellement absente) : {during}")
    print(f"  requêtes en échec après le retour de PostgreSQL : {failures_after} (limite : {limit})")
    print(f"  rétablissement : {recovery:.2f} s après le retour de PostgreSQL")
    print("PostgreSQL arrêté")
    print(f"  page métiers : HTTP {down_status}, page en français : {'oui' if down_body else 'non'}")
    print(f"  /healthz : HTTP {health_status}")
    ok = failures_after <= limit and recovery < 5 and down_status == 503 and down_body and health_status == 200
    print("résultat :", "conforme" if ok else "NON CONFORME")
    return 0 if ok else 1


def restart_under_load(base, pg, clients):
    stop, results = threading.Event(), []
    threads = [threading.Thread(target=load, args=(base, stop, results)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(5)
    down_at = time.monotonic()
    pg.stop("fast")
    pg.start()
    back_at = time.monotonic()
    time.sleep(10)
    stop.set()
    for thread in threads:
        thread.join()
    during = sum(1 for t, status in results if down_at <= t <= back_at and status != 200)
    after = [(t, status) for t, status in results if t > back_at]
    failures_after = [t for t, status in after if status != 200]
    recovery = (max(failures_after) - back_at) if failures_after else 0.0
    return len(failures_after), recovery, during


def database_down(base, pg):
    pg.stop("fast")
    try:
        with urllib.request.urlopen(base + "/metiers/", timeout=10) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    health = get(base + "/healthz")
    pg.start()
    return status, "Service momentanément indisponible" in body, health


if __name__ == "__main__":
    sys.exit(main())
