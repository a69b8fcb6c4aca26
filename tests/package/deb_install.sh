#!/usr/bin/env bash
# Installs the .deb built by package_deb the way an operator would (apt-get install ./lifeboat_*.deb), starts both
# programs from the installed files, then removes the package. It changes the machine, so it only runs as root with
# LIFEBOAT_PACKAGE_INSTALL_TEST=1 (CI's throwaway machine: .ci/run sets it).
# usage: deb_install.sh BUILD_DIR VERSION
set -uo pipefail
build=$1 version=$2
if [ "$(id -u)" != 0 ] || [ "${LIFEBOAT_PACKAGE_INSTALL_TEST:-}" != 1 ]; then
    echo "SKIP: the install test changes the system; it runs only as root with LIFEBOAT_PACKAGE_INSTALL_TEST=1" \
         "(uid $(id -u), LIFEBOAT_PACKAGE_INSTALL_TEST=${LIFEBOAT_PACKAGE_INSTALL_TEST:-unset})"
    exit 77
fi
shopt -s nullglob
debs=("$build"/package-test/lifeboat_"$version"_*.deb)
if [ ${#debs[@]} -ne 1 ]; then
    echo "FAIL: no lifeboat_${version}_*.deb in $build/package-test (package_deb builds it)"
    exit 1
fi
deb=$(realpath "${debs[0]}")
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cleanup() {
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq -o DPkg::Lock::Timeout=300 lifeboat >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== apt-get install $deb"
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 \
        "$deb"; then
    echo "FAIL: apt-get install could not install the package"
    exit 1
fi
[ "$(dpkg-query -W -f '${Version}' lifeboat)" = "$version" ] || fail "dpkg sees another version installed"

out=$(/usr/bin/lifeboatctl --version 2>&1)
[ "$out" = "lifeboatctl $version" ] || fail "/usr/bin/lifeboatctl --version printed '$out'"
home=$(mktemp -d)
# A real command from the installed binary: the Qt SQLite driver (a plugin, not a linked library) must load.
out=$(LIFEBOAT_HOME=$home /usr/bin/lifeboatctl list 2>&1) || fail "/usr/bin/lifeboatctl list failed: $out"
out=$(QT_QPA_PLATFORM=offscreen /usr/bin/lifeboat --version 2>&1)
[[ "$out" == *"$version"* ]] || fail "/usr/bin/lifeboat --version printed '$out'"
out=$(QT_QPA_PLATFORM=offscreen timeout 60 /usr/bin/lifeboat --self-test --home "$home/gui" 2>&1)
rc=$?
echo "$out"
[ $rc = 0 ] && [[ "$out" == *"self-test ok"* ]] || fail "lifeboat --self-test exited $rc"
# Minimal images (Docker's debian) tell dpkg to drop man pages; then there is nothing to find.
if grep -qs '^path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
    echo "note: dpkg excludes /usr/share/man on this machine; man page not checked after install"
else
    man -w lifeboatctl >/dev/null 2>&1 || fail "man lifeboatctl finds no page"
fi
rm -rf "$home"

cleanup
[ -e /usr/bin/lifeboatctl ] && fail "/usr/bin/lifeboatctl still there after apt-get purge"
if [ $fails -gt 0 ]; then
    echo "$fails problem(s)"
    exit 1
fi
echo "OK: installed, started (CLI and GUI offscreen) and removed lifeboat $version"
