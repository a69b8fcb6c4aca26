#!/bin/sh
# Usage: app_help.sh PATH/TO/lifeboat
set -u
app=$1
fail() { echo "FAIL: $*"; exit 1; }
out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$app" --help 2>&1); rc=$?
[ $rc -eq 0 ] || fail "--help without a display exited $rc: $out"
echo "$out" | grep -q -- '--home' || fail "--help does not list --home: $out"
echo "$out" | grep -q -- '--self-test' || fail "--help does not list --self-test: $out"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$app" --version 2>&1); rc=$?
[ $rc -eq 0 ] || fail "--version exited $rc: $out"
echo "$out" | grep -q 'Lifeboat [0-9]' || fail "--version: $out"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$app" --home /nonexistent/lifeboat-no-display 2>&1); rc=$?
[ $rc -eq 2 ] || fail "without a display expected exit 2, got $rc: $out"
echo "$out" | grep -q 'no display' || fail "no explanation: $out"
echo "$out" | grep -q 'lifeboatctl' || fail "does not point to lifeboatctl: $out"
[ ! -e /nonexistent/lifeboat-no-display ] || fail "created a home without a display"
echo PASS
