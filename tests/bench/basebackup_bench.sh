#!/usr/bin/env bash
# Benchmark (label bench): `lifeboatctl basebackup` (zstd, SHA-256, manifest, catalog) against bare
# `pg_basebackup -Ft -D DIR` (uncompressed tar files) of the same throwaway cluster (>= 1 GB: random bytea, poorly
# compressible, plus a compressible table), alternating runs so machine noise hits both alike. Targets: local disk,
# and local + the S3 fixture. Prints wall times, ratios (issue 17's target: <= 1.0x bare), sizes and the load average
# as a Markdown table for docs/performance.md. A third row times the S3 test server alone: curl PUTs the artifact
# Lifeboat just stored (the same ~1 GB, SigV4, UNSIGNED-PAYLOAD, one request) into the same bucket, so the local + S3
# row can be read against what s3rver on this machine can ingest at all. A fourth sends it as a multipart upload
# (12 MiB parts, four at a time: how a backup of unknown size must stream), what s3rver takes from any streaming client.
set -euo pipefail
shopt -s inherit_errexit # a failed run inside $(…) stops the bench instead of timing a failure
fixdir=${LIFEBOAT_FIXTURE_DIR:?}
ctl=${LIFEBOAT_CTL:?}
size_mb=${LIFEBOAT_BENCH_DB_MB:-1100}
rounds=${LIFEBOAT_BENCH_ROUNDS:-2}
pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
work=$(mktemp -d /tmp/lifeboat-bbbench.XXXXXX)
chmod 755 "$work"
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"
port=$(( 20000 + RANDOM % 30000 ))
# The bench's objects (several GB over the rounds) leave the fixture's bucket with it (layout: tests/support/s3_fixture.sh).
cleanup() {
    as_owner "$pgbin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
    if [ -n "${S3_DATA_DIR:-}" ] && [ -n "${S3_BUCKET:-}" ]; then rm -rf "$S3_DATA_DIR/$S3_BUCKET/bbbench-$$"; fi
}
trap cleanup EXIT
# A copy of its own: a rebuild of the shared build tree during the bench must not swap the binary between runs.
cp "$ctl" "$work/lifeboatctl"
ctl=$work/lifeboatctl
as_owner "$pgbin/initdb" -D "$work/data" -U postgres -A trust >/dev/null
as_owner "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
psql=("$pgbin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres)

echo "== generating ~${size_mb} MB (random bytea, 8 KB rows, and a compressible table)"
rows=$(( size_mb * 1024 / 8 ))
"${psql[@]}" -c "CREATE TABLE blobs (id int, payload bytea)" \
    -c "ALTER TABLE blobs ALTER COLUMN payload SET STORAGE EXTERNAL" \
    -c "INSERT INTO blobs SELECT g, (SELECT string_agg(decode(md5(random()::text || g || k), 'hex'), '') FROM generate_series(1, 512) k) FROM generate_series(1, $rows) g" \
    -c "CREATE TABLE events AS SELECT g AS id, now() - g * interval '1 second' AS at, md5(g::text) AS tag FROM generate_series(1, 2000000) g" \
    -c "CHECKPOINT" >/dev/null
size=$("${psql[@]}" -At -c "SELECT sum(pg_database_size(oid)) FROM pg_database")
echo "cluster size: $((size / 1024 / 1024)) MiB"

home="$work/home"
"$ctl" --home "$home" storage add local --local "$work/store" >/dev/null 2>&1
# shellcheck disable=SC1091
. "$fixdir/s3.env"
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
"$ctl" --home "$home" storage add s3 --s3 --endpoint "$S3_ENDPOINT" --bucket "$S3_BUCKET" --path-style \
    --prefix "bbbench-$$" >/dev/null 2>&1
"$ctl" --home "$home" profile add bench --conninfo "host=127.0.0.1 port=$port user=postgres dbname=postgres" \
    --storage local >/dev/null 2>&1

now() { date +%s.%N; }
declare -A total
bare() {
    rm -rf "$work/bare"
    local t0; t0=$(now)
    "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -Ft -D "$work/bare" >/dev/null
    echo "$(now) - $t0" | bc
}
lb() {
    local t0; t0=$(now)
    "$ctl" --home "$home" basebackup bench "$@" >/dev/null
    echo "$(now) - $t0" | bc
}
put() {
    local t0; t0=$(now)
    curl -sS --fail -o /dev/null -T "$1" --aws-sigv4 "aws:amz:${S3_REGION:-us-east-1}:s3" \
        --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
        "$S3_ENDPOINT/$S3_BUCKET/bbbench-$$/curl-put-$2"
    echo "$(now) - $t0" | bc
}
# The same artifact as a multipart upload, the only way to stream an object whose size is not known in advance (as
# Lifeboat must): 12 MiB parts, four at a time, as S3Store sends them. The parts are cut before the clock starts.
putmp() {
    local parts="$work/parts" url="$S3_ENDPOINT/$S3_BUCKET/bbbench-$$/curl-multipart-$2" id t0
    rm -rf "$parts"; mkdir "$parts"
    split -b 12M -d -a 4 "$1" "$parts/p"
    local c=(curl -sS --fail --aws-sigv4 "aws:amz:${S3_REGION:-us-east-1}:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY"
        -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
    t0=$(now)
    id=$("${c[@]}" -X POST "$url?uploads=" | sed -n 's:.*<UploadId>\(.*\)</UploadId>.*:\1:p')
    # shellcheck disable=SC2016 # expanded by the inner shell, one per part: $1 = part number, $2 = file
    (cd "$parts" && ls p* | awk '{print NR, $0}' | URL=$url ID=$id REGION=${S3_REGION:-us-east-1} \
        xargs -P4 -n2 sh -c 'etag=$(curl -sS --fail --aws-sigv4 "aws:amz:$REGION:s3" \
            --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$2" \
            -D - -o /dev/null "$URL?partNumber=$1&uploadId=$ID" | tr -d "\r" | sed -n "s/^[Ee][Tt]ag: //p")
            [ -n "$etag" ] && echo "$1 $etag" >"etag.$1"' _) || true
    [ "$(ls "$parts"/etag.* | wc -l)" = "$(ls "$parts"/p* | wc -l)" ] || { echo "multipart: a part failed" >&2; exit 1; }
    local xml="<CompleteMultipartUpload>" n t
    for n in $(seq 1 "$(ls "$parts"/p* | wc -l)"); do
        read -r n t <"$parts/etag.$n"; xml+="<Part><PartNumber>$n</PartNumber><ETag>$t</ETag></Part>"
    done
    "${c[@]}" -X POST --data-binary "$xml</CompleteMultipartUpload>" -o /dev/null "$url?uploadId=$id"
    echo "$(now) - $t0" | bc
    rm -rf "$parts"
}
for r in $(seq 1 "$rounds"); do
    b=$(bare); l=$(lb --storage local); ls3=$(lb --storage local --storage s3)
    p=$(put "$(find "$work/store" -name '*.tar.zst' | head -1)" "$r")
    pm=$(putmp "$(find "$work/store" -name '*.tar.zst' | head -1)" "$r")
    echo "round $r: bare ${b}s, lifeboat local ${l}s, lifeboat local+s3 ${ls3}s, curl PUT to s3rver ${p}s," \
        "curl multipart upload to s3rver ${pm}s (load $(cut -d' ' -f1-3 /proc/loadavg))"
    total[putmp]=$(echo "${total[putmp]:-0} + $pm" | bc)
    total[bare]=$(echo "${total[bare]:-0} + $b" | bc)
    total[local]=$(echo "${total[local]:-0} + $l" | bc)
    total[s3]=$(echo "${total[s3]:-0} + $ls3" | bc)
    total[put]=$(echo "${total[put]:-0} + $p" | bc)
done
baresize=$(du -sb "$work/bare" | cut -f1)
lbsize=$(find "$work/store" -name '*.tar.zst' -printf '%s\n' | head -1)
echo
echo "| target | bare pg_basebackup -Ft (s) | lifeboatctl basebackup (s) | ratio | stored size vs bare |"
echo "| --- | --- | --- | --- | --- |"
for t in local s3 put putmp; do
    ratio=$(echo "scale=2; ${total[$t]} / ${total[bare]}" | bc)
    case $t in
        local) name="local disk" ;;
        s3) name="local + S3 (s3rver on loopback)" ;;
        put) name="S3 test server alone: curl PUT of the stored artifact" ;;
        putmp) name="S3 test server alone: curl multipart upload of it (12 MiB parts, 4 at a time)" ;;
    esac
    echo "| $name | $(echo "scale=1; ${total[bare]} / $rounds" | bc) | $(echo "scale=1; ${total[$t]} / $rounds" | bc) | ${ratio}x | $(echo "scale=2; $lbsize / $baresize" | bc)x |"
done
echo "cluster $((size / 1024 / 1024)) MiB, $rounds rounds, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
