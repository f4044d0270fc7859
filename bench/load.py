#!/usr/bin/env python3
"""Load run: wrk drives the portal under gunicorn on a throwaway PostgreSQL.

Mixes home, a filtered listing, a search and a fiche, 50 connections for 60 s by
default, on loopback only; prints requests per second, latency percentiles and errors.

    .venv/bin/python bench/load.py [--duration 60] [--connections 50]
"""

import argparse
import re
import subprocess
import sys
import tempfile

from harness import Postgres, ensure_tool, gunicorn, portal_env, prepare_portal

PATHS = [
    "/",
    "/metiers/?niveau=bac-5&centre_interet=j-aime-jongler-avec-les-chiffres",
    "/metiers/?q=ingenieur+image",
    "/metiers/ingenieur-traitement-de-l-image/",
]

LUA = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--pg-port", type=int, default=55432)
    args = parser.parse_args()
    ensure_tool("wrk", "wrk")

    pg = Postgres(args.pg_port).init()
    try:
        env = portal_env(pg.url)
        prepare_portal(env)
        with gunicorn(env, args.port) as base, tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(LUA % ", ".join(f'"{p}"' for p in PATHS))
            script.flush()
            result = subprocess.run(
                ["wrk", "--latency", "-t", "2", "-c", str(args.connections), "-d", f"{args.duration}s",
                 "--timeout", "10s", "-s", script.name, base],
                capture_output=True, text=True, check=True,
            )
    finally:
        pg.destroy()

    output = result.stdout
    print(output)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    print(f"pages : {', '.join(PATHS)}")
    print(f"{args.connections} connexions pendant {args.duration} s")
    print(f"requêtes/s : {rps:.0f}")
    print("latence : " + ", ".join(f"p{k} {v}" for k, v in percentiles.items()))
    print(f"réponses en erreur : {errors}" + (f" ; erreurs de socket : {socket_errors.group(1)}" if socket_errors else ""))
    return 1 if errors or socket_errors else 0


if __name__ == "__main__":
    sys.exit(main())
