#!/usr/bin/env bash
# Benchmark (label bench, issue 16): `lifeboatctl restore FILE.dump.zst --create` from local disk against bare
# `pg_restore -d DB FILE` of a bare `pg_dump -Fc -f FILE` (pg_dump's default zlib), alternating, on one generated
# database (the same mix as zstd_bench.sh). Every Lifeboat run's log is timestamped to split its wall time into
# phases: scratch copy + SHA-256, checks and table of contents, the streamed pg_restore, the row counts. Target:
# median ratio <= 0.9. The restored contents are compared once (md5 over every row).
# LIFEBOAT_BENCH_DB_MB (default 1100), LIFEBOAT_BENCH_ROUNDS (3).
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
size_mb=${LIFEBOAT_BENCH_DB_MB:-1100}
rounds=${LIFEBOAT_BENCH_ROUNDS:-3}
# shellcheck disable=SC1091
. "$fixdir/pg.env"
psql=("$PG_BIN/psql" -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres)
work=$(mktemp -d /tmp/lifeboat-zrbench.XXXXXX)
dbs="lb_zrbench lb_zrbench_bare lb_zrbench_lb"
trap 'rm -rf "$work"; for d in $dbs; do "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done' EXIT
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_zrbench" -c "CREATE DATABASE lb_zrbench" >/dev/null
rows=$(( size_mb * 1024 * 1024 / 240 ))
"${psql[@]}" -d lb_zrbench \
    -c "CREATE TABLE orders (id bigint, customer int, amount numeric(12,2), qty int, at timestamptz,
            status text, note text, ref text, blob bytea)" \
    -c "INSERT INTO orders SELECT g, g % 100003, (g % 99991) * 0.37, g % 17, now() - g * interval '7 seconds',
            (ARRAY['new','paid','shipped','returned','cancelled'])[1 + g % 5],
            'order ' || g || ' for customer ' || (g % 100003) || ' via ' || (ARRAY['web','phone','store'])[1 + g % 3]
                || ', deliver to street ' || (g % 977) || ' city ' || (g % 131) || ' ' || repeat('x', g % 40),
            md5(g::text),
            decode(md5(random()::text) || md5(random()::text), 'hex')
          FROM generate_series(1, $rows) g" \
    -c "CREATE TABLE customers AS SELECT g AS id, 'customer ' || g AS name FROM generate_series(1, 100003) g" \
    -c "ALTER TABLE customers ADD PRIMARY KEY (id)" \
    -c "VACUUM ANALYZE" >/dev/null
dbsize=$("${psql[@]}" -d lb_zrbench -At -c "SELECT pg_database_size('lb_zrbench')")
echo "database size: $((dbsize / 1024 / 1024)) MiB"

home="$work/home"
"$ctl" --home "$home" storage add local --local "$work/store" >/dev/null 2>&1
"$ctl" --home "$home" profile add bench --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_zrbench" >/dev/null 2>&1
"$PG_BIN/pg_dump" -Fc -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_zrbench -f "$work/bare.dump"
"$ctl" --home "$home" backup bench --storage local >/dev/null 2>&1
f=$(find "$work/store" -name '*.dump.zst' | head -1)
echo "bare dump $(($(stat -c %s "$work/bare.dump") / 1048576)) MiB, $(basename "$f") $(($(stat -c %s "$f") / 1048576)) MiB"

now() { date +%s.%N; }
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
stamp() { perl -MTime::HiRes=time -ne '$|=1; printf "%.3f %s", time, $_'; }
# Seconds from the first line matching $2 to the first line matching $3 in the timestamped log $1.
span() { awk -v a="$2" -v b="$3" '$0 ~ a && !s {s=$1} $0 ~ b && !e {e=$1} END {printf "%.1f", e - s}' "$1"; }

declare -a t_bare t_lb p_copy p_checks p_restore p_rows
for i in $(seq 1 "$rounds"); do
    for d in lb_zrbench_bare lb_zrbench_lb; do "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null; done
    "${psql[@]}" -d postgres -c "CREATE DATABASE lb_zrbench_bare" >/dev/null
    s=$(now); "$PG_BIN/pg_restore" --no-owner -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_zrbench_bare "$work/bare.dump"; e=$(now)
    t_bare+=("$(echo "$e - $s" | bc)")
    log="$work/restore$i.log"
    s=$(now)
    { echo "start"; "$ctl" --home "$home" restore "$f" --target bench --target-db lb_zrbench_lb --create --verbose 2>&1; echo "end"; } | stamp >"$log"
    e=$(now)
    t_lb+=("$(echo "$e - $s" | bc)")
    p_copy+=("$(span "$log" '^[0-9.]+ start' 'check ')")
    p_checks+=("$(span "$log" 'check ' 'running pg_restore')")
    p_restore+=("$(span "$log" 'running pg_restore' 'restore into .* complete')")
    p_rows+=("$(span "$log" 'restore into .* complete' '^[0-9.]+ end')")
    echo "round $i: bare pg_restore ${t_bare[-1]} s, lifeboatctl restore ${t_lb[-1]} s" \
        "(start to first check ${p_copy[-1]} s, checks ${p_checks[-1]} s, pg_restore ${p_restore[-1]} s," \
        "row counts and exit ${p_rows[-1]} s), load $(cut -d' ' -f1 /proc/loadavg)"
done
q="SELECT md5(string_agg(md5(o::text), '' ORDER BY id)) FROM orders o"
same=$([ "$("${psql[@]}" -d lb_zrbench_bare -At -c "$q")" = "$("${psql[@]}" -d lb_zrbench_lb -At -c "$q")" ] && echo yes || echo NO)
mb=$(med "${t_bare[@]}")
ml=$(med "${t_lb[@]}")
echo
echo "| run | median wall | ratio |"
echo "| --- | --- | --- |"
echo "| bare \`pg_restore -d DB FILE\` | ${mb} s | 1 |"
echo "| \`lifeboatctl restore FILE.dump.zst --create\` | ${ml} s | $(echo "scale=3; $ml / $mb" | bc) (target ≤ 0.9) |"
echo "phases (medians): start to first check $(med "${p_copy[@]}") s, checks and TOC $(med "${p_checks[@]}") s," \
    "streamed pg_restore $(med "${p_restore[@]}") s, row counts and exit $(med "${p_rows[@]}") s; same contents: $same"
echo "last Lifeboat log:"; cat "$log"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
