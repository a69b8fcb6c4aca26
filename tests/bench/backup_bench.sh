#!/usr/bin/env bash
# Benchmark (label bench): lifeboatctl backup (custom format, local disk) against bare `pg_dump -Fc -f FILE` on the
# same generated database (>= 1 GB, poorly compressible), alternating runs so machine noise hits both alike.
# Prints wall times, the ratio (target <= 1.05) and lifeboatctl's peak RSS (target <= 64 MiB), as a Markdown table
# ready for docs/performance.md.
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
size_mb=${LIFEBOAT_BENCH_DB_MB:-1100}
rounds=${LIFEBOAT_BENCH_ROUNDS:-3}
# shellcheck disable=SC1091
. "$fixdir/pg.env"
psql=("$PG_BIN/psql" -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres)
work=$(mktemp -d /tmp/lifeboat-bench.XXXXXX)
trap 'rm -rf "$work"; "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_bench" >/dev/null 2>&1 || true' EXIT

echo "== generating ~${size_mb} MB (random bytea, 8 KB rows)"
"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_bench" -c "CREATE DATABASE lb_bench" >/dev/null
rows=$(( size_mb * 1024 / 8 ))
"${psql[@]}" -d lb_bench -c "CREATE TABLE blobs (id int, payload bytea)" \
    -c "ALTER TABLE blobs ALTER COLUMN payload SET STORAGE EXTERNAL" \
    -c "INSERT INTO blobs SELECT g, (SELECT string_agg(decode(md5(random()::text || g || k), 'hex'), '') FROM generate_series(1, 512) k) FROM generate_series(1, $rows) g" \
    -c "CREATE TABLE events AS SELECT g AS id, now() - g * interval '1 second' AS at, md5(g::text) AS tag FROM generate_series(1, 2000000) g" \
    -c "VACUUM ANALYZE" >/dev/null
dbsize=$("${psql[@]}" -d lb_bench -At -c "SELECT pg_database_size('lb_bench')")
echo "database size: $((dbsize / 1024 / 1024)) MiB"

home="$work/home"
"$ctl" --home "$home" storage add bench --local "$work/store" >/dev/null 2>&1
"$ctl" --home "$home" profile add bench --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_bench" --storage bench >/dev/null 2>&1

now() { date +%s.%N; }
peak_rss_kb() { # runs "$@", prints its peak RSS (VmHWM) in KiB to fd 3 by polling /proc
    "$@" & local pid=$! hwm=0 v
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
        sleep 0.05
    done
    wait "$pid"
    echo "$hwm" >&3
}

declare -a t_ctl t_dump rss
for i in $(seq 1 "$rounds"); do
    rm -rf "$work/store" "$work/plain.dump"
    s=$(now); "$PG_BIN/pg_dump" -Fc -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_bench -f "$work/plain.dump"; e=$(now)
    t_dump+=("$(echo "$e - $s" | bc)")
    dump_size=$(stat -c %s "$work/plain.dump")
    rm -f "$work/plain.dump"
    s=$(now); r=$(peak_rss_kb "$ctl" --home "$home" backup bench 3>&1 >/dev/null 2>/dev/null); e=$(now)
    t_ctl+=("$(echo "$e - $s" | bc)")
    rss+=("$r")
    echo "round $i: pg_dump ${t_dump[-1]} s, lifeboatctl ${t_ctl[-1]} s, peak RSS $((r / 1024)) MiB"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
md=$(med "${t_dump[@]}"); mc=$(med "${t_ctl[@]}"); mr=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
ratio=$(echo "scale=3; $mc / $md" | bc)
echo
echo "| database | dump size | pg_dump -Fc (median) | lifeboatctl backup (median) | ratio | peak RSS lifeboatctl |"
echo "|---|---|---|---|---|---|"
echo "| $((dbsize / 1024 / 1024)) MiB | $((dump_size / 1024 / 1024)) MiB | ${md} s | ${mc} s | ${ratio} | $((mr / 1024)) MiB |"
