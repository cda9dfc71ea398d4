#!/usr/bin/env python3
"""Checks a JSON document (stdin) against a JSON Schema file (argv[1]).

Supports the draft-04 keywords the runtime-spec's features schema uses: type,
properties, required, items, enum, pattern, patternProperties, oneOf and
$ref (to another file in the schema's directory, or within one). Prints every
violation with its JSON path and exits 1 if there is one.
"""
import json
import os
import re
import sys

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN = {"type", "properties", "required", "items", "enum", "pattern", "patternProperties",
         "oneOf", "$ref", "description", "$schema"}


class Checker:
    def __init__(self, directory):
        self.directory = directory
        self.files = {}

    def load(self, name):
        if name not in self.files:
            with open(os.path.join(self.directory, name)) as f:
                self.files[name] = json.load(f)
        return self.files[name]

    def resolve(self, ref, current_file):
        name, _, pointer = ref.partition("#")
        name = name or current_file
        node = self.load(name)
        for part in filter(None, pointer.split("/")):
            node = node[part]
        return node, name

    def check(self, schema, value, path, file, errors):
        unknown = set(schema) - KNOWN
        if unknown:
            errors.append(f"{path}: the checker does not know {sorted(unknown)}")
        if "$ref" in schema:
            target, target_file = self.resolve(schema["$ref"], file)
            self.check(target, value, path, target_file, errors)
        if "type" in schema and not TYPES[schema["type"]](value):
            errors.append(f"{path}: {json.dumps(value)} is not of type {schema['type']}")
            return
        if "enum" in schema and value not in schema["enum"]:
            errors.append(f"{path}: {json.dumps(value)} is not one of {schema['enum']}")
        if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
            errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if "oneOf" in schema:
            matches = 0
            for option in schema["oneOf"]:
                option_errors = []
                self.check(option, value, path, file, option_errors)
                matches += not option_errors
            if matches != 1:
                errors.append(f"{path}: matches {matches} of oneOf's schemas, not exactly one")
        if isinstance(value, dict):
            for key in schema.get("required", []):
                if key not in value:
                    errors.append(f"{path}: {key} is required")
            for key, item in value.items():
                if key in schema.get("properties", {}):
                    self.check(schema["properties"][key], item, f"{path}.{key}", file, errors)
                for pattern, subschema in schema.get("patternProperties", {}).items():
                    if re.search(pattern, key):
                        self.check(subschema, item, f"{path}.{key}", file, errors)
        if isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                self.check(schema["items"], item, f"{path}[{index}]", file, errors)


def main():
    schema_path = sys.argv[1]
    checker = Checker(os.path.dirname(schema_path))
    name = os.path.basename(schema_path)
    errors = []
    checker.check(checker.load(name), json.load(sys.stdin), "$", name, errors)
    for error in errors:
        print(error, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
