#!/usr/bin/env bash
# Issue 16: `lifeboatctl restore` without --jobs runs a parallel pg_restore (2 jobs) for a whole restore of an
# unencrypted .dump.zst with two or more tables' data — the archive decompressed once into the private scratch
# directory during the checks — and gives the same rows; `--jobs 1` still streams into one pg_restore, as do a
# one-table archive and an encrypted one (no plaintext written to disk unasked). Real PostgreSQL fixture, real tools.
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
# shellcheck disable=SC1091
. "$fixdir/pg.env"
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres)
work=$(mktemp -d /tmp/lifeboat-rjobs.XXXXXX)
cleanup() {
    for d in $("${psql[@]}" -d postgres -At -c "SELECT datname FROM pg_database WHERE datname LIKE 'lb\_rjobs\_%'"); do
        "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export TMPDIR=$work/tmp && mkdir -p "$TMPDIR"

# Several tables with indexes and a foreign key (what pg_restore --jobs runs side by side), and a one-table database.
"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_rjobs_src" -c "CREATE DATABASE lb_rjobs_src" \
    -c "DROP DATABASE IF EXISTS lb_rjobs_one" -c "CREATE DATABASE lb_rjobs_one" >/dev/null
"${psql[@]}" -d lb_rjobs_src \
    -c "CREATE TABLE customers (id int PRIMARY KEY, name text)" \
    -c "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 5000) g" \
    -c "CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, amount numeric(12,2),
            note text, blob bytea)" \
    -c "INSERT INTO orders SELECT g, 1 + g % 5000, g * 0.37, 'order ' || g || ' ' || md5(g::text),
            decode(md5(random()::text), 'hex') FROM generate_series(1, 60000) g" \
    -c "CREATE INDEX orders_customer ON orders (customer)" \
    -c "CREATE TABLE events (id serial PRIMARY KEY, at timestamptz, what text)" \
    -c "INSERT INTO events (at, what) SELECT now() - g * interval '1 minute', repeat('event ' || g, 3)
            FROM generate_series(1, 20000) g" >/dev/null
"${psql[@]}" -d lb_rjobs_one -c "CREATE TABLE t AS SELECT g AS id, 'row ' || g AS body FROM generate_series(1, 30000) g" >/dev/null
digest() {
    "${psql[@]}" -d "$1" -At -c "SELECT coalesce(md5(string_agg(x, '|' ORDER BY x)), 'empty') FROM (
        SELECT 'c' || md5(string_agg(c::text, ',' ORDER BY id)) AS x FROM customers c
        UNION ALL SELECT 'o' || md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o
        UNION ALL SELECT 'e' || md5(string_agg(e::text, ',' ORDER BY id)) FROM events e) s" 2>/dev/null || echo missing
}
want=$(digest lb_rjobs_src)
[ "$want" != missing ] || fail "source digest"

home="$work/home"
lb() { "$ctl" --home "$home" "$@"; }
lb storage add local --local "$work/store" >/dev/null
lb profile add rj --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_rjobs_src" --storage local >/dev/null
lb profile add one --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_rjobs_one" --storage local >/dev/null
lb keygen --out "$work/key.txt" >"$work/keygen.out" 2>&1
recipient=$(grep -o 'age1[0-9a-z]*' "$work/keygen.out" | head -1 || true)
[ -n "$recipient" ] || fail "keygen printed no recipient"
id=$(lb backup rj)
enc_id=$(lb backup rj --recipient "$recipient")
one_id=$(lb backup one)
file=$(lb --json show "$id" | python3 -c 'import json,sys; r=json.load(sys.stdin); r=r.get("backup", r); print([l["path"] for l in r["locations"] if l["kind"]=="local"][0])')
[[ "$file" == *.dump.zst ]] || fail "backup $id is $file, not a .dump.zst"
[ -n "$file" ] && [ -f "$file.manifest.json" ] || fail "no .dump.zst with its manifest in the store"

json_jobs() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("jobs", "none"), "|", d.get("jobsChoice", ""))' "$1"; }
no_scratch() { [ -z "$(find "$TMPDIR" -mindepth 1 -maxdepth 1 2>/dev/null)" ] || fail "$1: scratch left behind: $(ls "$TMPDIR")"; }
n=0
# restore NAME ARGS...: runs `lifeboatctl --json restore ARGS --create --verbose` into a new database ($db), JSON in
# $work/NAME.json, the log in $work/NAME.log.
restore() {
    local name=$1; shift
    n=$((n + 1)); db="lb_rjobs_r$n"
    lb --json restore "$@" --target rj --target-db "$db" --create --verbose >"$work/$name.json" 2>"$work/$name.log" ||
        { cat "$work/$name.log"; fail "$name: lifeboatctl restore failed"; }
}

# 1. The default: two parallel pg_restore jobs from a decompressed scratch copy, the same rows, scratch removed.
restore default "$id"
read -r jobs _ choice < <(json_jobs "$work/default.json")
[ "$jobs" = 2 ] || fail "default restore of a .dump.zst: jobs $jobs, not 2 ($choice)"
grep -q -- "--jobs 2" <<<"$choice" || fail "default: jobsChoice '$choice'"
grep -q "decompressing .* into a private temporary file" "$work/default.log" || fail "default: no decompressed copy in the log"
grep -q "pg_restore: entering main parallel loop" "$work/default.log" || fail "default: pg_restore did not run in parallel"
# The copy is written with the checks, before the database is created.
dline=$(grep -n "decompressing" "$work/default.log" | head -1 | cut -d: -f1)
cline=$(grep -n "created database" "$work/default.log" | head -1 | cut -d: -f1)
[ "$dline" -lt "$cline" ] || fail "default: the scratch copy was written after the database was created"
[ "$(digest "$db")" = "$want" ] || fail "default: restored contents differ"
no_scratch default
echo "ok: default restore of a .dump.zst runs pg_restore --jobs 2, same rows"

# 2. A file given by path (its manifest beside it) gets the same.
restore byfile "$file"
read -r jobs _ choice < <(json_jobs "$work/byfile.json")
[ "$jobs" = 2 ] || fail "restore of $file: jobs $jobs ($choice)"
grep -q "pg_restore: entering main parallel loop" "$work/byfile.log" || fail "byfile: not parallel"
[ "$(digest "$db")" = "$want" ] || fail "byfile: restored contents differ"
no_scratch byfile
echo "ok: restore of FILE.dump.zst runs pg_restore --jobs 2, same rows"

# 3. --jobs 1 streams, as before: no decompressed copy, no parallel loop, same rows.
restore one-job "$id" --jobs 1
read -r jobs _ choice < <(json_jobs "$work/one-job.json")
[ "$jobs" = none ] || fail "--jobs 1: Lifeboat chose jobs $jobs"
! grep -q "decompressing\|entering main parallel loop" "$work/one-job.log" || fail "--jobs 1 did not stream"
grep -q "pg_restore: processing data for table \"public.orders\"" "$work/one-job.log" || fail "--jobs 1: no pg_restore log"
[ "$(digest "$db")" = "$want" ] || fail "--jobs 1: restored contents differ"
echo "ok: --jobs 1 streams into one pg_restore, same rows"

# 4. An encrypted .dump.zst.age streams (its plaintext is not written to disk unless --jobs asks).
restore encrypted "$enc_id" --identity "$work/key.txt"
read -r jobs _ choice < <(json_jobs "$work/encrypted.json")
[ "$jobs" = 1 ] || fail "encrypted: jobs $jobs ($choice)"
grep -q "encrypted" <<<"$choice" || fail "encrypted: jobsChoice '$choice'"
! grep -q "decrypting\|decompressing\|entering main parallel loop" "$work/encrypted.log" || fail "encrypted: not streamed"
[ "$(digest "$db")" = "$want" ] || fail "encrypted: restored contents differ"
echo "ok: an encrypted .dump.zst.age streams"

# 5. One table's data: nothing to run side by side, so it streams.
n=$((n + 1)); db="lb_rjobs_r$n"
lb --json restore "$one_id" --target one --target-db "$db" --create --verbose >"$work/onetable.json" 2>"$work/onetable.log" ||
    { cat "$work/onetable.log"; fail "onetable: restore failed"; }
read -r jobs _ choice < <(json_jobs "$work/onetable.json")
[ "$jobs" = 1 ] || fail "one table: jobs $jobs ($choice)"
! grep -q "decompressing\|entering main parallel loop" "$work/onetable.log" || fail "one table: not streamed"
[ "$("${psql[@]}" -d "$db" -At -c "SELECT count(*), sum(id) FROM t")" = "30000|450015000" ] || fail "one table: rows differ"
echo "ok: a one-table .dump.zst streams"

# 6. A dry run says what it would do, and leaves no scratch behind.
n=$((n + 1)); db="lb_rjobs_r$n"
lb --json restore "$id" --target rj --target-db "$db" --create --dry-run --verbose >"$work/dry.json" 2>"$work/dry.log" ||
    { cat "$work/dry.log"; fail "dry run failed"; }
read -r jobs _ choice < <(json_jobs "$work/dry.json")
[ "$jobs" = 2 ] || fail "dry run: jobs $jobs ($choice)"
no_scratch dry-run
echo "ok: a dry run reports jobs 2"

# 7. A restore a check refuses (the target database exists, nothing typed to confirm) stops before the copy: a
# refusal must not first decompress the whole archive.
rc=0
lb --json restore "$id" --target rj --target-db lb_rjobs_src --verbose >"$work/refused.json" 2>"$work/refused.log" || rc=$?
[ "$rc" -ne 0 ] || fail "refused: restore over the existing source database without confirmation succeeded"
! grep -q "decompressing" "$work/refused.log" || fail "refused: the archive was decompressed before the refusal"
[ "$(digest lb_rjobs_src)" = "$want" ] || fail "refused: the source database changed"
no_scratch refused
echo "ok: a refused restore writes no decompressed copy"
echo "PASS"
