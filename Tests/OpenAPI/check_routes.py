#!/usr/bin/env python3
"""Compares the server's route table with the paths of openapi.yaml.

Usage: <print the route table> | python3 Tests/OpenAPI/check_routes.py [--spec FILE] [--strict]

stdin holds one route per line, `METHOD /path`, e.g. `GET /api/v1/messages/{id}`. Anything
after the path is ignored (a handler name, say); blank lines and `#` comments are skipped.
Path parameters may be written `{id}`, `:id` or `<id>`; their names do not matter, only their
positions. A literal server route that a templated spec path covers (`GET
/api/v1/messages/latest` under `GET /api/v1/messages/{id}`) counts as documented.

HEAD and OPTIONS lines are ignored unless --strict: OpenAPI conventionally leaves them out
(see the "Methods" convention in openapi.yaml).

Exit status: 0 when both sides agree, 1 with the differences, 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}
DEFAULT_SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
PARAMETER = re.compile(r"^(\{[^{}/]+\}|:[^/]+|<[^<>/]+>)$")


def normalize(path: str) -> str:
    """`/a/{id}/b/:x` -> `/a/{}/b/{}`; a trailing slash is kept (it is a different route)."""
    return "/".join("{}" if PARAMETER.match(segment) else segment for segment in path.split("/"))


def covers(template: str, literal: str) -> bool:
    """Whether a normalized spec template matches a literal path segment by segment."""
    t_parts, l_parts = template.split("/"), literal.split("/")
    return len(t_parts) == len(l_parts) and all(
        t == "{}" or t == l for t, l in zip(t_parts, l_parts))


def spec_routes(spec_path: Path) -> dict[tuple[str, str], str]:
    with spec_path.open(encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    routes = {}
    for path, item in (doc.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if method.lower() in item:
                routes[(method, normalize(path))] = f"{method} {path}"
    return routes


def server_routes(lines: list[str], strict: bool) -> tuple[dict[tuple[str, str], str], list[str]]:
    routes, errors = {}, []
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        fields = text.split()
        if len(fields) < 2 or fields[0].upper() not in HTTP_METHODS or not fields[1].startswith("/"):
            errors.append(f"line {number}: expected 'METHOD /path', got {line.rstrip()!r}")
            continue
        method, path = fields[0].upper(), fields[1].split("?", 1)[0]
        if method in IMPLICIT_METHODS and not strict:
            continue
        routes[(method, normalize(path))] = f"{method} {path}"
    return routes, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--strict", action="store_true", help="also compare HEAD and OPTIONS")
    args = parser.parse_args()

    served, errors = server_routes(sys.stdin.readlines(), args.strict)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 2
    if not served:
        print("no routes on stdin", file=sys.stderr)
        return 2
    documented = spec_routes(args.spec)

    undocumented = []
    for key, label in sorted(served.items()):
        if key in documented:
            continue
        method, path = key
        if any(m == method and covers(template, path) for m, template in documented):
            continue
        undocumented.append(label)
    unserved = [label for key, label in sorted(documented.items()) if key not in served]

    for label in undocumented:
        print(f"served but not in {args.spec.name}: {label}")
    for label in unserved:
        print(f"in {args.spec.name} but not served: {label}")
    if undocumented or unserved:
        print(f"route table and spec differ: {len(undocumented)} undocumented, "
              f"{len(unserved)} unserved")
        return 1
    print(f"route table matches {args.spec.name}: {len(documented)} routes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
