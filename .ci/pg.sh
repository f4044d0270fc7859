#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster on loopback, for CI and benchmarks.
#   source .ci/pg.sh; pg_start DIR PORT   -> exports DATABASE_URL
#   pg_stop DIR
# PostgreSQL refuses to run as root, so the cluster belongs to the `postgres`
# system user when we are root, and to the current user otherwise.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_ensure_installed() {
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/unaccent.control ]; then
    echo "Installation de PostgreSQL 15…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-contrib >/dev/null
  fi
}

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  local dir=$1 port=$2
  pg_ensure_installed
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  pg_as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U portal portal
  export DATABASE_URL="postgres://portal@127.0.0.1:$port/portal"
  echo "PostgreSQL prêt : $DATABASE_URL"
}

pg_stop() {
  local dir=$1
  [ -d "$dir/data" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
}
