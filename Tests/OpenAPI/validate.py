#!/usr/bin/env python3
"""Validates openapi.yaml: exits 0 when it is sound, 1 with the problems otherwise.

Usage: python3 Tests/OpenAPI/validate.py [path/to/openapi.yaml]

Checks, in order:
1. The YAML parses and has no duplicate keys (PyYAML would silently keep the last one).
2. openapi-spec-validator accepts it as OpenAPI 3.1 (`pip install openapi-spec-validator`).
3. Every example (media type `example`/`examples`, parameter and header examples, and the
   JSON Schema `examples` keyword) validates against its schema (JSON Schema 2020-12), so the
   examples cannot drift from the schemas they illustrate.
4. House rules of this API: every operation has an operationId and tags; every `/api/`
   operation documents 401, 500 and 503; every operation documents 400, 414 and 431 (framing
   is checked before routing); every operation with a request body documents 413 and 415;
   every link names an existing operationId; every regular expression compiles.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any, Iterator

try:
    import yaml
    from jsonschema import Draft202012Validator
    from openapi_spec_validator import OpenAPIV31SpecValidator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as missing:  # pragma: no cover - environment problem, not a spec problem
    print(f"missing Python package ({missing.name}): pip install openapi-spec-validator PyYAML",
          file=sys.stderr)
    sys.exit(1)

ROOT_URI = "urn:mailgate:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DEFAULT_SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


class UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that rejects duplicate mapping keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass


def resolve(doc: dict, node: Any) -> Any:
    """Follows local `$ref`s of OpenAPI objects (not schemas) to their target."""
    hops = 0
    while isinstance(node, dict) and "$ref" in node and len(node) <= 3:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"non-local $ref {ref}")
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        hops += 1
        if hops > 20:
            raise ValueError(f"$ref loop at {ref}")
    return node


def absolutize(schema: Any) -> Any:
    """Copies a schema with its local `$ref`s made absolute against the whole document."""
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#"):
                out[key] = ROOT_URI + value
            else:
                out[key] = absolutize(value)
        return out
    if isinstance(schema, list):
        return [absolutize(item) for item in schema]
    return schema


class ExampleChecker:
    def __init__(self, doc: dict) -> None:
        self.doc = doc
        resource = Resource.from_contents(doc, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(ROOT_URI, resource)
        self.problems: list[str] = []
        self.checked = 0

    def check(self, where: str, schema: Any, value: Any) -> None:
        self.checked += 1
        validator = Draft202012Validator(absolutize(schema), registry=self.registry,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        for error in validator.iter_errors(value):
            path = "/".join(str(p) for p in error.absolute_path) or "(root)"
            self.problems.append(f"example {where} at {path}: {error.message[:300]}")

    def examples_of(self, obj: dict) -> Iterator[tuple[str, Any]]:
        if "example" in obj:
            yield "example", obj["example"]
        for name, example in (obj.get("examples") or {}).items():
            example = resolve(self.doc, example)
            if "value" in example:
                yield f"examples/{name}", example["value"]

    def media_types(self, where: str, content: dict) -> None:
        for media_type, media in content.items():
            if "schema" not in media:
                continue
            for name, value in self.examples_of(media):
                self.check(f"{where} {media_type} {name}", media["schema"], value)

    def parameter_or_header(self, where: str, obj: dict) -> None:
        obj = resolve(self.doc, obj)
        if "schema" not in obj:
            return
        for name, value in self.examples_of(obj):
            self.check(f"{where} {name}", obj["schema"], value)

    def schema_examples(self, where: str, node: Any) -> None:
        """The JSON Schema `examples` keyword (a list) anywhere in the document."""
        if isinstance(node, dict):
            if isinstance(node.get("examples"), list) and where.find("/schemas") >= 0:
                for index, value in enumerate(node["examples"]):
                    self.check(f"{where} examples[{index}]", node, value)
            for key, value in node.items():
                self.schema_examples(f"{where}/{key}", value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self.schema_examples(f"{where}/{index}", value)

    def operation(self, where: str, op: dict) -> None:
        for parameter in op.get("parameters", []):
            name = resolve(self.doc, parameter).get("name")
            self.parameter_or_header(f"{where} parameter {name}", parameter)
        if "requestBody" in op:
            body = resolve(self.doc, op["requestBody"])
            self.media_types(f"{where} request", body.get("content", {}))
        for status, response in op.get("responses", {}).items():
            response = resolve(self.doc, response)
            self.media_types(f"{where} {status}", response.get("content", {}))
            for header_name, header in response.get("headers", {}).items():
                self.parameter_or_header(f"{where} {status} header {header_name}", header)

    def run(self) -> None:
        for group in ("paths", "webhooks"):
            for path, item in (self.doc.get(group) or {}).items():
                for method in HTTP_METHODS:
                    if method in item:
                        self.operation(f"{method.upper()} {path}", item[method])
        components = self.doc.get("components", {})
        for name, parameter in components.get("parameters", {}).items():
            self.parameter_or_header(f"components/parameters/{name}", parameter)
        for name, header in components.get("headers", {}).items():
            self.parameter_or_header(f"components/headers/{name}", header)
        self.schema_examples("#/components/schemas", components.get("schemas", {}))


def operations(doc: dict) -> Iterator[tuple[str, str, dict, dict]]:
    for group in ("paths", "webhooks"):
        for path, item in (doc.get(group) or {}).items():
            for method in HTTP_METHODS:
                if method in item:
                    yield group, path, method, item[method]


def house_rules(doc: dict) -> list[str]:
    problems = []
    operation_ids = {op.get("operationId") for _, _, _, op in operations(doc)}
    for group, path, method, op in operations(doc):
        label = f"{method.upper()} {path}"
        if not op.get("operationId"):
            problems.append(f"{label}: no operationId")
        if not op.get("tags"):
            problems.append(f"{label}: no tags")
        responses = op.get("responses", {})
        for status, response in responses.items():
            for link_name, link in resolve(doc, response).get("links", {}).items():
                if link.get("operationId") not in operation_ids:
                    problems.append(f"{label} {status} link {link_name}: unknown operationId")
        if group != "paths":
            continue
        required = {"400", "414", "431"}
        if path.startswith("/api/"):
            required |= {"401", "500", "503"}
            if op.get("security") == []:
                problems.append(f"{label}: /api/ routes must require the bearer token")
        if "requestBody" in op:
            required |= {"413", "415", "422"}
        for status in sorted(required - set(responses)):
            problems.append(f"{label}: response {status} is not documented")
        if "{" in path:
            declared = {resolve(doc, p)["name"] for p in op.get("parameters", [])
                        if resolve(doc, p).get("in") == "path"}
            templated = set(re.findall(r"\{([^}]+)\}", path))
            if declared != templated:
                problems.append(f"{label}: path parameters {sorted(declared)} != {sorted(templated)}")
    return problems


def patterns(node: Any, where: str = "#") -> list[str]:
    problems = []
    if isinstance(node, dict):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as error:
                problems.append(f"{where}: pattern {pattern!r} does not compile: {error}")
        for key, value in node.items():
            problems += patterns(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            problems += patterns(value, f"{where}/{index}")
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    try:
        doc = load(path)
    except (OSError, yaml.YAMLError) as error:
        print(f"{path}: cannot load: {error}")
        return 1

    problems: list[str] = []
    for error in OpenAPIV31SpecValidator(doc).iter_errors():
        location = "/".join(str(p) for p in error.absolute_path) or "(root)"
        problems.append(f"OpenAPI 3.1: {location}: {error.message[:300]}")
    if problems:  # later checks assume a structurally valid document
        print("\n".join(problems))
        print(f"{path}: INVALID ({len(problems)} problems)")
        return 1

    checker = ExampleChecker(doc)
    checker.run()
    problems += checker.problems
    problems += house_rules(doc)
    problems += patterns(doc)
    if problems:
        print("\n".join(problems))
        print(f"{path}: INVALID ({len(problems)} problems)")
        return 1
    count = sum(1 for _ in operations(doc))
    print(f"{path}: valid OpenAPI {doc.get('openapi')}; {count} operations, "
          f"{checker.checked} examples checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
