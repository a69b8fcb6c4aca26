#!/usr/bin/env python3
"""Does installer/dev.sh install every Debian package this build tree depends on?

A fresh Debian 12 machine has only what installer/dev.sh installs; a package installed by hand on a developer's
machine (or on CI, which runs there) hides a missing install step until a newcomer's clone fails to configure.

Reads BUILD_DIR/CMakeCache.txt for what the configure step found:
  - the config file of every CMake package (`*_DIR:PATH=` entries, e.g. Qt6OpenGL_DIR),
  - every pkg-config library linked (`pkgcfg_lib_*:FILEPATH=`),
  - every library under /usr that a target links by path (the link lines of build.ninja or CMake's link.txt
    files: find_library results such as libpq.so; a library found but never linked is not a dependency),
finds the Debian package that owns each file (dpkg -S), and checks that the package is listed in dev.sh's
`packages=( ... )` or reached from a listed package through the installed packages' Depends/Pre-Depends (with
Provides resolved), read from dpkg's own database so no apt lists or network are needed. Names every package a
fresh machine would lack and exits 1; exits 77 (skipped) where there is no dpkg.

    deps_check.py BUILD_DIR DEV_SH
"""
import glob
import os
import re
import shutil
import subprocess
import sys

SKIP = 77


def linked_files(build):
    lines = []
    ninja = os.path.join(build, "build.ninja")
    if os.path.isfile(ninja):
        lines = [l for l in open(ninja, encoding="utf-8", errors="replace") if "LINK_LIBRARIES = " in l]
    for link_txt in glob.glob(os.path.join(build, "**", "link.txt"), recursive=True):
        lines += open(link_txt, encoding="utf-8", errors="replace").readlines()
    files = {}
    for line in lines:
        for token in line.split():
            if token.startswith("/usr/") and re.search(r"\.(so(\.[0-9.]+)?|a)$", token) and os.path.isfile(token):
                files[token] = "a linked library"
    return files


def found_files(cache_path):
    files = {}
    for line in open(cache_path, encoding="utf-8", errors="replace"):
        line = line.strip()
        m = re.match(r"^([A-Za-z0-9_.+-]+)_DIR:PATH=(/usr/\S+)$", line)
        if m and os.path.isdir(m.group(2)):
            configs = sorted(glob.glob(m.group(2) + "/*onfig.cmake"))
            if configs:
                files[configs[0]] = m.group(1)
            continue
        m = re.match(r"^(pkgcfg_lib_\S+):FILEPATH=(/usr/\S+)$", line)
        if m and os.path.isfile(m.group(2)):
            files[m.group(2)] = m.group(1)
    return files


def owner(path):
    # dpkg -S wants the path as the package listed it; /usr/lib may be reached through a /lib symlink (usrmerge).
    for candidate in (path, os.path.realpath(path)):
        r = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if r.returncode == 0:
            first = r.stdout.splitlines()[0]
            return first.split(": ", 1)[0].split(",")[0].split(":")[0].strip()
    return None


def listed_packages(devsh):
    block = re.search(r"packages=\((.*?)\n\)", open(devsh, encoding="utf-8").read(), re.S)
    if not block:
        print("deps_check: no packages=( ... ) list in %s" % devsh)
        sys.exit(1)
    names = set()
    for line in block.group(1).splitlines():
        names.update(w for w in line.split("#")[0].split() if re.match(r"^[a-z0-9][a-z0-9.+-]+$", w))
    return names


def installed_graph():
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Status}\t${Provides}\t${Depends}, ${Pre-Depends}\n"],
                         capture_output=True, text=True).stdout
    depends, providers = {}, {}

    def names(field):
        result = []
        for clause in field.split(","):
            alts = [a.strip().split(" ")[0].split(":")[0] for a in clause.split("|") if a.strip()]
            result.append(alts)
        return result

    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 4 or "installed" not in parts[1].split():
            continue
        pkg = parts[0]
        depends[pkg] = names(parts[3])
        for provided in names(parts[2]):
            for p in provided:
                providers.setdefault(p, set()).add(pkg)
    return depends, providers


def closure(roots, depends, providers):
    seen, todo = set(), list(roots)
    while todo:
        pkg = todo.pop()
        if pkg in seen:
            continue
        seen.add(pkg)
        for alts in depends.get(pkg, []):
            for alt in alts:
                # Any installed alternative or provider counts: dpkg accepted it for this dependency.
                for real in ({alt} if alt in depends else set()) | providers.get(alt, set()):
                    todo.append(real)
    return seen


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 3
    build, devsh = sys.argv[1], sys.argv[2]
    if not shutil.which("dpkg") or not shutil.which("dpkg-query"):
        print("deps_check: no dpkg on this machine; nothing to check (skipped)")
        return SKIP
    cache = os.path.join(build, "CMakeCache.txt")
    if not os.path.isfile(cache):
        print("deps_check: no %s (configure first)" % cache)
        return 3
    files = found_files(cache)
    files.update(linked_files(build))
    owners = {}
    for path, entry in sorted(files.items()):
        pkg = owner(path)
        if pkg:
            owners.setdefault(pkg, (entry, path))
    if not owners:
        print("deps_check: the build found no file from a Debian package: is %s a Debian build tree?" % build)
        return 1
    depends, providers = installed_graph()
    reached = closure(listed_packages(devsh), depends, providers)
    missing = {p: v for p, v in owners.items() if p not in reached}
    for pkg, (entry, path) in sorted(missing.items()):
        print("missing from %s: %s (owns %s, which the build found as %s)" % (devsh, pkg, path, entry))
    if missing:
        print("deps_check: add the package(s) above to the packages list in %s" % devsh)
        return 1
    print("deps_check: %d Debian packages behind the build, all installed by %s: %s"
          % (len(owners), devsh, " ".join(sorted(owners))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
