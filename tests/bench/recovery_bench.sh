#!/usr/bin/env bash
# Issue 17 benchmarks, on a throwaway cluster of their own and the S3 fixture:
# - recovery point: a steady pgbench load (TPC-B-like transactions, each also stamping clock_timestamp() into a
#   ticks table) while `wal receive --partial-upload 60` streams WAL to S3; then a total loss — the server killed
#   (-9), its data directory removed, the receiver killed (-9) and its spool removed — and `recover --to latest`
#   from S3 alone. Seconds of committed work missing = kill time − newest recovered tick (target ≤ 60).
# - recovery time: that `recover --to latest` itself, of a ~1 GB cluster (LIFEBOAT_BENCH_DB_MB) plus at least 1 GB of
#   WAL (two full-table UPDATEs after the base backup — about 6 GB at the default size — then the load) fetched from
#   S3 (target ≤ 5 minutes).
# Prints the figures and the load average for docs/performance.md. On demand: ctest -L bench -R bench_recovery -V.
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
size_mb=${LIFEBOAT_BENCH_DB_MB:-1024}
rate=${LIFEBOAT_BENCH_TPS:-200}
kill_after=${LIFEBOAT_BENCH_KILL_AFTER:-200}
partial=${LIFEBOAT_BENCH_PARTIAL:-60}
pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
work=$(mktemp -d /tmp/lifeboat-rpbench.XXXXXX)
chmod 755 "$work"
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"
port=$(( 20000 + RANDOM % 20000 ))
port2=$(( port + 1 ))
rx=""
load=""
cleanup() {
    [ -n "$rx" ] && kill -9 "$rx" 2>/dev/null || true
    [ -n "$load" ] && kill -9 "$load" 2>/dev/null || true
    for d in "$work/data" "$work/recovered"; do
        as_owner "$pgbin/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
as_owner "$pgbin/initdb" -D "$work/data" -U postgres -A trust >/dev/null
cat >>"$work/data/pg_hba.conf" <<HBA
host replication all 127.0.0.1/32 trust
HBA
as_owner "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_wal_size=4GB" start >/dev/null
psql=("$pgbin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres)

scale=$(( size_mb * 10 / 150 ))
[ "$scale" -lt 1 ] && scale=1
echo "== pgbench -i -s $scale (~${size_mb} MB)"
"$pgbin/pgbench" -i -q -s "$scale" -h 127.0.0.1 -p "$port" -U postgres postgres >/dev/null 2>&1
"${psql[@]}" -c "CREATE TABLE ticks (at timestamptz NOT NULL DEFAULT clock_timestamp())" -c CHECKPOINT
size=$("${psql[@]}" -At -c "SELECT sum(pg_database_size(oid)) FROM pg_database")
echo "cluster size: $((size / 1024 / 1024)) MiB"

home="$work/home"
# shellcheck disable=SC1091
. "$fixdir/s3.env"
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
"$ctl" --home "$home" storage add s3 --s3 --endpoint "$S3_ENDPOINT" --bucket "$S3_BUCKET" --path-style \
    --prefix "rpbench-$$" >/dev/null
"$ctl" --home "$home" profile add bench --conninfo "host=127.0.0.1 port=$port user=postgres dbname=postgres" \
    --storage s3 >/dev/null

echo "== wal receive (partial upload every ${partial}s) and a base backup to S3"
"$ctl" --home "$home" wal receive bench --partial-upload "$partial" 2>"$work/receiver.log" &
rx=$!
for _ in $(seq 1 100); do
    [ "$("${psql[@]}" -At -c "SELECT count(*) FROM pg_replication_slots WHERE active")" = 1 ] && break
    sleep 0.2
done
t0=$(date +%s.%N)
"$ctl" --home "$home" basebackup bench >/dev/null
echo "base backup: $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5) s"

lsn0=$("${psql[@]}" -At -c "SELECT pg_current_wal_lsn()")
echo "== WAL after the base backup: two full-table UPDATEs of pgbench_accounts"
"${psql[@]}" -c "UPDATE pgbench_accounts SET abalance = abalance + 1" -c "UPDATE pgbench_accounts SET filler = md5(aid::text)"
cat >"$work/tick.sql" <<'SQL'
\set aid random(1, 100000 * :scale)
\set delta random(-5000, 5000)
BEGIN;
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, :aid, :delta, CURRENT_TIMESTAMP);
INSERT INTO ticks DEFAULT VALUES;
END;
SQL
echo "== steady load: $rate transactions/s, total loss after ${kill_after}s"
"$pgbin/pgbench" -n -c 2 -R "$rate" -T $(( kill_after + 120 )) -f "$work/tick.sql" -h 127.0.0.1 -p "$port" \
    -U postgres postgres >/dev/null 2>&1 &
load=$!
sleep "$kill_after"
walbytes=$("${psql[@]}" -At -c "SELECT pg_current_wal_lsn() - '$lsn0'::pg_lsn")
pm=$(head -1 "$work/data/postmaster.pid")
kill -9 "$pm"
tkill=$(date +%s.%N)
kill -9 "$rx" 2>/dev/null || true
rx=""
kill -9 "$load" 2>/dev/null || true
load=""
pkill -9 -f "pg_receivewal.*$port" 2>/dev/null || true
sleep 1
pkill -9 -u postgres -f "$work/data" 2>/dev/null || true
rm -rf "$work/data" "$home/wal-spool"
echo "killed at $(date -u -d @"${tkill%.*}" +%T); WAL written since the base backup: $((walbytes / 1024 / 1024)) MiB"
echo "load average at the loss: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== recover --to latest from S3 alone"
t0=$(date +%s.%N)
"$ctl" --home "$home" recover bench --to latest --data-dir "$work/recovered" --port "$port2" --start >"$work/recover.out" 2>&1 \
    || { cat "$work/recover.out"; exit 1; }
t1=$(date +%s.%N)
newest=$("$pgbin/psql" -X -At -h 127.0.0.1 -p "$port2" -U postgres -d postgres -c "SELECT extract(epoch FROM max(at)) FROM ticks")
ticks=$("$pgbin/psql" -X -At -h 127.0.0.1 -p "$port2" -U postgres -d postgres -c "SELECT count(*) FROM ticks")
missing=$(echo "$tkill - $newest" | bc)
rtime=$(echo "$t1 - $t0" | bc)
echo
echo "| figure | value |"
echo "| --- | --- |"
echo "| cluster | $((size / 1024 / 1024)) MiB |"
echo "| WAL since the base backup | $((walbytes / 1024 / 1024)) MiB |"
echo "| load | $rate tx/s for ${kill_after} s ($ticks ticks recovered) |"
echo "| committed work missing after the total loss (partial upload ${partial} s) | $(printf '%.1f' "$missing") s |"
echo "| recover --to latest from S3 (extract, verify, fetch + replay, promote) | $(printf '%.0f' "$rtime") s |"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
