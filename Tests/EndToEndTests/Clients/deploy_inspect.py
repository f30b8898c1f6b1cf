#!/usr/bin/env python3
"""Facts about deploy/ for the Deploy*Tests, printed as one JSON document on stdout.

dockerfile <path>      every stage of a Dockerfile: base image, name, and its instructions
                       (ENV as a map, ENTRYPOINT/CMD/HEALTHCHECK as exec-form arrays, the
                       packages of each `apt-get install`, EXPOSE, VOLUME, USER, ...)
libraries <binary>     every shared library `ldd` resolves for the binary, the Debian package
                       that owns each (`dpkg -S`), and the binary's direct DT_NEEDED entries
closure <package>...   the packages plus everything they Depend/Pre-Depend on, from this
                       machine's dpkg database (Debian 12, the same release as the image)
yaml <path>            every YAML document of a file (PyYAML safe_load_all)
sqlite <path>          a Mailgate database file: PRAGMA integrity_check and every message id
"""
import json, re, shlex, subprocess, sys


def logical_lines(text):
    """Joins backslash-continued lines and drops comments and blank lines (Dockerfile syntax)."""
    out, current = [], ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if current and line.lstrip().startswith("#"):
            continue  # comment lines inside a continued instruction are ignored
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        out.append((current + line).strip())
        current = ""
    if current.strip():
        out.append(current.strip())
    return out


def exec_form(argument):
    argument = argument.strip()
    if argument.startswith("["):
        return json.loads(argument)
    return ["/bin/sh", "-c", argument]


def parse_env(argument):
    env = {}
    tokens = shlex.split(argument)
    if tokens and "=" not in tokens[0]:  # legacy form: ENV KEY value
        return {tokens[0]: argument.split(None, 1)[1] if len(tokens) > 1 else ""}
    for token in tokens:
        key, _, value = token.partition("=")
        env[key] = value
    return env


def apt_packages(command):
    """Package names of every `apt-get install` in a shell command (options dropped)."""
    packages = []
    for part in re.split(r"&&|;|\|\|", command):
        words = shlex.split(part)
        while words and "=" in words[0]:  # VAR=value prefixes
            words = words[1:]
        if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
            rest = words[words.index("install") + 1:]
            packages += [w for w in rest if not w.startswith("-")]
    return packages


def dockerfile(path):
    stages = []
    for line in logical_lines(open(path).read()):
        keyword, _, argument = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = argument.split()
            stages.append({"from": words[0], "name": words[2] if len(words) > 2 and words[1].upper() == "AS" else None,
                           "env": {}, "run": [], "apt_packages": [], "copy": [], "expose": [], "volume": [],
                           "user": None, "workdir": None, "entrypoint": None, "cmd": None,
                           "healthcheck": None, "healthcheck_options": {}, "stopsignal": None})
            continue
        stage = stages[-1]
        if keyword == "ENV":
            stage["env"].update(parse_env(argument))
        elif keyword == "RUN":
            stage["run"].append(argument)
            stage["apt_packages"] += apt_packages(argument)
        elif keyword == "COPY":
            stage["copy"].append(argument)
        elif keyword == "EXPOSE":
            stage["expose"] += [int(p.split("/")[0]) for p in argument.split()]
        elif keyword == "VOLUME":
            stage["volume"] += json.loads(argument) if argument.startswith("[") else argument.split()
        elif keyword in ("USER", "WORKDIR", "STOPSIGNAL"):
            stage[keyword.lower()] = argument.strip()
        elif keyword in ("ENTRYPOINT", "CMD"):
            stage[keyword.lower()] = exec_form(argument)
        elif keyword == "HEALTHCHECK":
            words = argument.split()
            options = {}
            while words and words[0].startswith("--"):
                key, _, value = words.pop(0)[2:].partition("=")
                options[key] = value
            stage["healthcheck_options"] = options
            if words and words[0].upper() == "CMD":
                stage["healthcheck"] = exec_form(argument.split("CMD", 1)[1])
            else:
                stage["healthcheck"] = ["NONE"]
    return {"stages": stages}


def libraries(binary):
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    libs = []
    for line in ldd.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line)
        if not m:
            m2 = re.match(r"\s*(/\S+)\s+\(", line)  # the dynamic loader itself
            if not m2:
                continue
            soname, path = m2.group(1).rsplit("/", 1)[-1], m2.group(1)
        else:
            soname, path = m.group(1), m.group(2)
        if path == "not":
            libs.append({"soname": soname, "path": None, "package": None})
            continue
        libs.append({"soname": soname, "path": path, "package": owner(path)})
    readelf = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", readelf)
    return {"libraries": libs, "needed": needed}


def owner(path):
    """The package owning a library; the merged /usr layout of Debian 12 may list only one of
    /lib/... and /usr/lib/..., so both and the resolved path are tried."""
    import os
    candidates = [path, os.path.realpath(path)]
    for c in list(candidates):
        if c.startswith("/lib"):
            candidates.append("/usr" + c)
        elif c.startswith("/usr/lib"):
            candidates.append(c[4:])
    for c in candidates:
        r = subprocess.run(["dpkg", "-S", c], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":", 1)[0].strip()
    return None


def closure(packages):
    seen, todo = set(), list(packages)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        r = subprocess.run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", name], capture_output=True, text=True)
        if r.returncode != 0:
            continue
        for clause in r.stdout.split(","):
            # "a (>= 1) | b": an alternative is satisfied by its first installed choice.
            for alternative in clause.split("|"):
                dep = alternative.strip().split(" ")[0].split(":")[0]
                if dep:
                    todo.append(dep)
                    break
    return sorted(seen)


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "dockerfile":
        result = dockerfile(args[0])
    elif mode == "libraries":
        result = libraries(args[0])
    elif mode == "closure":
        result = closure(args)
    elif mode == "yaml":
        import yaml
        with open(args[0]) as f:
            result = [d for d in yaml.safe_load_all(f) if d is not None]
    elif mode == "sqlite":
        import sqlite3
        db = sqlite3.connect(f"file:{args[0]}?mode=ro", uri=True)
        integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
        ids = [row[0] for row in db.execute("SELECT id FROM messages ORDER BY seq")]
        result = {"integrity": integrity, "ids": ids}
    else:
        sys.exit(f"unknown mode {mode}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
