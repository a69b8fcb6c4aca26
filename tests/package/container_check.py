#!/usr/bin/env python3
"""Keeps the container recipe true (docs/containers.md):
- every shared library the built lifeboatctl links comes from a package the Dockerfile's runtime stage installs
  (or from debian:12-slim itself), and the Qt SQLite driver the catalog loads at run time is installed too;
- the Kubernetes manifest parses, and the config.json in its ConfigMap is accepted by this lifeboatctl
  (`storage list` and `profile list` read it) and uses the `prompt` secrets backend (no keychain in a pod).
usage: container_check.py LIFEBOATCTL SOURCE_DIR"""
import json
import os
import re
import subprocess
import sys
import tempfile

ctl, src = sys.argv[1], sys.argv[2]
failures = []
dockerfile = open(os.path.join(src, "installer/container/Dockerfile")).read()
stages = re.split(r"^FROM ", dockerfile, flags=re.M)
runtime = stages[-1]
installed = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", " ".join(
    re.findall(r"apt-get install -y --no-install-recommends((?:[^\n]*\\\n)*[^\n]*)", runtime))))
# Present in debian:12-slim (Essential/Priority: required, or apt's own dependencies).
base = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}

needed = [l.split()[1] for l in subprocess.run(["objdump", "-p", ctl], capture_output=True, text=True).stdout
          .splitlines() if l.strip().startswith("NEEDED")]
for lib in needed:
    r = subprocess.run(["dpkg", "-S", "*/" + lib], capture_output=True, text=True)
    owners = {line.split(":")[0] for line in r.stdout.splitlines()}
    if not owners:
        failures.append(f"{lib}: no Debian package owns it on this machine (dpkg -S)")
    elif not owners & (installed | base):
        failures.append(f"{lib} comes from {sorted(owners)}, which the Dockerfile's runtime stage does not install")
for pkg in ("libqt6sql6-sqlite", "postgresql-client-15", "ca-certificates"):
    if pkg not in installed:
        failures.append(f"the runtime stage lacks {pkg}")
print(f"{len(needed)} linked libraries checked against {len(installed)} runtime packages")

try:
    import yaml
    docs = list(yaml.safe_load_all(open(os.path.join(src, "installer/kubernetes/lifeboat-cronjob.yaml"))))
    kinds = [d["kind"] for d in docs]
    if kinds != ["ConfigMap", "Secret", "PersistentVolumeClaim", "CronJob"]:
        failures.append(f"manifest kinds are {kinds}")
    config = docs[0]["data"]["config.json"]
except ImportError:
    # Without PyYAML, take the block scalar by indentation.
    text = open(os.path.join(src, "installer/kubernetes/lifeboat-cronjob.yaml")).read()
    config = re.search(r"config\.json: \|\n((?:    .*\n)+)", text).group(1)
parsed = json.loads(config)
if parsed.get("options", {}).get("secretsBackend") != "prompt":
    failures.append("the ConfigMap's config.json should use the prompt secrets backend")
with tempfile.TemporaryDirectory() as home:
    with open(os.path.join(home, "config.json"), "w") as f:
        f.write(config)
    env = {**os.environ, "LIFEBOAT_HOME": home}
    for words, expect in ((["storage", "list"], "offsite"), (["profile", "list"], "prod")):
        r = subprocess.run([ctl, *words], capture_output=True, text=True, env=env)
        if r.returncode != 0 or expect not in r.stdout:
            failures.append(f"lifeboatctl {' '.join(words)} with the ConfigMap's config.json: exit {r.returncode}, "
                            f"{r.stdout.strip()!r} {r.stderr.strip()!r}")
for f in failures:
    print("FAIL: " + f)
if not failures:
    print("OK: container runtime libraries and the Kubernetes configuration match this build")
sys.exit(1 if failures else 0)
