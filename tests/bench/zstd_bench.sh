#!/usr/bin/env bash
# Benchmark (label bench, issue 16): `lifeboatctl backup` with Lifeboat's zstd (pg_dump -Fc -Z0 | libzstd) against
# bare `pg_dump -Fc -f FILE` (pg_dump's default zlib), alternating runs on one generated database of >= 1 GB that
# mixes compressible text and numbers with incompressible bytes. Local disk only. Prints per-round times, medians,
# ratios (targets: wall <= 0.35x, size <= 1.0x), peak RSS, the load average, one CPU split (pg_dump, server,
# Lifeboat) and a restore comparison as Markdown for docs/performance.md.
# LIFEBOAT_BENCH_DB_MB (default 1100), LIFEBOAT_BENCH_ROUNDS (3), LIFEBOAT_BENCH_SPECS: --compress values that
# alternate with the bare run (default "zstd zstd:3"; "zstd" is the default level and worker count).
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
size_mb=${LIFEBOAT_BENCH_DB_MB:-1100}
rounds=${LIFEBOAT_BENCH_ROUNDS:-3}
specs=${LIFEBOAT_BENCH_SPECS:-zstd zstd:3}
# shellcheck disable=SC1091
. "$fixdir/pg.env"
psql=("$PG_BIN/psql" -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres)
work=$(mktemp -d /tmp/lifeboat-zbench.XXXXXX)
trap 'rm -rf "$work"; for d in lb_zbench lb_zbench_r1 lb_zbench_r2; do "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done' EXIT
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== generating ~${size_mb} MB: text, numbers, timestamps, 10% incompressible bytes"
"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_zbench" -c "CREATE DATABASE lb_zbench" >/dev/null
# A row is ~240 bytes on disk: words and an md5 (text), three numbers, a timestamp, 32 bytes of md5 output (bytea).
rows=$(( size_mb * 1024 * 1024 / 240 ))
"${psql[@]}" -d lb_zbench \
    -c "CREATE TABLE orders (id bigint, customer int, amount numeric(12,2), qty int, at timestamptz,
            status text, note text, ref text, blob bytea)" \
    -c "INSERT INTO orders SELECT g, g % 100003, (g % 99991) * 0.37, g % 17, now() - g * interval '7 seconds',
            (ARRAY['new','paid','shipped','returned','cancelled'])[1 + g % 5],
            'order ' || g || ' for customer ' || (g % 100003) || ' via ' || (ARRAY['web','phone','store'])[1 + g % 3]
                || ', deliver to street ' || (g % 977) || ' city ' || (g % 131) || ' ' || repeat('x', g % 40),
            md5(g::text),
            decode(md5(random()::text) || md5(random()::text), 'hex')
          FROM generate_series(1, $rows) g" \
    -c "VACUUM ANALYZE" >/dev/null
dbsize=$("${psql[@]}" -d lb_zbench -At -c "SELECT pg_database_size('lb_zbench')")
echo "database size: $((dbsize / 1024 / 1024)) MiB"

home="$work/home"
"$ctl" --home "$home" storage add local --local "$work/store" >/dev/null 2>&1
"$ctl" --home "$home" profile add bench --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_zbench" >/dev/null 2>&1

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
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -a t_dump s_dump
declare -A t_ctl s_ctl rss
for i in $(seq 1 "$rounds"); do
    rm -f "$work/bare.dump"
    s=$(now); "$PG_BIN/pg_dump" -Fc -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_zbench -f "$work/bare.dump"; e=$(now)
    t_dump+=("$(echo "$e - $s" | bc)")
    s_dump+=("$(stat -c %s "$work/bare.dump")")
    line="round $i: pg_dump -Fc ${t_dump[-1]} s ($((s_dump[-1] / 1048576)) MiB)"
    for spec in $specs; do
        rm -rf "$work/store"
        s=$(now); r=$(peak_rss_kb "$ctl" --home "$home" backup bench --storage local --compress "$spec" 3>&1 >/dev/null 2>/dev/null); e=$(now)
        f=$(find "$work/store" -name '*.dump.zst' | head -1)
        t_ctl[$spec]="${t_ctl[$spec]:-} $(echo "$e - $s" | bc)"
        s_ctl[$spec]=$(stat -c %s "$f")
        [ "$r" -gt "${rss[$spec]:-0}" ] && rss[$spec]=$r
        line="$line, $spec $(echo "$e - $s" | bc) s ($((s_ctl[$spec] / 1048576)) MiB, $((r / 1024)) MiB RSS)"
    done
    echo "$line"
done
md=$(med "${t_dump[@]}")
echo
echo "load at end of backup rounds: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | median wall | ratio | size | size ratio | peak RSS |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| bare \`pg_dump -Fc -f FILE\` | ${md} s | 1 | $((s_dump[-1] / 1048576)) MiB | 1 | — |"
for spec in $specs; do
    # shellcheck disable=SC2086
    m=$(med ${t_ctl[$spec]})
    echo "| \`lifeboatctl backup --compress $spec\` → local | ${m} s | $(echo "scale=3; $m / $md" | bc) | $((s_ctl[$spec] / 1048576)) MiB | $(echo "scale=3; ${s_ctl[$spec]} / ${s_dump[-1]}" | bc) | $((rss[$spec] / 1024)) MiB |"
done

# CPU split of one default run: the server's backends are children of the postmaster (their CPU lands in its
# cutime/cstime when they exit); /usr/bin/time gives lifeboatctl plus its waited-for child pg_dump; pg_dump -Z0
# alone (to /dev/null, the same work) is timed separately and subtracted.
tick=$(getconf CLK_TCK)
pm=$(head -1 "$PG_BASE/data/postmaster.pid")
# A backend's CPU reaches the postmaster's counters when it is reaped, a moment after the client is done.
server_cpu() { sleep 2; awk -v t="$tick" '{print ($16 + $17) / t}' "/proc/$pm/stat"; }
a=$(server_cpu)
/usr/bin/time -f "%U %S" -o "$work/pgdump.cpu" "$PG_BIN/pg_dump" -Fc -Z0 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_zbench >/dev/null
b=$(server_cpu)
rm -rf "$work/store"
/usr/bin/time -f "%U %S %e" -o "$work/ctl.cpu" "$ctl" --home "$home" backup bench --storage local >/dev/null 2>&1
c=$(server_cpu)
read -r pu ps <"$work/pgdump.cpu"
read -r cu cs ce <"$work/ctl.cpu"
pgdump=$(echo "$pu + $ps" | bc)
total=$(echo "$cu + $cs" | bc)
echo
echo "CPU split of one default backup (wall $ce s): server $(echo "$c - $b" | bc) s, pg_dump -Z0 ≈ $pgdump s," \
    "Lifeboat (read, zstd, SHA-256, write) ≈ $(echo "$total - $pgdump" | bc) s (lifeboatctl + pg_dump: $total s);" \
    "server for a bare pg_dump -Z0: $(echo "$b - $a" | bc) s"

# Restore from local disk: lifeboatctl restore of the default artifact vs bare pg_restore of the bare dump.
f=$(find "$work/store" -name '*.dump.zst' | head -1)
"${psql[@]}" -d postgres -c "CREATE DATABASE lb_zbench_r1" >/dev/null
s=$(now); "$PG_BIN/pg_restore" --no-owner -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_zbench_r1 "$work/bare.dump"; e=$(now)
t_bare=$(echo "$e - $s" | bc)
s=$(now); "$ctl" --home "$home" restore "$f" --target bench --target-db lb_zbench_r2 --create >/dev/null 2>&1; e=$(now)
t_lb=$(echo "$e - $s" | bc)
q="SELECT md5(string_agg(md5(o::text), '' ORDER BY id)) FROM orders o"
same=$([ "$("${psql[@]}" -d lb_zbench_r1 -At -c "$q")" = "$("${psql[@]}" -d lb_zbench_r2 -At -c "$q")" ] && echo yes || echo NO)
echo "restore: bare pg_restore -d DB FILE ${t_bare} s, lifeboatctl restore ${t_lb} s, ratio $(echo "scale=3; $t_lb / $t_bare" | bc), same contents: $same"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
