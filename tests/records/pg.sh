#!/bin/sh
# A throwaway PostgreSQL server for the database tests (Debian package `postgresql`).
#
#   url=$(tests/records/pg.sh start)   # prints the SQLAlchemy URL of the new server
#   COUNTER_TEST_PG_URL=$url .venv/bin/python -m pytest tests/records
#   tests/records/pg.sh stop
#
# Installs nothing. The cluster lives in a temporary folder and listens on
# 127.0.0.1 on a free port only; fsync is off because nothing in it needs to
# survive a crash. As root the server runs as the `postgres` user (PostgreSQL
# refuses root). `stop` stops the server that `start` started from the same
# parent process (a script calling both, like ./dev); several test runs on
# one machine each get their own server. Set PG_STATE to a file name to pair
# a start and a stop run from different processes.
set -eu
STATE=${PG_STATE:-/tmp/counter-test-pg-$PPID.state}

bindir() {
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    echo "pg.sh: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
    return 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

start() {
    BIN=$(bindir)
    if [ -f "$STATE" ]; then stop >/dev/null 2>&1 || true; fi  # our own earlier one
    DIR=$(mktemp -d /tmp/counter-test-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "'$BIN/initdb' -D '$DIR/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >'$DIR/initdb.log' 2>&1" || {
        cat "$DIR/initdb.log" >&2; exit 1; }
    as_owner "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -t 60 \
        -o \"-h 127.0.0.1 -p $PORT -k '$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" \
        start >/dev/null" || { cat "$DIR/server.log" >&2; exit 1; }
    printf '%s\n%s\n' "$DIR" "$PORT" > "$STATE"
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
}

stop() {
    [ -f "$STATE" ] || { echo "pg.sh: no server started" >&2; return 0; }
    DIR=$(sed -n 1p "$STATE")
    BIN=$(bindir)
    as_owner "'$BIN/pg_ctl' -D '$DIR/data' -m immediate -w stop >/dev/null" || true
    rm -rf "$DIR" "$STATE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
