#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: pg_fixture.sh start|stop FIXTURE_DIR
# start: initdb in a fresh temporary directory (as the postgres user when run as root, since PostgreSQL refuses
# to run as root), listen on 127.0.0.1 at a free port, a trust superuser and a SCRAM password user, then write
# FIXTURE_DIR/pg.env (key=value) for the tests. stop: shut the cluster down and remove its directory.
set -euo pipefail
cmd=${1:?start|stop}
fixdir=${2:?fixture dir}
envfile="$fixdir/pg.env"
mkdir -p "$fixdir"

pgbin=${LIFEBOAT_PG_BIN:-}
if [ -z "$pgbin" ]; then
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
fi
[ -x "$pgbin/initdb" ] || { echo "pg_fixture: no initdb found (install postgresql-15)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + RANDOM % 30000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}

case "$cmd" in
start)
    if [ -f "$envfile" ]; then "$0" stop "$fixdir" || true; fi
    base=$(mktemp -d /tmp/lifeboat-pg.XXXXXX)
    chmod 755 "$base"
    [ "$(id -u)" = 0 ] && chown postgres: "$base"
    port=$(free_port)
    password="pw-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    as_owner "$pgbin/initdb" -D "$base/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
        || { cat "$base/initdb.log" >&2; exit 1; }
    cat >"$base/hba.conf" <<HBA
local all postgres trust
host  all postgres 127.0.0.1/32 trust
host  all lifeboat_user 127.0.0.1/32 scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
HBA
    [ "$(id -u)" = 0 ] && chown postgres: "$base/hba.conf"
    as_owner "$pgbin/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 \
        -o "-p $port -k $base -c listen_addresses=127.0.0.1 -c hba_file=$base/hba.conf -c password_encryption=scram-sha-256 -c fsync=off -c max_connections=60" \
        start >/dev/null || { cat "$base/server.log" >&2; exit 1; }
    "$pgbin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE lifeboat_user LOGIN CREATEDB PASSWORD '$password'" >/dev/null
    {
        echo "PG_BIN=$pgbin"
        echo "PG_BASE=$base"
        echo "PG_HOST=127.0.0.1"
        echo "PG_PORT=$port"
        echo "PG_SUPERUSER=postgres"
        echo "PG_USER=lifeboat_user"
        echo "PG_PASSWORD=$password"
    } >"$envfile"
    echo "pg_fixture: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($base)"
    ;;
stop)
    [ -f "$envfile" ] || exit 0
    base=$(sed -n 's/^PG_BASE=//p' "$envfile")
    if [ -n "$base" ] && [ -d "$base/data" ]; then
        as_owner "$pgbin/pg_ctl" -D "$base/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$base"
    fi
    rm -f "$envfile"
    ;;
*) echo "usage: $0 start|stop FIXTURE_DIR" >&2; exit 3 ;;
esac
