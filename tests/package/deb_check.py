#!/usr/bin/env python3
"""Builds the .deb with cpack from a configured and built tree and checks what an operator gets:
the file list, the control fields (Depends computed by dpkg-shlibdeps), the binaries' --version from the extracted
package, the desktop entry, AppStream metadata, PNG icons, man pages, and lintian (no errors; warnings listed).

usage: deb_check.py BUILD_DIR VERSION
Leaves the package in BUILD_DIR/package-test/ for the install test (package_install)."""
import glob
import gzip
import os
import shutil
import struct
import subprocess
import sys

build, version = sys.argv[1], sys.argv[2]
out = os.path.join(build, "package-test")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
r = run(["cpack", "--config", os.path.join(build, "CPackConfig.cmake"), "-G", "DEB", "-B", out])
if r.returncode != 0:
    print(r.stdout + r.stderr)
    sys.exit("cpack -G DEB failed (is the whole tree built? the package needs lifeboat, lifeboatctl and "
             "lifeboat_package_data)")
debs = glob.glob(os.path.join(out, f"lifeboat_{version}_*.deb"))
if len(debs) != 1:
    sys.exit(f"expected one lifeboat_{version}_ARCH.deb in {out}, found {os.listdir(out)}")
deb = debs[0]
print("built " + deb)

# --- control fields ---------------------------------------------------------------------------------------------
fields = {}
for name in ("Package", "Version", "Architecture", "Depends", "Maintainer", "Description", "Section"):
    fields[name] = run(["dpkg-deb", "-f", deb, name]).stdout.strip()
    print(f"{name}: {fields[name]}")
if fields["Package"] != "lifeboat":
    fail(f"Package is {fields['Package']!r}, expected 'lifeboat'")
if fields["Version"] != version:
    fail(f"Version is {fields['Version']!r}, expected the project version {version!r}")
depends = [d.strip().split(" ")[0] for d in fields["Depends"].replace("|", ",").split(",")]
for needed in ("libqt6core6", "libqt6widgets6", "libqt6gui6", "libqt6network6", "libqt6sql6", "libpq5", "libssl3",
               "postgresql-client", "libqt6sql6-sqlite"):
    if needed not in depends:
        fail(f"Depends lacks {needed}: {fields['Depends']}")

# --- file list --------------------------------------------------------------------------------------------------
listing = run(["dpkg-deb", "-c", deb]).stdout
paths = {line.split()[-1].lstrip(".") for line in listing.splitlines() if line.strip()}
expected = ["/usr/bin/lifeboat", "/usr/bin/lifeboatctl", "/usr/share/applications/lifeboat.desktop",
            "/usr/share/icons/hicolor/scalable/apps/lifeboat.svg",
            "/usr/share/metainfo/io.github.lifeboat_backup.Lifeboat.metainfo.xml",
            "/usr/share/man/man1/lifeboatctl.1.gz", "/usr/share/man/man1/lifeboat.1.gz",
            "/usr/share/doc/lifeboat/copyright", "/usr/share/doc/lifeboat/changelog.gz",
            "/usr/share/doc/lifeboat/runbook.md"]
sizes = [16, 24, 32, 48, 64, 128, 256]
expected += [f"/usr/share/icons/hicolor/{s}x{s}/apps/lifeboat.png" for s in sizes]
for p in expected:
    if p not in paths:
        fail(f"package lacks {p}")
for p in sorted(paths):
    if not p.startswith("/usr/"):
        fail(f"file outside /usr: {p}")

# --- contents, from the extracted package -------------------------------------------------------------------------
root = os.path.join(out, "root")
subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
r = run([os.path.join(root, "usr/bin/lifeboatctl"), "--version"], env={**os.environ, "LIFEBOAT_HOME": out + "/home"})
if r.stdout.strip() != f"lifeboatctl {version}":
    fail(f"extracted lifeboatctl --version printed {r.stdout.strip()!r} (exit {r.returncode}), "
         f"expected 'lifeboatctl {version}'")
r = run([os.path.join(root, "usr/bin/lifeboat"), "--version"], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
if version not in r.stdout:
    fail(f"extracted lifeboat --version printed {r.stdout.strip()!r}{r.stderr.strip()!r}")

for s in sizes:
    png = os.path.join(root, f"usr/share/icons/hicolor/{s}x{s}/apps/lifeboat.png")
    if os.path.exists(png):
        with open(png, "rb") as f:
            head = f.read(24)
        if head[:8] != b"\x89PNG\r\n\x1a\n":
            fail(f"{png} is not a PNG")
        else:
            w, h = struct.unpack(">II", head[16:24])
            if (w, h) != (s, s):
                fail(f"{png} is {w}x{h}, expected {s}x{s}")

man = os.path.join(root, "usr/share/man/man1/lifeboatctl.1.gz")
if os.path.exists(man):
    text = gzip.open(man, "rt").read()
    # Generated from --help: every command's subsection must be there.
    for sub in (".SS backup", ".SS restore", ".SS profile add", ".SS catalog rebuild", "\\-\\-target\\-db"):
        if sub not in text:
            fail(f"lifeboatctl.1 lacks {sub!r}")
    if not shutil.which("man"):
        fail("man missing: install man-db (installer/dev.sh does)")
    else:
        r = run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", man], env={**os.environ, "MANWIDTH": "80"})
        if r.returncode != 0 or r.stderr.strip():
            fail(f"man reports problems in lifeboatctl.1: {r.stderr.strip()}")

desktop = os.path.join(root, "usr/share/applications/lifeboat.desktop")
if shutil.which("desktop-file-validate"):
    r = run(["desktop-file-validate", desktop])
    print("desktop-file-validate: " + ((r.stdout + r.stderr).strip() or "clean"))
    if r.returncode != 0:
        fail("desktop-file-validate: " + r.stdout + r.stderr)
else:
    fail("desktop-file-validate missing: install desktop-file-utils (installer/dev.sh does)")
metainfo = os.path.join(root, "usr/share/metainfo/io.github.lifeboat_backup.Lifeboat.metainfo.xml")
if shutil.which("appstreamcli"):
    r = run(["appstreamcli", "validate", "--no-net", "--explain", metainfo])
    print("appstreamcli validate:\n" + (r.stdout + r.stderr).strip())
    if r.returncode != 0:
        fail("appstreamcli validate failed (see above)")
    if f'version="{version}"' not in open(metainfo).read():
        fail(f"metainfo has no release {version}")
else:
    fail("appstreamcli missing: install appstream (installer/dev.sh does)")

# --- lintian: no errors; warnings are listed (docs/install.md explains the known ones) -----------------------------
if shutil.which("lintian"):
    r = run(["lintian", "--no-tag-display-limit", "--display-info", deb])
    tags = [line for line in (r.stdout + r.stderr).splitlines() if line[:2] in ("E:", "W:", "I:", "N:")]
    print("lintian:\n  " + "\n  ".join(tags) if tags else "lintian: clean")
    errors = [t for t in tags if t.startswith("E:")]
    if errors:
        fail("lintian errors:\n  " + "\n  ".join(errors))
else:
    fail("lintian missing: install lintian (installer/dev.sh does)")

if failures:
    print(f"\n{len(failures)} problem(s) with {os.path.basename(deb)}:")
    for f in failures:
        print("  - " + f)
    sys.exit(1)
print(f"OK: {os.path.basename(deb)} ({os.path.getsize(deb) // 1024} KiB, {len(paths)} paths)")
