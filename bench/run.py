#!/usr/bin/env python3
"""Side-by-side cost of every public page at the default scale and at 10× the catalogue.

Starts a throwaway PostgreSQL and gunicorn on loopback, builds the fictitious
catalogue, and prints for each page: requests per second (wrk), p50/p95/p99 latency,
SQL queries, response size (raw and compressed), and the ratio to /healthz, with
caching on and off; then the search plan (EXPLAIN) and the transfer sizes of a
first and a repeat visit of the listing.

    bench/run [--seconds 8] [--connections 16] [--scales 1,10]
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

from harness import PYTHON, ROOT, Postgres, ensure_tool, gunicorn, manage, portal_env

PROBE = r"""
import json, sys, gzip
from urllib.parse import quote_plus
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from metiers.models import Metier
from formations.models import Formation

metier = Metier.objects.published().filter(sources__code="catalogue-synthetique").order_by("pk")[7]
formation = Formation.objects.filter(metiers=metier).order_by("pk").first()
rare = metier.titre
pages = {
    "/healthz": "/healthz",
    "accueil": "/",
    "liste, 2 filtres": "/metiers/?niveau=bac-5&secteur=energie",
    "recherche mot courant": "/metiers/?q=ingenieur",
    "recherche mot rare": "/metiers/?q=" + quote_plus(rare),
    "fiche": metier.get_absolute_url(),
    "formation": formation.get_absolute_url(),
    "liste, page 50": "/metiers/?page=50",
}
client = Client(HTTP_HOST="127.0.0.1")
result = {}
for name, url in pages.items():
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    body = response.content
    result[name] = {"url": url, "status": response.status_code, "queries": len(queries),
                    "bytes": len(body), "gzip": len(gzip.compress(body))}
plan = ""
if connection.vendor == "postgresql":
    qs = Metier.objects.published().search("ingenieur image")
    plan = qs.explain()
print(json.dumps({"pages": result, "plan": plan}))
"""

WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"rps\\": %f, \\"p50\\": %f, \\"p95\\": %f, \\"p99\\": %f, \\"errors\\": %d}\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def probe(env):
    """SQL queries and sizes of each page, uncached: what a page costs when it is rendered."""
    output = subprocess.run([str(PYTHON), "manage.py", "shell", "-c", PROBE], cwd=ROOT, env={**env, "PAGE_CACHE": "0"},
                            capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def wrk(url, seconds, connections, script):
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", script, url],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(re.search(r"^JSON (.*)$", output, re.M).group(1))


def transfer_sizes(base, listing):
    """Bytes on the wire for a first visit (HTML + CSS + JS) and a repeat visit (HTML only)."""
    import gzip
    import urllib.request

    request = urllib.request.Request(base + listing, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        raw = response.read()
        html = gzip.decompress(raw).decode() if response.headers.get("Content-Encoding") == "gzip" else raw.decode()
        html_wire = len(raw) if response.headers.get("Content-Encoding") == "gzip" else len(gzip.compress(raw))
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    total = html_wire
    for asset in assets:
        request = urllib.request.Request(base + asset, headers={"Accept-Encoding": "br, gzip"})
        with urllib.request.urlopen(request) as response:
            total += len(response.read())
            cache_control = response.headers.get("Cache-Control", "")
    return total, html_wire, len(assets), cache_control if assets else ""


def measure(base, pages, seconds, connections, script):
    rows = {}
    for name, info in pages.items():
        rows[name] = wrk(base + info["url"], seconds, connections, script)
    return rows


def print_table(title, pages, runs, healthz_key="/healthz"):
    print(f"\n## {title}")
    print(f"{'page':<24}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'SQL':>5}{'octets':>9}{'gzip':>8}"
          f"{'/healthz':>10}{'err':>5}")
    ceiling = runs[healthz_key]["rps"]
    for name, info in pages.items():
        run = runs[name]
        print(f"{name:<24}{run['rps']:>8.0f}{run['p50']:>9.1f}{run['p95']:>9.1f}{run['p99']:>9.1f}"
              f"{info['queries']:>5}{info['bytes']:>9}{info['gzip']:>8}{run['rps'] / ceiling:>9.0%}{run['errors']:>5}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scales", default="1,10", help="multiples of 2 000 métiers / 20 000 formations")
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--pg-port", type=int, default=55440)
    args = parser.parse_args()
    ensure_tool("wrk", "wrk")
    print(f"Machine : {platform.node()}, {os.cpu_count()} cœurs, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}")

    pg = Postgres(args.pg_port).init()
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(WRK_LUA)
            script.flush()
            for scale in (int(s) for s in args.scales.split(",")):
                env = portal_env(pg.url)
                manage("migrate", "--noinput", "-v0", env=env)
                manage("collectstatic", "--noinput", "-v0", env=env)
                started = time.monotonic()
                manage("generate_catalogue", "--metiers", str(2000 * scale), "--formations", str(20000 * scale),
                       "--seed", "1", env=env)
                print(f"Catalogue ×{scale} construit en {time.monotonic() - started:.0f} s")
                for cache in ("on", "off"):
                    run_env = {**env, "PAGE_CACHE": "1" if cache == "on" else "0"}
                    measured = probe(run_env)
                    pages = measured["pages"]
                    with gunicorn(run_env, args.port) as base:
                        for info in pages.values():  # warm up
                            subprocess.run(["curl", "-s", "-o", "/dev/null", base + info["url"]], check=False)
                        runs = measure(base, pages, args.seconds, args.connections, script.name)
                        if cache == "on":
                            first, repeat, assets, cache_control = transfer_sizes(base, pages["liste, 2 filtres"]["url"])
                    print_table(f"×{scale} : {2000 * scale} métiers, {20000 * scale} formations, cache {cache}",
                                pages, runs)
                print(f"\nListe : première visite {first} octets transférés (HTML + {assets} fichiers statiques), "
                      f"visite suivante {repeat} octets (statiques en cache : {cache_control})")
                if scale == 1:
                    print("\nPlan de la recherche « ingenieur image » :\n" + measured["plan"])
    finally:
        pg.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
