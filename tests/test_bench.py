"""The benchmark's own arithmetic (bench/run.py); the measurements themselves need wrk and
PostgreSQL, and are run by `bench/run`, never by the tests."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load_bench():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
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
    assert "[ok] ×1, recherche mot courant : p95 serveur 19.0 ms (cible ≤ 20 ms)" in lines
