"""The benchmark's own arithmetic (bench/run.py); the measurements themselves need wrk and
PostgreSQL, and are run by `bench/run`, never by the tests."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load_bench(name="run"):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def run(p50, p95, errors=0):
    return {"rps": 1000 / p50, "p50": p50, "p95": p95, "p99": p95 * 2, "errors": errors}


def test_a_slow_spell_in_one_round_does_not_make_the_figure():
    bench = load_bench()
    # The second round fell in a slow spell of the machine.
    combined = bench.median_run([run(14.0, 19.0), run(20.0, 34.0, errors=1), run(15.0, 20.0)])
    assert combined["p50"] == 15.0
    assert combined["p95"] == 20.0
    assert combined["p99"] == 40.0
    assert combined["errors"] == 1  # errors are never averaged away


def test_the_verdict_reads_the_combined_figures():
    bench = load_bench()
    pages = ("/healthz", *bench.SEARCHES, *bench.FLAT)
    alone = {name: bench.median_run([run(10.0, 18.0), run(10.0, 30.0), run(10.0, 19.0)]) for name in pages}
    runs = {name: run(5.0, 6.0) for name in pages}
    lines = bench.verdicts({1: {"on": runs, "off": runs, "alone": alone}}, {})
    assert "[ok] ×1, recherche mot courant sans cache : p95 vu du client 19.0 ms (cible ≤ 20 ms)" in lines


def timed(p50, p95, srv_p50, srv_p95):
    return run(p50, p95) | {"srv_p50": srv_p50, "srv_p95": srv_p95}


def test_the_search_target_is_judged_on_the_server_s_own_time():
    bench = load_bench()
    pages = ("/healthz", *bench.SEARCHES, *bench.FLAT)
    runs = {name: run(5.0, 6.0) for name in pages}
    # The client saw 23 ms; gunicorn spent 18.5 ms on the request.
    alone = {name: bench.median_run([timed(12.0, 23.0, 11.0, 18.5)] * 3) for name in pages}
    lines = bench.verdicts({1: {"on": runs, "off": runs, "alone": alone}}, {})
    assert "[ok] ×1, recherche mot rare sans cache : p95 serveur 18.5 ms (cible ≤ 20 ms)" in lines
    alone = {name: bench.median_run([timed(12.0, 19.0, 11.0, 20.5)] * 3) for name in pages}
    lines = bench.verdicts({1: {"on": runs, "off": runs, "alone": alone}}, {})
    assert "[NON] ×1, recherche mot rare sans cache : p95 serveur 20.5 ms (cible ≤ 20 ms)" in lines
    # Other pages: 25 ms.
    assert "[ok] ×1, fiche sans cache : p95 serveur 20.5 ms (cible ≤ 25 ms)" in lines


def test_growth_compares_the_same_kind_of_time_at_both_sizes():
    bench = load_bench()
    pages = ("/healthz", *bench.SEARCHES, *bench.FLAT)
    runs = {name: run(5.0, 6.0) for name in pages}
    low = {name: timed(10.0, 16.0, 9.0, 15.0) for name in pages}
    high = {name: timed(12.0, 40.0, 11.0, 30.0) for name in pages}
    high["fiche"] = run(30.0, 40.0)  # no server time at ×10: the client's, at both sizes
    lines = bench.verdicts({1: {"on": runs, "off": runs, "alone": low},
                            10: {"on": runs, "off": runs, "alone": high}}, {})
    assert "[NON] recherche mot courant : p95 serveur ×2.00 pour un catalogue ×10 (cible < ×2)" in lines
    assert "[ok] liste, page 50 : p50 serveur ×1.22 pour un catalogue ×10 (coût plat : cible < ×1,5)" in lines
    assert "[NON] fiche : p50 vu du client ×3.00 pour un catalogue ×10 (coût plat : cible < ×1,5)" in lines


def test_a_round_without_server_times_leaves_them_out_of_the_median():
    bench = load_bench()
    combined = bench.median_run([timed(10.0, 15.0, 9.0, 14.0), run(10.0, 15.0), timed(10.0, 15.0, 9.0, 14.0)])
    assert "srv_p95" not in combined and "srv_p50" not in combined
    assert combined["p95"] == 15.0


def test_nearest_rank_percentile():
    bench = load_bench()
    values = [float(n) for n in range(20, 0, -1)]  # 20 … 1, unsorted on purpose
    assert bench.percentile(values, 0.50) == 10.0
    assert bench.percentile(values, 0.95) == 19.0
    assert bench.percentile([7.0], 0.95) == 7.0


def test_server_times_read_whole_lines_of_one_path(tmp_path):
    bench = load_bench()
    log = tmp_path / "acces.log"
    log.write_text("12500 /metiers/\n800 /healthz\n20750 /metiers/\n9", encoding="utf-8")
    times, offset = bench.server_times(log, 0, "/metiers/")
    assert times == [12.5, 20.75]
    # The unfinished line is read once it is whole, from where the last reading stopped.
    with log.open("a", encoding="utf-8") as file:
        file.write("900 /metiers/\n")
    times, offset = bench.server_times(log, offset, "/metiers/")
    assert times == [9.9]
    assert offset == log.stat().st_size


def test_pages_under_load_are_measured_in_interleaved_rounds(monkeypatch):
    bench = load_bench()
    calls = []
    # A slow spell of the machine during the formation page's first round.
    figures = iter([400.0, 900.0, 500.0, 2300.0, 450.0, 2200.0])

    def fake_wrk(url, seconds, connections, script):
        calls.append((url, seconds, connections))
        return {"rps": next(figures), "p50": 7.0, "p95": 20.0, "p99": 30.0, "errors": 0}

    monkeypatch.setattr(bench, "wrk", fake_wrk)
    pages = {"fiche": {"url": "/metiers/a/"}, "formation": {"url": "/formations/b/"}}
    rows = bench.measure("http://127.0.0.1:1", pages, 3, 16, "script.lua")
    # Every page, then every page again: a spell of a few seconds touches each page once at most.
    assert [url for url, _, _ in calls] == ["http://127.0.0.1:1/metiers/a/", "http://127.0.0.1:1/formations/b/"] * 3
    assert {(seconds, connections) for _, seconds, connections in calls} == {(3, 16)}
    assert rows["formation"]["rps"] == 2200.0
    assert rows["fiche"]["rps"] == 450.0


GUNICORN_START = """\
[2026-12-06 23:40:01 +0000] [100] [INFO] Starting gunicorn 23.0.0
[2026-12-06 23:40:01 +0000] [100] [INFO] Listening at: http://127.0.0.1:18090 (100)
[2026-12-06 23:40:01 +0000] [100] [INFO] Using worker: gthread
[2026-12-06 23:40:01 +0000] [100] [INFO] Control socket listening at /root/.gunicorn/gunicorn.ctl
[2026-12-06 23:40:01 +0000] [101] [INFO] Booting worker with pid: 101
[2026-12-06 23:40:01 +0000] [102] [INFO] Booting worker with pid: 102
"""
GUNICORN_STOP = """\
[2026-12-06 23:41:00 +0000] [100] [INFO] Handling signal: term
[2026-12-06 23:41:00 +0000] [101] [INFO] Worker exiting (pid: 101)
[2026-12-06 23:41:00 +0000] [102] [INFO] Worker exiting (pid: 102)
[2026-12-06 23:41:01 +0000] [100] [INFO] Shutting down: Master
"""


def test_a_quiet_gunicorn_log_has_nothing_to_report():
    harness = load_bench("harness")
    assert harness.unusual_lines(GUNICORN_START + GUNICORN_STOP) == []


def test_a_recycled_or_timed_out_worker_is_reported_with_its_replacement():
    harness = load_bench("harness")
    recycled = (
        "[2026-12-06 23:40:30 +0000] [101] [INFO] Autorestarting worker after current request.\n"
        "[2026-12-06 23:40:30 +0000] [101] [INFO] Worker exiting (pid: 101)\n"
        "[2026-12-06 23:40:30 +0000] [103] [INFO] Booting worker with pid: 103\n"
        "[2026-12-06 23:40:40 +0000] [100] [CRITICAL] WORKER TIMEOUT (pid:102)\n"
        "[2026-12-06 23:40:41 +0000] [104] [INFO] Booting worker with pid: 104\n"
    )
    lines = harness.unusual_lines(GUNICORN_START + recycled + GUNICORN_STOP)
    assert [line.split("] ", 3)[-1] for line in lines] == [
        "Autorestarting worker after current request.",
        "Booting worker with pid: 103",
        "WORKER TIMEOUT (pid:102)",
        "Booting worker with pid: 104",
    ]


def test_error_kinds_are_summed_across_rounds_and_printed():
    bench = load_bench()
    kinds = [{"status": 0, "connect": 0, "read": 2, "write": 0, "timeout": 0},
             {"status": 1, "connect": 0, "read": 3, "write": 0, "timeout": 0}]
    combined = bench.median_run([run(10.0, 12.0, errors=2) | {"kinds": kinds[0]},
                                 run(10.0, 12.0, errors=4) | {"kinds": kinds[1]}])
    assert combined["errors"] == 6
    assert combined["kinds"] == {"status": 1, "connect": 0, "read": 5, "write": 0, "timeout": 0}
    assert bench.error_kinds(combined) == "1 réponse hors 2xx/3xx, 5 erreurs de lecture"


def test_the_ratio_to_healthz_is_printed_to_a_tenth_of_a_point(capsys):
    bench = load_bench()
    runs = {"/healthz": run(1.0, 1.0), "fiche": run(10.42, 12.0, errors=3) | {
        "kinds": {"status": 0, "connect": 0, "read": 3, "write": 0, "timeout": 0}}}
    pages = {"fiche": {"queries": 3, "bytes": 18000, "gzip": 5000}}
    bench.print_table("×1", pages, runs)
    output = capsys.readouterr().out
    assert " 9.6%" in output  # 1000 / 10.42 of 1000 requests per second, not « 10% »
    assert "fiche : 3 erreurs de lecture" in output
    lines = bench.verdicts({10: {"on": runs, "off": runs}}, {})
    assert "[NON] ×10, cache on : la page la plus lente (fiche) à 9.6% de /healthz (cible ≥ 50%)" in lines
    assert "[ok] ×10, cache off : la page la plus lente (fiche) à 9.6% de /healthz (cible ≥ 7%)" in lines
