#!/usr/bin/env python3
"""The layer rules of docs/architecture.md, checked on the source tree (issue 19):
- services/ never includes Qt Widgets or Qt GUI, nor anything of models/, ui/ or app/;
- models/ never includes ui/ or app/; ui/ never includes app/ (nothing below app includes app);
- no job request is built outside services/: a `...Job::Request` in app/, ui/, models/ or tests/ is reported -
  both front ends (and the tests, as they do) start their jobs through the use cases of services/ops;
- no source file of app/, ui/, models/, services/ or tests/ is over 600 lines.
Reports every breach with file and line. usage: layers.py SOURCE_DIR"""
import os
import re
import sys

root = sys.argv[1]
MAX_LINES = 600
include_re = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
widgets_re = re.compile(r'^(QtWidgets|QtGui)(/|$)|^Q(Application|Widget|Dialog|MainWindow|Painter|Pixmap|Icon|Color|Font)\b')
request_re = re.compile(r'\b[A-Za-z]+Job::Request\b')

# What each layer may not include (by the first path component of a project include).
forbidden = {
    "services": {"models", "ui", "app"},
    "models": {"ui", "app"},
    "ui": {"app"},
}
# Project include roots: services' areas are included without the services/ prefix ("jobs/Job.h").
services_areas = {d for d in os.listdir(os.path.join(root, "services")) if os.path.isdir(os.path.join(root, "services", d))}

problems = []
for top in ("app", "ui", "models", "services", "tests"):
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        for name in files:
            if not name.endswith((".h", ".cpp")):
                continue
            if top == "tests" and "/data/" in dirpath.replace(os.sep, "/") + "/":
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
            if len(lines) > MAX_LINES:
                problems.append(f"{rel}: {len(lines)} lines (at most {MAX_LINES})")
            for no, line in enumerate(lines, 1):
                m = include_re.match(line)
                if m:
                    inc = m.group(1)
                    first = inc.split("/")[0]
                    if top == "services" and widgets_re.search(inc):
                        problems.append(f"{rel}:{no}: services includes Qt Widgets/GUI ({inc})")
                    if first in forbidden.get(top, set()) and first not in services_areas:
                        problems.append(f"{rel}:{no}: {top} includes {first}/ ({inc})")
                    continue
                if top != "services" and request_re.search(line.split("//")[0]):
                    problems.append(f"{rel}:{no}: a job request is built outside services ({line.strip()})")

if problems:
    print(f"{len(problems)} breaches of the layer rules:")
    for p in problems:
        print("  - " + p)
    sys.exit(1)
print("OK: layers, job requests and file sizes as docs/architecture.md says")
