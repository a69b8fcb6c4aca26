#!/usr/bin/env bash
# Benchmark (label bench): lifeboatctl backup (custom format) against bare `pg_dump -Fc -f FILE` on the same
# generated database (>= 1 GB, poorly compressible), alternating runs so machine noise hits both alike.
# Targets (LIFEBOAT_BENCH_TARGETS, default "local s3 s3-age"; also "local+s3" and "local+s3-age"): local disk (ratio target
# <= 1.05), the S3 fixture (<= 1.10), the S3 fixture with age encryption, alone or with a local copy (<= 1.10). Prints wall times, ratios and lifeboatctl's peak RSS
# (target <= 64 MiB locally; bounded by parts in flight for S3) as a Markdown table for docs/performance.md.
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
size_mb=${LIFEBOAT_BENCH_DB_MB:-1100}
rounds=${LIFEBOAT_BENCH_ROUNDS:-3}
targets=${LIFEBOAT_BENCH_TARGETS:-local s3 s3-age}
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
"$ctl" --home "$home" storage add local --local "$work/store" >/dev/null 2>&1
"$ctl" --home "$home" profile add bench --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_bench" >/dev/null 2>&1
if [ -f "$fixdir/s3.env" ]; then
    # shellcheck disable=SC1091
    . "$fixdir/s3.env"
    export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
    "$ctl" --home "$home" storage add s3 --s3 --endpoint "$S3_ENDPOINT" --bucket "$S3_BUCKET" --path-style --prefix bench >/dev/null 2>&1
fi
recipient=$("$ctl" --home "$home" --json keygen --out "$work/bench.key" | sed -n 's/.*"recipient": "\(age1[^"]*\)".*/\1/p')

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

declare -a t_dump
declare -A t_ctl rss
for i in $(seq 1 "$rounds"); do
    rm -rf "$work/plain.dump"
    s=$(now); "$PG_BIN/pg_dump" -Fc -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_bench -f "$work/plain.dump"; e=$(now)
    t_dump+=("$(echo "$e - $s" | bc)")
    dump_size=$(stat -c %s "$work/plain.dump")
    rm -f "$work/plain.dump"
    line="round $i: pg_dump ${t_dump[-1]} s"
    for t in $targets; do
        args=(backup bench)
        case "$t" in
            local) args+=(--storage local) ;;
            s3) args+=(--storage s3) ;;
            s3-age) args+=(--storage s3 --recipient "$recipient") ;;
            local+s3) args+=(--storage local --storage s3) ;;
            local+s3-age) args+=(--storage local --storage s3 --recipient "$recipient") ;;
        esac
        rm -rf "$work/store"
        s=$(now); r=$(peak_rss_kb "$ctl" --home "$home" "${args[@]}" 3>&1 >/dev/null 2>/dev/null); e=$(now)
        t_ctl[$t]="${t_ctl[$t]:-} $(echo "$e - $s" | bc)"
        [ "$r" -gt "${rss[$t]:-0}" ] && rss[$t]=$r
        line="$line, $t $(echo "$e - $s" | bc) s ($((r / 1024)) MiB)"
    done
    echo "$line"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
md=$(med "${t_dump[@]}")
echo
echo "database $((dbsize / 1024 / 1024)) MiB, dump $((dump_size / 1024 / 1024)) MiB, $rounds rounds, medians; pg_dump -Fc -f FILE: ${md} s"
echo
echo "| target | lifeboatctl backup (median) | ratio to pg_dump | peak RSS |"
echo "|---|---|---|---|"
for t in $targets; do
    # shellcheck disable=SC2086
    mc=$(med ${t_ctl[$t]})
    echo "| $t | ${mc} s | $(echo "scale=3; $mc / $md" | bc) | $(( ${rss[$t]} / 1024 )) MiB |"
done
