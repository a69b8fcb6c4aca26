#!/usr/bin/env bash
# Benchmark (label bench): `lifeboatctl restore` of a backup whose only copy is in the S3 fixture against bare
# `pg_restore` of the same archive from a local file (issue 4, target ratio <= 1.15), alternating runs so machine
# noise hits both alike. Lifeboat's time includes what bare pg_restore skips: the download, the SHA-256 check
# before anything is touched, every safety check and creating the database; bare pg_restore gets a database created
# by `createdb` just before it, outside its timing.
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
size_mb=${LIFEBOAT_BENCH_DB_MB:-1100}
rounds=${LIFEBOAT_BENCH_ROUNDS:-3}
# shellcheck disable=SC1091
. "$fixdir/pg.env"
# shellcheck disable=SC1091
. "$fixdir/s3.env"
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
psql=("$PG_BIN/psql" -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres)
work=$(mktemp -d /tmp/lifeboat-rbench.XXXXXX)
cleanup() {
    rm -rf "$work"
    for d in lb_rbench lb_rbench_bare lb_rbench_lb; do
        "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

echo "== generating ~${size_mb} MB (random bytea, 8 KB rows, plus 2 M small rows with an index)"
"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_rbench" -c "CREATE DATABASE lb_rbench" >/dev/null
rows=$(( size_mb * 1024 / 8 ))
"${psql[@]}" -d lb_rbench -c "CREATE TABLE blobs (id int PRIMARY KEY, payload bytea)" \
    -c "ALTER TABLE blobs ALTER COLUMN payload SET STORAGE EXTERNAL" \
    -c "INSERT INTO blobs SELECT g, (SELECT string_agg(decode(md5(random()::text || g || k), 'hex'), '') FROM generate_series(1, 512) k) FROM generate_series(1, $rows) g" \
    -c "CREATE TABLE events AS SELECT g AS id, now() - g * interval '1 second' AS at, md5(g::text) AS tag FROM generate_series(1, 2000000) g" \
    -c "CREATE INDEX ON events (tag)" -c "VACUUM ANALYZE" >/dev/null
dbsize=$("${psql[@]}" -d lb_rbench -At -c "SELECT pg_database_size('lb_rbench')")
echo "database size: $((dbsize / 1024 / 1024)) MiB"

home="$work/home"
"$ctl" --home "$home" storage add s3 --s3 --endpoint "$S3_ENDPOINT" --bucket "$S3_BUCKET" --path-style --prefix rbench >/dev/null 2>&1
"$ctl" --home "$home" profile add bench --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_rbench" >/dev/null 2>&1
id=$("$ctl" --home "$home" backup bench --storage s3 2>/dev/null)
mkdir -p "$work/local"
"$ctl" --home "$home" download "$id" --to "$work/local" >/dev/null 2>&1
archive=$(ls "$work/local"/*.dump)
echo "backup #$id, archive $(( $(stat -c %s "$archive") / 1024 / 1024 )) MiB, only copy in S3"

now() { date +%s.%N; }
drop() { "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1" >/dev/null; }
declare -a t_bare t_lb
for i in $(seq 1 "$rounds"); do
    drop lb_rbench_bare
    "${psql[@]}" -d postgres -c "CREATE DATABASE lb_rbench_bare" >/dev/null
    sync
    s=$(now); "$PG_BIN/pg_restore" --no-owner -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_rbench_bare "$archive"; e=$(now)
    t_bare+=("$(echo "$e - $s" | bc)")
    drop lb_rbench_bare
    drop lb_rbench_lb
    sync
    s=$(now); "$ctl" --home "$home" restore "$id" --target bench --target-db lb_rbench_lb --create >/dev/null 2>"$work/restore.log"; e=$(now)
    t_lb+=("$(echo "$e - $s" | bc)")
    grep -E "downloading|integrity|complete" "$work/restore.log" | sed 's/^/    /' || true
    drop lb_rbench_lb
    echo "round $i: bare pg_restore ${t_bare[-1]} s, lifeboatctl restore from S3 ${t_lb[-1]} s"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
mb=$(med "${t_bare[@]}")
ml=$(med "${t_lb[@]}")
echo
echo "database $((dbsize / 1024 / 1024)) MiB, $rounds rounds, medians"
echo
echo "| run | wall time (median) | ratio |"
echo "|---|---|---|"
echo "| bare \`pg_restore\` of the local file | ${mb} s | 1 |"
echo "| \`lifeboatctl restore\` from S3 (download + verify + checks + restore) | ${ml} s | $(echo "scale=3; $ml / $mb" | bc) |"
