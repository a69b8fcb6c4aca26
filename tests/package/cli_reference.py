#!/usr/bin/env python3
"""docs/cli.md must document every command of lifeboatctl's command table and every option of each. The table comes
from `lifeboatctl help --json` (every command, synopsis and option); `lifeboatctl --help` and each command's own
`--help` must agree with it. For a command, the reference must show `lifeboatctl COMMAND [SUBCOMMAND]` (in a
synopsis); each of its options must appear in a section (## heading) that shows that synopsis. Reports exactly what
is missing.
usage: cli_reference.py LIFEBOATCTL DOCS/CLI.MD"""
import json
import os
import re
import subprocess
import sys
import tempfile

ctl, doc_path = sys.argv[1], sys.argv[2]
home = tempfile.mkdtemp(prefix="lifeboat-cliref-")
env = {**os.environ, "LIFEBOAT_HOME": home}


def help_of(*words):
    r = subprocess.run([ctl, *words, "--help"], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"`lifeboatctl {' '.join(words)} --help` exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout


r = subprocess.run([ctl, "help", "--json"], capture_output=True, text=True, env=env)
if r.returncode != 0:
    sys.exit(f"`lifeboatctl help --json` exited {r.returncode}: {r.stderr.strip()}")
table = json.loads(r.stdout)
commands = [(c["group"], c["sub"] or None) for c in table]
table_options = {(c["group"], c["sub"] or None): {"--" + o["name"] for o in c["options"]} for c in table}
if len(commands) < 10:
    sys.exit(f"found only {len(commands)} commands in `lifeboatctl help --json`; the parser needs updating")

top = help_of()
m = re.search(r"\nCommands:\n(.*?)\n\n", top, re.S)
if not m:
    sys.exit("`lifeboatctl --help` has no 'Commands:' section")
listed = []
for line in m.group(1).splitlines():
    # "  profile add|list|test|remove     database server profiles" (continuation lines are indented further)
    cm = re.match(r"^  ([a-z0-9-]+)(?: ([a-z][a-z|-]*))?(?= |$)", line)
    if cm:
        subs = cm.group(2).split("|") if cm.group(2) else [None]
        listed += [(cm.group(1), s) for s in subs]
if sorted(listed, key=str) != sorted(commands, key=str):
    sys.exit(f"`lifeboatctl --help` lists {sorted(set(listed) - set(commands), key=str)} beyond the command table "
             f"and leaves out {sorted(set(commands) - set(listed), key=str)}")

doc = open(doc_path, encoding="utf-8").read()
# Split the reference into sections at "## " headings (the part before the first heading is the preamble).
sections = re.split(r"\n(?=## )", doc)

missing = []
global_m = re.search(r"\nGlobal options:\n(.*?)\n\n", top, re.S)
for opt in sorted(set(re.findall(r"^  (--[a-z0-9-]+)", global_m.group(1) if global_m else "", re.M))):
    if not re.search(re.escape(opt) + r"(?![a-z0-9-])", doc):
        missing.append(f"global option {opt}")

checked = 0
for cmd, sub in commands:
    words = [cmd] + ([sub] if sub else [])
    name = " ".join(words)
    text = help_of(*words)
    options = sorted(set(re.findall(r"^  (?:-[a-zA-Z], )?(--[a-z0-9][a-z0-9-]*)", text, re.M)) - {"--help"})
    if set(options) != table_options[(cmd, sub)]:
        missing.append(f"`lifeboatctl {name} --help` shows {options}, the command table "
                       f"{sorted(table_options[(cmd, sub)])}")
    synopsis = re.compile(r"lifeboatctl\s+" + r"\s+".join(map(re.escape, words)) + r"(?![a-z0-9-])")
    homes = [s for s in sections if synopsis.search(s)]
    if not homes:
        missing.append(f"command `lifeboatctl {name}` (no synopsis line `lifeboatctl {name} ...` in any section)")
        continue
    where = "\n".join(homes)
    titles = ", ".join(repr(s.splitlines()[0].lstrip("# ")) for s in homes)
    for opt in options:
        checked += 1
        if not re.search(re.escape(opt) + r"(?![a-z0-9-])", where):
            missing.append(f"option {opt} of `lifeboatctl {name}` (not in section {titles})")

print(f"{len(commands)} commands, {checked} options checked against {doc_path}")
if missing:
    print(f"{len(missing)} missing from the CLI reference:")
    for item in missing:
        print("  - " + item)
    sys.exit(1)
print("OK: the CLI reference covers every command and option")
