#!/usr/bin/env python3
"""Side-by-side cost of every public page at the default scale and at 10× the catalogue.

Starts a throwaway PostgreSQL and gunicorn on loopback, builds the fictitious
catalogue, and prints for each page: requests per second (wrk, with a browser's
Accept-Encoding, the median of interleaved rounds), p50/p95/p99 latency, SQL queries,
response size (raw and compressed), and the ratio to /healthz, with caching on and off.
With caching off, each page is also requested by one connection at a time, in
interleaved rounds: the server's own cost, without queueing, both as gunicorn timed it
(its access log) and as the client saw it. Then the search plan (EXPLAIN ANALYZE), the
transfer sizes of a first and a repeat visit of the listing, a verdict against each
target, and the import benchmark.

    bench/run [--seconds 3] [--connections 16] [--scales 1,10] [--no-import]
"""

import argparse
import contextlib
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from harness import PG_BIN, PYTHON, ROOT, Postgres, ensure_tool, gunicorn, manage, portal_env

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
    "recherche formations": "/formations/?q=ingenieur",
    # A word that begins a quarter of the labels, all together far down the label order.
    "formations « master »": "/formations/?q=master",
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
    from urllib.parse import urlencode
    from django.http import QueryDict
    from metiers.filters import MetierFilterSet
    for words in ("ingenieur", rare):
        # The key names the cached counts: one per search. What the listing's first page
        # reads, query by query (TitleFirstResults: the title matches, then the others).
        rows = MetierFilterSet(QueryDict(urlencode({"q": words}))).results(f"bench?q={words}")
        queries = rows.queries(0, 20) if hasattr(rows, "queries") else [rows[:20]]
        for n, query in enumerate(queries, start=1):
            explained = query.explain(analyze=True)
            plan += f"-- {words} (première page, requête {n} sur {len(queries)})\n{explained}\n"
print(json.dumps({"pages": result, "plan": plan}))
"""

WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("JSON {\\"rps\\": %f, \\"p50\\": %f, \\"p95\\": %f, \\"p99\\": %f, \\"errors\\": %d, "
    .. "\\"kinds\\": {\\"status\\": %d, \\"connect\\": %d, \\"read\\": %d, \\"write\\": %d, \\"timeout\\": %d}}\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def probe(env):
    """SQL queries and sizes of each page, uncached: what a page costs when it is rendered."""
    output = subprocess.run([str(PYTHON), "manage.py", "shell", "-c", PROBE], cwd=ROOT, env={**env, "PAGE_CACHE": "0"},
                            capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def wrk(url, seconds, connections, script):
    threads = min(2, connections)
    output = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
         "-H", "Accept-Encoding: gzip, deflate, br", "-s", script, url],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(re.search(r"^JSON (.*)$", output, re.M).group(1))


def transfer_sizes(base, listing):
    """Bytes on the wire for a first visit (HTML + CSS + JS) and a repeat visit (HTML only)."""
    import gzip

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


def timed_get(url):
    """(seconds, bytes) of one GET read to its end, uncompressed, as a script would."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        size = len(response.read())
    return time.perf_counter() - started, size


def downloads(base):
    """What the open data costs to read whole: each export of the whole catalogue, and a
    page of 100 of the API at the start and at the end of the formations, the last one
    both by its number and by the cursor of the page before's « suivante » link (the
    median of three readings; the exports, the better of two)."""
    with urllib.request.urlopen(base + "/api/formations/?par_page=100", timeout=600) as response:
        last = json.load(response)["pages"]
    with urllib.request.urlopen(base + f"/api/formations/?par_page=100&page={last - 1}", timeout=600) as response:
        following = urlsplit(json.load(response)["suivante"])
    targets = [
        ("export CSV des métiers", "/metiers/export.csv", 2),
        ("export CSV des formations", "/formations/export.csv", 2),
        ("API, 100 métiers (page 1)", "/api/metiers/?par_page=100", 3),
        ("API, 100 formations (page 1)", "/api/formations/?par_page=100", 3),
        (f"API, 100 formations (page={last})", f"/api/formations/?par_page=100&page={last}", 3),
        (f"API, 100 formations ({last}, curseur)", f"{following.path}?{following.query}", 3),
    ]
    rows = []
    for name, url, times in targets:
        readings = [timed_get(base + url) for _ in range(times)]
        seconds = min(r[0] for r in readings) if times == 2 else statistics.median(r[0] for r in readings)
        rows.append((name, seconds, readings[0][1]))
    return rows


def interleaved(pages, rounds, measure_page):
    """``measure_page(info)`` for every page, then every page again, ``rounds`` times; per
    page, the median of its rounds (see `median_run`), and the rounds themselves.

    This virtual machine has slow spells of a few seconds. With one run per page, a spell
    fell whole on one page: the same code gave a p95 of 19.8 ms, then 33.7 ms, for the same
    search, and a cached formation page served 900 requests a second in one run, then
    1 500 to 2 350 in five runs just after. Interleaved, a spell touches one round of
    several pages, and the median sets it aside.
    """
    trials = {name: [] for name in pages}
    for _ in range(rounds):
        for name, info in pages.items():
            trials[name].append(measure_page(info))
    return {name: median_run(runs) for name, runs in trials.items()}, trials


def measure(base, pages, seconds, connections, script):
    """Each page under ``connections`` connections, in interleaved rounds of ``seconds``."""
    rows, _ = interleaved(pages, LOAD_ROUNDS, lambda info: wrk(base + info["url"], seconds, connections, script))
    return rows


def measure_alone(base, pages, seconds, rounds, script, log):
    """Each page by one connection, in ``rounds`` interleaved rounds (see `interleaved`).

    Besides the latencies wrk saw, each round reads the times gunicorn wrote for the page in
    its access ``log`` (see `server_times`): the server's own time, from the request read to
    the response written, without the client's share of this machine's two cores. Each
    round's /healthz, printed, shows how steady the machine was.
    """
    offset = log.stat().st_size

    def measure_page(info):
        nonlocal offset
        run = wrk(base + info["url"], seconds, 1, script)
        # The last response may be written to the log just after wrk stops.
        time.sleep(SETTLE_SECONDS)
        times, offset = server_times(log, offset, unquote(urlsplit(info["url"]).path))
        if times:
            run |= {"srv_p50": percentile(times, 0.50), "srv_p95": percentile(times, 0.95)}
        return run

    return interleaved(pages, rounds, measure_page)


def alone_with_log(env, port, pages, connections, script):
    """The « alone » rounds, on a gunicorn of their own that writes its access log: writing
    a line per request costs a little, and the load measurements run without it."""
    with tempfile.TemporaryDirectory(prefix="portal-bench-log.") as directory:
        log = Path(directory) / "acces.log"
        with gunicorn(env, port, access_log=log, access_format=ACCESS_FORMAT) as base:
            wrk(base + "/healthz", 2, connections, script)
            for info in pages.values():
                warm(base + info["url"], connections, script)
            return measure_alone(base, pages, ALONE_SECONDS, ALONE_ROUNDS, script, log)


# gunicorn's access log line: the microseconds it spent on the request, then its path.
ACCESS_FORMAT = "%(D)s %(U)s"
SETTLE_SECONDS = 0.3


def server_times(log, offset, path):
    """The times in ms that gunicorn logged for ``path`` after ``offset`` bytes of its access
    log, and the offset to read from next. Only whole lines are read: a line still being
    written waits for the next reading. Lines of other paths are left out."""
    with open(log, "rb") as file:
        file.seek(offset)
        data = file.read()
    end = data.rfind(b"\n") + 1
    times = []
    for line in data[:end].decode("utf-8", "replace").splitlines():
        micros, _, logged = line.partition(" ")
        if logged == path and micros.isdigit():
            times.append(int(micros) / 1000)
    return times, offset + end


def percentile(values, share):
    """The nearest-rank percentile: the smallest value with ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def median_run(runs):
    """One run standing for several: the median of each figure, the sum of the errors.

    A server-side figure counts only when every run has it: a round whose log gave no line
    would otherwise move the median without anyone seeing why."""
    keys = [key for key in ("rps", "p50", "p95", "p99", "srv_p50", "srv_p95") if all(key in run for run in runs)]
    combined = {
        **{key: statistics.median(run[key] for run in runs) for key in keys},
        "errors": sum(run["errors"] for run in runs),
    }
    if all("kinds" in run for run in runs):
        combined["kinds"] = {kind: sum(run["kinds"][kind] for run in runs) for kind in ERROR_KINDS}
    return combined


# wrk's error counts: a response whose status is not 2xx or 3xx, then socket errors.
ERROR_KINDS = {
    "status": ("réponse hors 2xx/3xx", "réponses hors 2xx/3xx"),
    "connect": ("erreur de connexion", "erreurs de connexion"),
    "read": ("erreur de lecture", "erreurs de lecture"),
    "write": ("erreur d'écriture", "erreurs d'écriture"),
    "timeout": ("délai dépassé", "délais dépassés"),
}


def error_kinds(run):
    """What a run's errors were, as wrk counted them: « 2 erreurs de lecture »."""
    kinds = run.get("kinds", {})
    return ", ".join(f"{kinds[kind]} {names[kinds[kind] > 1]}" for kind, names in ERROR_KINDS.items() if kinds.get(kind))


def print_table(title, pages, runs, alone=None, healthz_key="/healthz"):
    print(f"\n## {title}")
    header = (f"{'page':<24}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'SQL':>5}{'octets':>9}{'gzip':>8}"
              f"{'/healthz':>11}{'err':>5}")
    if alone:
        header += f"{'seul p50':>10}{'seul p95':>10}{'serv. p50':>11}{'serv. p95':>11}"
    print(header)
    ceiling = runs[healthz_key]["rps"]
    for name, info in pages.items():
        run = runs[name]
        line = (f"{name:<24}{run['rps']:>8.0f}{run['p50']:>9.1f}{run['p95']:>9.1f}{run['p99']:>9.1f}"
                f"{info['queries']:>5}{info['bytes']:>9}{info['gzip']:>8}{run['rps'] / ceiling:>10.1%}{run['errors']:>5}")
        if alone:
            line += f"{alone[name]['p50']:>10.1f}{alone[name]['p95']:>10.1f}"
            line += "".join(f"{alone[name][key]:>11.1f}" if key in alone[name] else f"{'—':>11}"
                            for key in ("srv_p50", "srv_p95"))
        print(line)
    for name in pages:
        if runs[name]["errors"]:
            print(f"{name} : {error_kinds(runs[name]) or str(runs[name]['errors']) + ' erreurs'}")


def warm(url, connections, script):
    """Load a page until it is warm: 2 s runs until one has no error and no request slower
    than three times its median (50 ms for a fast page), 5 runs at most. Each of the five
    workers computes a search's counts once per catalogue version: at ×10, the first 4 s
    of a broad formation search had a p95 of 0.6 to 1.5 s, the next 4 s one of 18 ms."""
    for _ in range(5):
        run = wrk(url, 2, connections, script)
        if not run["errors"] and run["p99"] <= max(50, 3 * run["p50"]):
            return


# Rounds over every page under load (of --seconds each), and the « alone » rounds with
# their seconds per page.
LOAD_ROUNDS = 3
ALONE_ROUNDS = 3
ALONE_SECONDS = 3

SEARCHES = ("recherche mot courant", "recherche mot rare", "recherche formations", "formations « master »")
FLAT = ("liste, 2 filtres", "liste, page 50", "fiche")


def verdicts(results, sizes):
    """One line per target: the figure, the limit, and whether it holds."""
    lines = []

    def check(ok, text):
        lines.append(f"[{'ok' if ok else 'NON'}] {text}")

    for scale, result in results.items():
        for cache, share in (("on", 0.5), ("off", 0.07)):
            runs = result[cache]
            ceiling = runs["/healthz"]["rps"]
            worst = min((name for name in runs if name != "/healthz"), key=lambda name: runs[name]["rps"])
            ratio = runs[worst]["rps"] / ceiling
            check(ratio >= share, f"×{scale}, cache {cache} : la page la plus lente ({worst}) à {ratio:.1%} "
                                  f"de /healthz (cible ≥ {share:.0%})")
        for name, alone in result.get("alone", {}).items():
            if name == "/healthz":
                continue
            limit = 20 if name in SEARCHES else 25
            side, measured = ("serveur", "srv_p95") if "srv_p95" in alone else ("vu du client", "p95")
            check(alone[measured] <= limit, f"×{scale}, {name} sans cache : p95 {side} {alone[measured]:.1f} ms "
                                            f"(cible ≤ {limit} ms)")
    scales = sorted(results)
    if len(scales) > 1:
        low, high = results[scales[0]]["alone"], results[scales[-1]]["alone"]
        factor = scales[-1] // scales[0]
        for name, key, limit, goal in [*((name, "p95", 2, "cible < ×2") for name in SEARCHES),
                                       *((name, "p50", 1.5, "coût plat : cible < ×1,5") for name in FLAT)]:
            # The server's times at both sizes, or the client's at both: never one of each.
            side, measured = ("serveur", f"srv_{key}") if f"srv_{key}" in low[name] and f"srv_{key}" in high[name] \
                else ("vu du client", key)
            growth = high[name][measured] / low[name][measured]
            check(growth < limit, f"{name} : {key} {side} ×{growth:.2f} pour un catalogue ×{factor} ({goal})")
    for scale, (first, repeat) in sizes.items():
        check(first <= 60_000, f"×{scale}, liste, première visite : {first / 1000:.1f} ko (cible ≤ 60 ko)")
        check(repeat <= 15_000, f"×{scale}, liste, visite suivante : {repeat / 1000:.1f} ko (cible ≤ 15 ko)")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="seconds per page in each round under load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scales", default="1,10", help="multiples of 2 000 métiers / 20 000 formations")
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--pg-port", type=int, default=55440)
    parser.add_argument("--no-import", action="store_true", help="skip the import benchmark")
    args = parser.parse_args()
    ensure_tool("wrk", "wrk")
    print(f"Machine : {platform.node()}, {os.cpu_count()} cœurs, {cpu_model()}, {memory_gib()} Gio, "
          f"Python {platform.python_version()}, {postgres_version()}, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"wrk : {args.connections} connexions, médiane de {LOAD_ROUNDS} tours entrelacés de {args.seconds} s "
          f"par page ; « seul » : 1 connexion, cache "
          f"désactivé (coût serveur sans file d'attente), médiane de {ALONE_ROUNDS} tours entrelacés de "
          f"{ALONE_SECONDS} s par page ; « serv. » : le temps que gunicorn a passé sur chaque requête "
          "(son journal d'accès), « seul » : celui que wrk a vu")

    pg = Postgres(args.pg_port).init()
    results, sizes = {}, {}
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
                # Otherwise autovacuum visits the freshly written tables a minute later, in
                # the middle of a measurement, and takes a core from the pages it measures.
                subprocess.run(["psql", pg.url, "-q", "-c", "VACUUM"], check=True)
                results[scale] = {}
                for cache in ("on", "off"):
                    run_env = {**env, "PAGE_CACHE": "1" if cache == "on" else "0"}
                    measured = probe(run_env)
                    pages = measured["pages"]
                    with gunicorn(run_env, args.port) as base:
                        # Warm up: every worker booted and every page rendered once, so that the
                        # ceiling (/healthz, measured first) is not taken while workers still start.
                        wrk(base + "/healthz", 2, args.connections, script.name)
                        for info in pages.values():
                            warm(base + info["url"], args.connections, script.name)
                        runs = measure(base, pages, args.seconds, args.connections, script.name)
                        # The ceiling again, after the pages: a hiccup of this virtual machine
                        # during the first reading would flatter every ratio; the better one counts.
                        again = wrk(base + "/healthz", args.seconds, args.connections, script.name)
                        runs["/healthz"] = max(runs["/healthz"], again, key=lambda run: run["rps"])
                        alone = None
                        if cache == "off":
                            read_whole = downloads(base)
                        if cache == "on":
                            first, repeat, assets, cache_control = transfer_sizes(base, pages["liste, 2 filtres"]["url"])
                            sizes[scale] = (first, repeat)
                    if cache == "off":
                        alone, trials = alone_with_log(run_env, args.port + 1, pages, args.connections, script.name)
                        results[scale]["alone"] = alone
                    results[scale][cache] = runs
                    print_table(f"×{scale} : {2000 * scale} métiers, {20000 * scale} formations, cache {cache}",
                                pages, runs, alone)
                    if alone:
                        print("« seul », /healthz à chaque tour : p50 / p95 vus du client "
                              + " ; ".join(f"{run['p50']:.1f} / {run['p95']:.1f} ms" for run in trials["/healthz"])
                              + " ; temps serveur "
                              + " ; ".join(f"{run.get('srv_p50', math.nan):.1f} / {run.get('srv_p95', math.nan):.1f} ms"
                                           for run in trials["/healthz"]))
                print(f"\nDonnées ouvertes à ×{scale} (cache désactivé, une requête à la fois) :")
                for name, seconds, size in read_whole:
                    print(f"  {name:<36}{seconds * 1000:>9.0f} ms{size / 1e6:>9.1f} Mo")
                print(f"\nListe : première visite {first} octets transférés (HTML + {assets} fichiers statiques), "
                      f"visite suivante {repeat} octets (statiques en cache : {cache_control})")
                print(f"\nPlans de recherche à ×{scale} (EXPLAIN ANALYZE) :\n" + measured["plan"])
        print("\n## Cibles")
        print("\n".join(verdicts(results, sizes)))
        if not args.no_import:
            print("\n## Import (bench/import_bench.py, même PostgreSQL)")
            subprocess.run([str(PYTHON), "bench/import_bench.py"], cwd=ROOT, env=portal_env(pg.url), check=True)
    finally:
        pg.destroy()
    return 0


def cpu_model():
    with contextlib.suppress(OSError):
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def memory_gib():
    with contextlib.suppress(OSError, ValueError):
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 1024 / 1024)
    return "?"


def postgres_version():
    output = subprocess.run([str(PG_BIN / "postgres"), "--version"], capture_output=True, text=True, check=False)
    return output.stdout.strip() or "PostgreSQL ?"


if __name__ == "__main__":
    sys.exit(main())
