#!/usr/bin/env python3
"""The other Linux packages: TGZ always, RPM when rpmbuild is installed (installer/dev.sh installs it).
Checks the same files as the .deb and, for the RPM, its version and requirements.
usage: archives_check.py BUILD_DIR VERSION"""
import glob
import os
import shutil
import subprocess
import sys
import tarfile

build, version = sys.argv[1], sys.argv[2]
out = os.path.join(build, "package-test-archives")
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
failures = []
wanted = ["bin/lifeboat", "bin/lifeboatctl", "share/applications/lifeboat.desktop",
          "share/man/man1/lifeboatctl.1.gz", "share/icons/hicolor/256x256/apps/lifeboat.png",
          "share/metainfo/io.github.lifeboat_backup.Lifeboat.metainfo.xml"]
generators = ["TGZ"] + (["RPM"] if shutil.which("rpmbuild") else [])
if "RPM" not in generators:
    print("note: rpmbuild not installed, RPM not checked (apt-get install rpm)")
for gen in generators:
    r = subprocess.run(["cpack", "--config", os.path.join(build, "CPackConfig.cmake"), "-G", gen, "-B", out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        failures.append(f"cpack -G {gen} failed")
        continue
    if gen == "TGZ":
        files = glob.glob(os.path.join(out, f"lifeboat-{version}-*.tar.gz"))
        if len(files) != 1:
            failures.append(f"expected lifeboat-{version}-Linux.tar.gz, found {os.listdir(out)}")
            continue
        names = [n.split("/", 1)[1] for n in tarfile.open(files[0]).getnames() if "/" in n]
    else:
        files = glob.glob(os.path.join(out, f"lifeboat-{version}-*.rpm"))
        if len(files) != 1:
            failures.append(f"expected lifeboat-{version}-*.rpm, found {os.listdir(out)}")
            continue
        q = subprocess.run(["rpm", "-qp", "--qf", "%{NAME} %{VERSION}", files[0]], capture_output=True, text=True)
        if q.stdout.strip() != f"lifeboat {version}":
            failures.append(f"rpm NAME VERSION is {q.stdout.strip()!r}")
        req = subprocess.run(["rpm", "-qpR", files[0]], capture_output=True, text=True).stdout
        for needed in ("postgresql", "libQt6Core.so.6", "libpq.so.5"):
            if needed not in req:
                failures.append(f"rpm requirements lack {needed}: {req.split()}")
        names = [n.lstrip("/").removeprefix("usr/") for n in
                 subprocess.run(["rpm", "-qpl", files[0]], capture_output=True, text=True).stdout.split()]
    for w in wanted:
        if w not in names:
            failures.append(f"{gen}: {os.path.basename(files[0])} lacks {w}")
    print(f"{gen}: {os.path.basename(files[0])} with {len(names)} entries")
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
