#!/usr/bin/env bash
# Benchmark (label bench, issue 16): `lifeboatctl restore FILE.dump.zst --create` from local disk against bare
# `pg_restore -d DB FILE` of a bare `pg_dump -Fc -f FILE` (pg_dump's default zlib, one job), alternating, on one
# generated database. Every Lifeboat run's log is timestamped to split its wall time into phases: scratch copy +
# SHA-256 (and, for a parallel restore, the decompressed copy), checks and table of contents, pg_restore, the row
# counts. Target: median ratio <= 0.9. Every Lifeboat round's contents are compared with the source (md5 over every
# row of every table).
# LIFEBOAT_BENCH_SHAPE: "mixed" (default: six tables — customers, products, orders, order items, documents with
#   incompressible bytes, events — with primary keys, secondary indexes and foreign keys, the realistic case) or
#   "onetable" (one big table of the same mix plus a small one: pg_restore's worst case, nothing to run side by side).
# LIFEBOAT_BENCH_DB_MB (default 1100), LIFEBOAT_BENCH_ROUNDS (3), LIFEBOAT_BENCH_STREAMED=1 also times
#   `lifeboatctl restore --jobs 1` (the streamed path) each round, LIFEBOAT_BENCH_PROBE=1 also times the stock tools
#   with two jobs: `pg_restore -j 2` of the bare dump (written to a file: its TOC has data offsets) and of the
#   Lifeboat artifact decompressed by `zstd -d` (pg_dump wrote it to a pipe: no offsets).
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
size_mb=${LIFEBOAT_BENCH_DB_MB:-1100}
rounds=${LIFEBOAT_BENCH_ROUNDS:-3}
shape=${LIFEBOAT_BENCH_SHAPE:-mixed}
streamed=${LIFEBOAT_BENCH_STREAMED:-0}
# shellcheck disable=SC1091
. "$fixdir/pg.env"
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres)
work=$(mktemp -d /tmp/lifeboat-zrbench.XXXXXX)
probe=${LIFEBOAT_BENCH_PROBE:-0}
dbs="lb_zrbench lb_zrbench_bare lb_zrbench_lb lb_zrbench_lb1 lb_zrbench_p"
trap 'rm -rf "$work"; for d in $dbs; do "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done' EXIT
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg); shape $shape"

"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_zrbench" -c "CREATE DATABASE lb_zrbench" >/dev/null
case "$shape" in
onetable)
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
    ;;
mixed)
    # Orders per MiB of database (tables and their indexes): 1314, from a run that got 900 MiB with 1075.
    o=$(( size_mb * 1314 ))
    c=$(( o / 20 + 1000 ))
    "${psql[@]}" -d lb_zrbench \
        -c "CREATE TABLE customers (id int PRIMARY KEY, name text, email text, city text, created date)" \
        -c "INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com',
                'city ' || (g % 131), date '2020-01-01' + g % 1500 FROM generate_series(1, $c) g" \
        -c "CREATE TABLE products (id int PRIMARY KEY, name text, price numeric(10,2), descr text)" \
        -c "INSERT INTO products SELECT g, 'product ' || g, (g % 997) * 1.13, repeat('fine product ' || g || ' ', 4)
                FROM generate_series(1, 20000) g" \
        -c "CREATE TABLE orders (id bigint PRIMARY KEY, customer int NOT NULL, at timestamptz, status text,
                amount numeric(12,2), note text)" \
        -c "INSERT INTO orders SELECT g, 1 + g % $c, now() - g * interval '7 seconds',
                (ARRAY['new','paid','shipped','returned','cancelled'])[1 + g % 5], (g % 99991) * 0.37,
                'order ' || g || ' via ' || (ARRAY['web','phone','store'])[1 + g % 3] || ', deliver to street '
                    || (g % 977) || ' city ' || (g % 131) || ' ' || repeat('x', g % 40)
              FROM generate_series(1, $o) g" \
        -c "CREATE TABLE order_items (order_id bigint NOT NULL, line int NOT NULL, product int NOT NULL,
                qty int, price numeric(10,2), PRIMARY KEY (order_id, line))" \
        -c "INSERT INTO order_items SELECT g, l, 1 + (g * l) % 20000, 1 + (g + l) % 9, ((g * l) % 997) * 1.13
              FROM generate_series(1, $o) g, generate_series(1, 3) l" \
        -c "CREATE TABLE documents (id bigint PRIMARY KEY, order_id bigint NOT NULL, title text, body bytea)" \
        -c "INSERT INTO documents SELECT g, 1 + g % $o, 'invoice ' || g || ' ' || md5(g::text),
                decode(md5(random()::text) || md5(random()::text), 'hex') FROM generate_series(1, $o) g" \
        -c "CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz, kind text, payload text)" \
        -c "INSERT INTO events (at, kind, payload) SELECT now() - g * interval '3 seconds',
                (ARRAY['login','view','cart','pay'])[1 + g % 4], '{\"n\": ' || g || ', \"s\": \"' || md5((g % 1000)::text) || '\"}'
              FROM generate_series(1, $o / 2) g" \
        -c "CREATE INDEX orders_customer ON orders (customer)" \
        -c "CREATE INDEX orders_at ON orders (at)" \
        -c "CREATE INDEX order_items_product ON order_items (product)" \
        -c "CREATE INDEX documents_order ON documents (order_id)" \
        -c "CREATE INDEX events_at ON events (at)" \
        -c "ALTER TABLE orders ADD FOREIGN KEY (customer) REFERENCES customers" \
        -c "ALTER TABLE order_items ADD FOREIGN KEY (order_id) REFERENCES orders" \
        -c "ALTER TABLE order_items ADD FOREIGN KEY (product) REFERENCES products" \
        -c "ALTER TABLE documents ADD FOREIGN KEY (order_id) REFERENCES orders" \
        -c "VACUUM ANALYZE" >/dev/null
    ;;
*) echo "LIFEBOAT_BENCH_SHAPE is mixed or onetable, not $shape" >&2; exit 2 ;;
esac
dbsize=$("${psql[@]}" -d lb_zrbench -At -c "SELECT pg_database_size('lb_zrbench')")
echo "database size: $((dbsize / 1024 / 1024)) MiB"
# md5 over every row of every user table, in a fixed order.
digest() {
    local sql
    sql=$("${psql[@]}" -d "$1" -At -c "SELECT string_agg(format('SELECT %L || md5(coalesce(string_agg(md5(t::text), %L ORDER BY md5(t::text)), %L)) FROM %I.%I t', relname, '', '', schemaname, relname), ' UNION ALL ' ORDER BY relname) FROM pg_stat_user_tables")
    "${psql[@]}" -d "$1" -At -c "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ($sql) s(x)"
}
want=$(digest lb_zrbench)

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

# lifeboat LOG DB [ARGS...]: one timed `lifeboatctl restore` of the artifact into DB with a timestamped log.
lifeboat() {
    local log=$1 db=$2; shift 2
    { echo "start"; "$ctl" --home "$home" restore "$f" --target bench --target-db "$db" --create --verbose "$@" 2>&1; echo "end"; } | stamp >"$log"
}
# stock NAME ARGS...: times `createdb` + `pg_restore --no-owner ARGS` into lb_zrbench_p (the createdb outside).
stock() {
    "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_zrbench_p" -c "CREATE DATABASE lb_zrbench_p" >/dev/null
    local s e; s=$(now)
    "$PG_BIN/pg_restore" --no-owner -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_zrbench_p "$@"; e=$(now)
    echo "$e - $s" | bc
}
[ "$probe" = 1 ] && zstd -q -d <"$f" >"$work/lifeboat.dump"
declare -a t_bare t_lb t_lb1 t_pb t_pl p_copy p_checks p_restore p_rows
same=yes
for i in $(seq 1 "$rounds"); do
    for d in lb_zrbench_bare lb_zrbench_lb lb_zrbench_lb1; do "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null; done
    "${psql[@]}" -d postgres -c "CREATE DATABASE lb_zrbench_bare" >/dev/null
    s=$(now); "$PG_BIN/pg_restore" --no-owner -h "$PG_HOST" -p "$PG_PORT" -U postgres -d lb_zrbench_bare "$work/bare.dump"; e=$(now)
    t_bare+=("$(echo "$e - $s" | bc)")
    log="$work/restore$i.log"
    s=$(now); lifeboat "$log" lb_zrbench_lb; e=$(now)
    t_lb+=("$(echo "$e - $s" | bc)")
    p_copy+=("$(span "$log" '^[0-9.]+ start' 'check ')")
    p_checks+=("$(span "$log" 'check ' 'running pg_restore')")
    p_restore+=("$(span "$log" 'running pg_restore' 'restore into .* complete')")
    p_rows+=("$(span "$log" 'restore into .* complete' '^[0-9.]+ end')")
    jobs=$(grep -o 'restore with .*' "$log" | head -1 | cut -c14-)
    extra=""
    if [ "$streamed" = 1 ]; then
        s=$(now); lifeboat "$work/streamed$i.log" lb_zrbench_lb1 --jobs 1; e=$(now)
        t_lb1+=("$(echo "$e - $s" | bc)")
        extra=", lifeboatctl restore --jobs 1 ${t_lb1[-1]} s"
    fi
    if [ "$probe" = 1 ]; then
        t_pb+=("$(stock -j 2 "$work/bare.dump")")
        t_pl+=("$(stock -j 2 "$work/lifeboat.dump")")
        extra="$extra, stock pg_restore -j 2: bare dump ${t_pb[-1]} s, zstd -d of the artifact ${t_pl[-1]} s"
    fi
    got=$(digest lb_zrbench_lb)
    [ "$got" = "$want" ] || { same=NO; echo "round $i: Lifeboat's restored contents DIFFER from the source"; }
    echo "round $i: bare pg_restore ${t_bare[-1]} s, lifeboatctl restore ${t_lb[-1]} s [$jobs]$extra" \
        "(start to first check ${p_copy[-1]} s, checks ${p_checks[-1]} s, pg_restore ${p_restore[-1]} s," \
        "row counts and exit ${p_rows[-1]} s), load $(cut -d' ' -f1 /proc/loadavg)"
done
[ "$(digest lb_zrbench_bare)" = "$want" ] || same="NO (bare)"
mb=$(med "${t_bare[@]}")
ml=$(med "${t_lb[@]}")
echo
echo "| run ($shape, $((dbsize / 1024 / 1024)) MiB) | median wall | ratio |"
echo "| --- | --- | --- |"
echo "| bare \`pg_restore -d DB FILE\` | ${mb} s | 1 |"
echo "| \`lifeboatctl restore FILE.dump.zst --create\` | ${ml} s | $(echo "scale=3; $ml / $mb" | bc) (target ≤ 0.9) |"
if [ "$streamed" = 1 ]; then
    m1=$(med "${t_lb1[@]}")
    echo "| \`lifeboatctl restore FILE.dump.zst --create --jobs 1\` (streamed) | ${m1} s | $(echo "scale=3; $m1 / $mb" | bc) |"
fi
if [ "$probe" = 1 ]; then
    echo "| stock \`pg_restore -j 2\` of the bare dump (offsets in its TOC) | $(med "${t_pb[@]}") s | $(echo "scale=3; $(med "${t_pb[@]}") / $mb" | bc) |"
    echo "| stock \`pg_restore -j 2\` of \`zstd -d\` of the artifact (no offsets) | $(med "${t_pl[@]}") s | $(echo "scale=3; $(med "${t_pl[@]}") / $mb" | bc) |"
fi
echo "phases (medians): start to first check $(med "${p_copy[@]}") s, checks and TOC $(med "${p_checks[@]}") s," \
    "pg_restore $(med "${p_restore[@]}") s, row counts and exit $(med "${p_rows[@]}") s; same contents (every round, md5 over every row of every table): $same"
echo "last Lifeboat log:"; cat "$log"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$same" = yes ]
