#!/usr/bin/env bash
# Lifeboat from a fresh Debian 12 checkout, in one command each:
#   bash installer/dev.sh run    install dependencies, build, start a sandbox PostgreSQL with sample data, open Lifeboat
#   bash installer/dev.sh test   install dependencies, build, run the test suite (everything but benchmarks)
#   bash installer/dev.sh bench  the benchmarks (label bench), results for docs/performance.md
#   bash installer/dev.sh package  build the .deb, .rpm and .tar.gz into the build directory (docs/install.md)
# Needs root or sudo for apt-get. Safe to run again: each step is skipped when already done.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
build=${LIFEBOAT_BUILD_DIR:-$here/build}
mode=${1:-}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "dev.sh: need root (or sudo) to install packages: $*" >&2; exit 3; fi; }

packages=(
    build-essential cmake ninja-build pkg-config git clang-format
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
    libqt6svg6 qt6-qpa-plugins libgl-dev qtkeychain-qt6-dev
    libpq-dev postgresql-15 postgresql-client-15
    libssl-dev zlib1g-dev libarchive-dev libzstd-dev zstd
    age redis-server xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools imagemagick
    ca-certificates curl procps bc time
    libcurl4-openssl-dev python3-aiosmtpd
    # Packaging and its tests (tests/integration/package.cmake): cpack's DEB/RPM generators, the validators, and
    # postgresql-client, which the .deb depends on (so `apt-get install ./lifeboat_*.deb` needs no download).
    python3 dpkg-dev file man-db openssl lintian desktop-file-utils appstream rpm postgresql-client
)

deps() {
    local missing=()
    for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "== installing ${#missing[@]} Debian packages"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    # Node.js for the S3 test server. Debian's npm conflicts with a Node that bundles its own, so only when absent.
    if ! command -v node >/dev/null; then
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    fi
    if [ -f tests/support/s3/package-lock.json ] && [ ! -d tests/support/s3/node_modules ]; then
        echo "== npm ci (S3 test server)"
        (cd tests/support/s3 && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

configure_and_build() {
    local werror=OFF
    [ -n "${CI:-}" ] && werror=ON
    # GUI and tests named explicitly: a build directory configured otherwise before (a CLI-only build) is corrected.
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIFEBOAT_WERROR=$werror \
        -DLIFEBOAT_BUILD_GUI=ON -DLIFEBOAT_BUILD_TESTS=ON >/dev/null
    echo "== building (this takes a few minutes the first time)"
    if [ $# -gt 0 ]; then
        cmake --build "$build" -j"$(nproc)" --target "$@"
    else
        cmake --build "$build" -j"$(nproc)"
    fi
}

run_tests() {
    # A real Secret Service for the keychain tests: a private D-Bus session with a throwaway gnome-keyring (its
    # own data directory), so a developer's own login keyring is never touched.
    local keyrings
    keyrings=$(mktemp -d /tmp/lifeboat-keyring.XXXXXX)
    local rc=0
    dbus-run-session -- bash -c '
        printf %s lifeboat-test-keyring | XDG_DATA_HOME="$1" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
        ctest --test-dir "$2" -LE bench --output-on-failure --timeout 900 -j2
    ' _ "$keyrings" "$build" || rc=$?
    rm -rf "$keyrings"
    return $rc
}

run_bench() {
    ctest --test-dir "$build" -L bench --output-on-failure -V
}

sandbox() {
    # A throwaway PostgreSQL with a small shop database, and a Lifeboat home that knows it.
    local sb="$here/.sandbox"
    mkdir -p "$sb"
    bash tests/support/pg_fixture.sh start "$sb" >/dev/null
    # shellcheck disable=SC1091
    . "$sb/pg.env"
    "$PG_BIN/psql" -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE shop" >/dev/null
    "$PG_BIN/psql" -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d shop -v ON_ERROR_STOP=1 \
        -f tests/data/sandbox-shop.sql >/dev/null
    export LIFEBOAT_HOME="$sb/home"
    local ctl="$build/app/cli/lifeboatctl"
    "$ctl" storage add sandbox-disk --local "$sb/backups" >/dev/null 2>&1
    "$ctl" profile add sandbox --conninfo "host=$PG_HOST port=$PG_PORT user=postgres dbname=shop" \
        --storage sandbox-disk >/dev/null 2>&1
    echo "== sandbox PostgreSQL $PG_PORT with database \"shop\"; Lifeboat home $LIFEBOAT_HOME"
}

case "$mode" in
run)
    deps
    configure_and_build lifeboat lifeboatctl
    sandbox
    trap 'bash "$here/tests/support/pg_fixture.sh" stop "$here/.sandbox" >/dev/null 2>&1 || true' EXIT
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        if [ -n "${LIFEBOAT_HEADLESS:-}" ]; then
            exec_cmd=(xvfb-run -a "$build/app/gui/lifeboat")
        else
            echo "dev.sh: no display (DISPLAY/WAYLAND_DISPLAY unset). Run this from a desktop session, or set" \
                 "LIFEBOAT_HEADLESS=1 to start under Xvfb." >&2
            exit 3
        fi
    else
        exec_cmd=("$build/app/gui/lifeboat")
    fi
    "${exec_cmd[@]}"
    ;;
test)
    deps
    configure_and_build
    run_tests
    ;;
bench)
    deps
    configure_and_build
    run_bench
    ;;
# --- packaging (issue 9): cpack from the same build; the package_* tests check the results ----------------------
package)
    deps
    configure_and_build
    (cd "$build" && cpack -G DEB && cpack -G TGZ && { ! command -v rpmbuild >/dev/null || cpack -G RPM; })
    ls -l "$build"/lifeboat[-_]*.{deb,rpm,tar.gz} 2>/dev/null || true
    ;;
*)
    echo "usage: bash installer/dev.sh run|test|bench|package" >&2
    exit 3
    ;;
esac
