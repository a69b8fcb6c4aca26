#!/usr/bin/env bash
# A throwaway S3-compatible server for tests: s3_fixture.sh start|stop FIXTURE_DIR [NAME]
# start: s3rver (tests/support/s3, pinned by package-lock.json; `npm ci` when node_modules is missing) on
# 127.0.0.1 at a free port with its data in a fresh temporary directory and the bucket "lifeboat-test", then
# FIXTURE_DIR/NAME.env (default NAME=s3) for the tests. Returns only once the server answers.
# stop: kill the server and remove its directory. On disk an object lives at
# S3_DATA_DIR/BUCKET/<key dirs>/<last key segment>._S3rver_object (+ ._S3rver_metadata.json, ._S3rver_object.md5).
set -euo pipefail
cmd=${1:?start|stop}
fixdir=${2:?fixture dir}
name=${3:-s3}
envfile="$fixdir/$name.env"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$fixdir"

command -v node >/dev/null || { echo "s3_fixture: node is required (apt install nodejs npm)" >&2; exit 1; }

case "$cmd" in
start)
    if [ -f "$envfile" ]; then bash "$0" stop "$fixdir" "$name" || true; fi
    if [ ! -d "$here/s3/node_modules/@20minutes/s3rver" ]; then
        (cd "$here/s3" && npm ci --no-audit --no-fund --loglevel=error) >&2 \
            || { echo "s3_fixture: npm ci failed in $here/s3" >&2; exit 1; }
    fi
    base=$(mktemp -d /tmp/lifeboat-s3.XXXXXX)
    mkdir -p "$base/data"
    : >"$base/server.out"
    : >"$base/server.log"
    # setsid: the server must outlive this script (CTest waits for the fixture test's process group).
    setsid node "$here/s3/launch.js" "$base/data" lifeboat-test 0 >"$base/server.out" 2>"$base/server.log" </dev/null &
    pid=$!
    # Whatever goes wrong before the env file exists, leave no orphaned server behind.
    trap 'kill "$pid" 2>/dev/null || true; rm -rf "$base"' EXIT
    port=
    for _ in $(seq 1 300); do
        port=$(sed -n 's/^S3RVER_READY \([0-9]*\)$/\1/p' "$base/server.out" 2>/dev/null || true)
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "s3_fixture: s3rver did not start" >&2
        cat "$base/server.log" >&2
        kill "$pid" 2>/dev/null || true
        rm -rf "$base"
        exit 1
    fi
    # Ready means listening; prove it answers HTTP before the tests start.
    ok=
    for _ in $(seq 1 50); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && head -c 12 <&3 | grep -q HTTP) 2>/dev/null; then ok=1; break; fi
        sleep 0.1
    done
    [ -n "$ok" ] || { echo "s3_fixture: s3rver on port $port does not answer" >&2; kill "$pid"; rm -rf "$base"; exit 1; }
    {
        echo "S3_ENDPOINT=http://127.0.0.1:$port"
        echo "S3_BUCKET=lifeboat-test"
        echo "S3_ACCESS_KEY=S3RVER"
        echo "S3_SECRET_KEY=S3RVER"
        echo "S3_REGION=us-east-1"
        echo "S3_DATA_DIR=$base/data"
        echo "S3_BASE=$base"
        echo "S3_PID=$pid"
    } >"$envfile"
    trap - EXIT
    echo "s3_fixture: s3rver $(node -p "require('$here/s3/node_modules/@20minutes/s3rver/package.json').version") on 127.0.0.1:$port ($base), node $(node --version)"
    ;;
stop)
    [ -f "$envfile" ] || exit 0
    pid=$(sed -n 's/^S3_PID=//p' "$envfile")
    base=$(sed -n 's/^S3_BASE=//p' "$envfile")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    case "$base" in /tmp/lifeboat-s3.*) rm -rf "$base" ;; esac
    rm -f "$envfile"
    ;;
*) echo "usage: $0 start|stop FIXTURE_DIR [NAME]" >&2; exit 3 ;;
esac
