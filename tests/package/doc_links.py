#!/usr/bin/env python3
"""Every relative link and image in README.md and docs/**/*.md must point at a file or directory that exists
(screenshots included). External links (http, https, mailto) are not fetched; #anchors are not checked.
usage: doc_links.py SOURCE_DIR"""
import glob
import os
import re
import sys

src = sys.argv[1]
files = [os.path.join(src, "README.md"), os.path.join(src, "CHANGELOG.md")]
files += sorted(glob.glob(os.path.join(src, "docs", "**", "*.md"), recursive=True))
# [text](target "title"), ![alt](target), <img src="target">, and reference definitions "[id]: target".
inline = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
html_img = re.compile(r"<img[^>]+src=\"([^\"]+)\"")
refdef = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)", re.M)
broken = []
count = 0
for path in files:
    if not os.path.exists(path):
        continue
    text = open(path, encoding="utf-8").read()
    # Links inside code blocks and inline code are examples, not links.
    text_nocode = re.sub(r"```.*?```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text_nocode = re.sub(r"`[^`\n]*`", "", text_nocode)
    for rx in (inline, html_img, refdef):
        for m in rx.finditer(text_nocode):
            target = m.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
                continue
            count += 1
            file_part = target.split("#", 1)[0].split("?", 1)[0]
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part))
            if not os.path.exists(resolved):
                line = text_nocode.count("\n", 0, m.start()) + 1
                broken.append(f"{os.path.relpath(path, src)}:{line}: {target} -> {os.path.relpath(resolved, src)}"
                              " does not exist")
print(f"{count} relative links checked in {len(files)} files")
for b in broken:
    print("BROKEN: " + b)
sys.exit(1 if broken else 0)
