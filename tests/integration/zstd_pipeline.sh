#!/usr/bin/env bash
# Issue 16: database backups compressed by Lifeboat with zstd, end to end against the real PostgreSQL fixture.
# Each format (custom, plain, directory) x encryption (none, age): the artifact name (.dump.zst, .sql.zst, .tar.zst,
# + .age), the manifest's compression, `lifeboatctl restore` into a new database with the same contents. The
# unencrypted artifacts also restore with the stock tools only (`zstd -d | pg_restore`, `| psql`, `| tar -x` then
# `pg_restore -j`), as the runbook promises. Then: --jobs and --tables restores of a .dump.zst (decompressed once
# into scratch), verify, download (stored form kept), catalog rebuild, legacy .dump / .sql.gz artifacts, and a
# truncated .dump.zst refused before the target is touched.
set -euo pipefail
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
command -v zstd >/dev/null || { echo "zstd CLI not installed (installer/dev.sh installs it)"; exit 1; }
# shellcheck disable=SC1091
. "$fixdir/pg.env"
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres)
work=$(mktemp -d /tmp/lifeboat-zstd.XXXXXX)
cleanup() {
    for d in $("${psql[@]}" -d postgres -At -c "SELECT datname FROM pg_database WHERE datname LIKE 'lb\_zstd\_%'"); do
        "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export TMPDIR=$work/tmp && mkdir -p "$TMPDIR"

"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS lb_zstd_src" -c "CREATE DATABASE lb_zstd_src" >/dev/null
# Compressible text and numbers, some incompressible bytes, a second table for --tables.
"${psql[@]}" -d lb_zstd_src \
    -c "CREATE TABLE items (id int PRIMARY KEY, label text, amount numeric(12,2), blob bytea)" \
    -c "INSERT INTO items SELECT g, 'item ' || (g % 97) || ' ' || md5(g::text), g * 1.25,
            decode(md5(random()::text) || md5(random()::text), 'hex') FROM generate_series(1, 20000) g" \
    -c "CREATE TABLE notes (id serial PRIMARY KEY, body text)" \
    -c "INSERT INTO notes (body) SELECT repeat('note ' || g, 5) FROM generate_series(1, 3000) g" >/dev/null
digest() { # content digest of a database's two tables
    "${psql[@]}" -d "$1" -At -c "SELECT (SELECT md5(string_agg(i::text, ',' ORDER BY id)) FROM items i)
        || '/' || (SELECT md5(string_agg(n::text, ',' ORDER BY id)) FROM notes n)" 2>/dev/null || echo missing
}
want=$(digest lb_zstd_src)

home="$work/home"
store="$work/store"
lb() { "$ctl" --home "$home" "$@"; }
lb storage add local --local "$store" >/dev/null
lb profile add zt --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_zstd_src" --storage local >/dev/null
lb keygen --out "$work/key.txt" >"$work/keygen.out" 2>&1
recipient=$(grep -o 'age1[0-9a-z]*' "$work/keygen.out" | head -1 || true)
[ -n "$recipient" ] || fail "keygen printed no recipient"

n=0
newdb() { n=$((n + 1)); db="lb_zstd_r$n"; } # sets $db (no subshell: the counter must persist)
artifact_of() { # path of backup ID's local copy
    lb --json show "$1" | python3 -c 'import json,sys; r=json.load(sys.stdin); r=r.get("backup", r); print([l["path"] for l in r["locations"] if l["kind"]=="local"][0])'
}
manifest_compression() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["compression"])' "$1.manifest.json"; }

declare -A ext=([custom]=dump.zst [plain]=sql.zst [directory]=tar.zst)
for fmt in custom plain directory; do
    for enc in no yes; do
        args=(backup zt --format "$fmt")
        [ "$fmt" = directory ] && args+=(--jobs 2)
        [ "$enc" = yes ] && args+=(--recipient "$recipient")
        id=$(lb "${args[@]}")
        file=$(artifact_of "$id")
        suffix=".${ext[$fmt]}"
        [ "$enc" = yes ] && suffix="$suffix.age"
        [[ "$file" == *"$suffix" ]] || fail "$fmt/$enc: artifact $file does not end in $suffix"
        comp=$(manifest_compression "$file")
        [[ "$comp" == zstd:* ]] || fail "$fmt/$enc: manifest compression is '$comp', not zstd:L"
        if [ "$enc" = no ]; then
            [ "$(head -c4 "$file" | od -An -tx1 | tr -d ' ')" = 28b52ffd ] || fail "$fmt: $file is not a zstd frame"
        fi
        newdb
        rargs=(restore "$id" --target zt --target-db "$db" --create)
        [ "$enc" = yes ] && rargs+=(--identity "$work/key.txt")
        lb "${rargs[@]}" >"$work/restore.log" 2>&1 || { cat "$work/restore.log"; fail "$fmt/$enc: lifeboatctl restore failed"; }
        [ "$(digest "$db")" = "$want" ] || fail "$fmt/$enc: restored contents differ"
        echo "ok: $fmt encrypted=$enc -> $(basename "$file") ($comp), restored"

        if [ "$enc" = no ]; then
            # The stock tools alone, as in the runbook.
            newdb
            "${psql[@]}" -d postgres -c "CREATE DATABASE $db" >/dev/null
            case "$fmt" in
                custom) zstd -q -d <"$file" | "$PG_BIN/pg_restore" --no-owner -h "$PG_HOST" -p "$PG_PORT" -U postgres -d "$db" ;;
                plain) zstd -q -d <"$file" | "${psql[@]}" -d "$db" >/dev/null ;;
                directory)
                    mkdir -p "$work/dir.$db"
                    zstd -q -d <"$file" | tar -x -C "$work/dir.$db"
                    "$PG_BIN/pg_restore" --no-owner -j 2 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d "$db" "$work/dir.$db" ;;
            esac
            [ "$(digest "$db")" = "$want" ] || fail "$fmt: stock zstd -d | restore gives other contents"
            echo "ok: $fmt restored with stock zstd + PostgreSQL tools"
        fi
        [ "$fmt/$enc" = custom/no ] && custom_id=$id && custom_file=$file
        [ "$fmt/$enc" = plain/yes ] && plain_enc_id=$id
    done
done

# A .dump.zst that pg_restore must seek: decompressed once into scratch for --jobs and for --tables.
newdb
lb restore "$custom_id" --target zt --target-db "$db" --create --jobs 2 >"$work/r.log" 2>&1 || { cat "$work/r.log"; fail "--jobs restore failed"; }
[ "$(digest "$db")" = "$want" ] || fail "--jobs restore contents differ"
newdb
lb restore "$custom_id" --target zt --target-db "$db" --create --tables public.notes >"$work/r.log" 2>&1 || { cat "$work/r.log"; fail "--tables restore failed"; }
got=$("${psql[@]}" -d "$db" -At -c "SELECT to_regclass('public.items') IS NULL, (SELECT md5(string_agg(n::text, ',' ORDER BY id)) FROM notes n)")
[ "$got" = "t|${want#*/}" ] || fail "--tables restore: expected only notes, got $got"
echo "ok: --jobs and --tables restores of a .dump.zst"
[ -z "$(find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'lifeboat-restore-*' 2>/dev/null)" ] || fail "restore scratch left behind"

# Verify reads the new artifacts (custom, and an encrypted plain script).
lb verify "$custom_id" --target zt >"$work/v.log" 2>&1 || { cat "$work/v.log"; fail "verify of .dump.zst failed"; }
lb verify "$plain_enc_id" --target zt --identity "$work/key.txt" >"$work/v.log" 2>&1 || { cat "$work/v.log"; fail "verify of .sql.zst.age failed"; }
echo "ok: verify"

# Download keeps the stored form (the .zst bytes, same SHA-256).
mkdir -p "$work/dl"
lb download "$custom_id" --to "$work/dl" >/dev/null 2>&1 || fail "download failed"
cmp "$work/dl/$(basename "$custom_file")" "$custom_file" || fail "downloaded copy differs from the stored .dump.zst"
echo "ok: download keeps $(basename "$custom_file")"

# Catalog rebuild from the storage: a fresh catalog learns the .zst backups and restores one of them.
home2="$work/home2"
"$ctl" --home "$home2" storage add local --local "$store" >/dev/null
"$ctl" --home "$home2" profile add zt --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=lb_zstd_src" >/dev/null
"$ctl" --home "$home2" catalog rebuild local >/dev/null 2>&1 || fail "catalog rebuild failed"
rid=$("$ctl" --home "$home2" --json list | python3 -c '
import json,sys
d=json.load(sys.stdin); rows=d.get("backups", d) if isinstance(d, dict) else d
print([r["id"] for r in rows if r["filename"].endswith(".dump.zst")][0])')
newdb
"$ctl" --home "$home2" restore "$rid" --target zt --target-db "$db" --create >"$work/r.log" 2>&1 || { cat "$work/r.log"; fail "restore after catalog rebuild failed"; }
[ "$(digest "$db")" = "$want" ] || fail "restore after rebuild: contents differ"
echo "ok: catalog rebuild + restore"

# Artifacts of the classic kinds still back up and restore: pg_dump's gzip (.dump) and Lifeboat's plain gzip.
for spec in "custom pg:gzip dump" "plain gzip:6 sql.gz" "custom none dump"; do
    set -- $spec
    id=$(lb backup zt --format "$1" --compress "$2")
    file=$(artifact_of "$id")
    [[ "$file" == *".$3" ]] || fail "--compress $2: artifact $file does not end in .$3"
    newdb
    lb restore "$id" --target zt --target-db "$db" --create >"$work/r.log" 2>&1 || { cat "$work/r.log"; fail "restore of .$3 failed"; }
    [ "$(digest "$db")" = "$want" ] || fail ".$3 restore contents differ"
    echo "ok: --format $1 --compress $2 -> .$3, restored"
done

# pg_dump 15 has no zstd of its own: pg:zstd is refused with a clear error, nothing written.
if [ "$("$PG_BIN/pg_dump" --version | awk '{print int($3)}')" -lt 16 ]; then
    if lb backup zt --compress pg:zstd >"$work/e.log" 2>&1; then fail "pg:zstd accepted by pg_dump < 16"; fi
    grep -q "pg_dump 16" "$work/e.log" || { cat "$work/e.log"; fail "pg:zstd refusal does not name pg_dump 16"; }
    echo "ok: pg:zstd refused on pg_dump < 16"
fi

# A truncated .dump.zst (a file without manifest: no checksum to catch it) is refused before the target is touched.
head -c $(( $(stat -c %s "$custom_file") / 2 )) "$custom_file" >"$work/cut.dump.zst"
newdb
if lb restore "$work/cut.dump.zst" --target zt --target-db "$db" --create >"$work/r.log" 2>&1; then
    fail "a truncated .dump.zst restored"
fi
grep -qi "truncated\|damaged" "$work/r.log" || { cat "$work/r.log"; fail "truncation not named"; }
[ "$("${psql[@]}" -d postgres -At -c "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ] \
    || fail "the truncated archive left database $db behind"
echo "ok: truncated .dump.zst refused"
echo "all zstd pipeline checks passed"
