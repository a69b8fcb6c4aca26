#!/usr/bin/env bash
# Issue 17: the cost `lifeboatctl wal push` adds per WAL segment as PostgreSQL's archive_command — process start,
# catalog open, start-up recovery, zstd, hashing, the store and the catalog row — for one 16 MiB segment of
# realistic content (a real server's WAL where one is at hand, else half text, half random) into a local storage and
# into the S3 fixture. Each run pushes a new segment name, as the archiver does. Prints p50/p90/p99/max per target.
# usage (via ctest -L bench -R bench_wal_push -V): RUNS=40 wal_push_bench.sh
set -euo pipefail
ctl=${LIFEBOAT_CTL:?}
fix=${LIFEBOAT_FIXTURE_DIR:?}
runs=${RUNS:-40}
# shellcheck disable=SC1090
source <(sed 's/^/export /' "$fix/s3.env")
work=$(mktemp -d /tmp/lifeboat-walbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
home=$work/home
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
"$ctl" --home "$home" storage add disk --local "$work/local" >/dev/null 2>&1
"$ctl" --home "$home" storage add bucket --s3 --endpoint "$S3_ENDPOINT" --bucket "$S3_BUCKET" --path-style \
    --prefix "walbench$$" >/dev/null 2>&1
"$ctl" --home "$home" profile add onlylocal --conninfo "host=127.0.0.1 dbname=x" --storage disk >/dev/null 2>&1
"$ctl" --home "$home" profile add onlys3 --conninfo "host=127.0.0.1 dbname=x" --storage bucket >/dev/null 2>&1

seg=$work/segment
python3 - "$seg" <<'PY'
import os, sys, random
random.seed(17)
size = 16 * 1024 * 1024
words = [b"INSERT", b"UPDATE", b"heap", b"btree", b"commit", b"0000", b"lifeboat", b"\x00\x00\x00\x00"]
out = bytearray()
while len(out) < size // 2:
    out += random.choice(words) + random.randbytes(random.randint(0, 12))
out = out[: size // 2] + os.urandom(size // 4) + bytes(size // 4)
open(sys.argv[1], "wb").write(out)
PY
echo "segment: 16 MiB, zstd -3 ratio $(zstd -3 -c "$seg" | wc -c | awk '{printf "%.2f", $1/16777216}')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

for profile in onlylocal onlys3; do
    times=()
    for i in $(seq 1 "$runs"); do
        name=$(printf '0000000100000001%08X' "$i")
        cp "$seg" "$work/$name"
        start=$(date +%s%N)
        "$ctl" --home "$home" wal push "$profile" "$work/$name"
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
        rm -f "$work/$name"
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v p="$profile" -v n="$runs" '
        { a[NR] = $1 }
        END { printf "%s: %d runs, p50 %d ms, p90 %d ms, p99 %d ms, max %d ms\n", p, n,
              a[int(n*0.5+0.5)], a[int(n*0.9+0.5)], a[(int(n*0.99+0.5) > n ? n : int(n*0.99+0.5))], a[n] }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
