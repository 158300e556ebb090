#!/usr/bin/env python3
"""Writes src/novavms/models.py from the committed OpenAPI spec (openapi/openapi.json).

    python scripts/generate_models.py           # (re)write the models
    python scripts/generate_models.py --check   # exit 1 when the committed models differ

Standard library only. Every schema of `components.schemas` becomes a pydantic model whose
fields are the wire's snake_case names (a Python keyword gets a trailing underscore and an
alias); every enum of two or more values becomes a `Literal` alias, shared by all the fields and
parameters that have the same values.
"""

from __future__ import annotations

import argparse
import difflib
import json
import keyword
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
REPO_ROOT = PACKAGE_ROOT.parent.parent
DEFAULT_SPEC = REPO_ROOT / "openapi" / "openapi.json"
DEFAULT_OUT = PACKAGE_ROOT / "src" / "novavms" / "models.py"
WIDTH = 100

# Names of the enums the client's signatures use; any other enum is named after its first field.
ENUM_NAMES: dict[tuple[str, str], str] = {
    ("GatewayResponse", "status"): "GatewayStatus",
    ("UpdateGatewayDto", "status"): "GatewayStatusUpdate",
    ("ApiKeyResponse", "role"): "Role",
    ("EventResponse", "type"): "EventType",
    ("WebhookResponse", "event_types"): "WebhookEventType",
    ("DeliveryResponse", "event_type"): "DeliveryEventType",
    ("DeliveryResponse", "status"): "DeliveryStatus",
    ("TelemetryResponse", "camera_recording_status"): "RecordingStatus",
    ("CoverageGapResponse", "status"): "CoverageGapStatus",
    ("CommandResponse", "status"): "CommandStatus",
    ("CommandResponse", "type"): "CommandType",
}


def class_name(schema: str) -> str:
    """Error bodies get a `Body` suffix, so that they never shadow the client's exceptions."""
    return f"{schema}Body" if schema.endswith("Error") else schema


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def field_name(wire: str) -> str:
    return f"{wire}_" if keyword.iskeyword(wire) else wire


def camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_.\-]", text) if part)


def enum_of(prop: dict[str, Any]) -> list[str] | None:
    """The enum of a property, of its array items, or of its map values."""
    for candidate in (prop, prop.get("items"), prop.get("additionalProperties")):
        if isinstance(candidate, dict) and isinstance(candidate.get("enum"), list):
            return [str(v) for v in candidate["enum"]]
    return None


class Generator:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas: dict[str, dict[str, Any]] = spec["components"]["schemas"]
        self.aliases: dict[tuple[str, ...], str] = {}
        self.uses: set[str] = set()
        self._name_enums()

    def _occurrences(self) -> list[tuple[str, str, tuple[str, ...]]]:
        found: list[tuple[str, str, tuple[str, ...]]] = []
        for schema in sorted(self.schemas):
            for prop, body in sorted(self.schemas[schema].get("properties", {}).items()):
                values = enum_of(body)
                if values is not None and len(values) > 1:
                    found.append((schema, prop, tuple(values)))
        for path in sorted(self.spec["paths"]):
            for op in (v for _, v in sorted(self.spec["paths"][path].items())):
                for param in op.get("parameters", []) if isinstance(op, dict) else []:
                    values = enum_of(param.get("schema", {}))
                    if values is not None and len(values) > 1:
                        found.append((op["operationId"], param["name"], tuple(values)))
        return found

    def _name_enums(self) -> None:
        occurrences = self._occurrences()
        taken: set[str] = set()
        for schema, prop, values in occurrences:
            name = ENUM_NAMES.get((schema, prop))
            if name and values not in self.aliases:
                self.aliases[values] = name
                taken.add(name)
        for schema, prop, values in occurrences:
            if values in self.aliases:
                continue
            base = re.sub(r"(Response|Dto)$", "", schema.split("_")[0])
            name = camel(base) + camel(prop)
            while name in taken or name in self.schemas:
                name += "Value"
            self.aliases[values] = name
            taken.add(name)

    # -- types -----------------------------------------------------------------------------

    def literal(self, values: list[str]) -> str:
        alias = self.aliases.get(tuple(values))
        if alias:
            return alias
        self.uses.add("Literal")
        return "Literal[" + ", ".join(json.dumps(v) for v in values) + "]"

    def type_of(self, prop: dict[str, Any]) -> str:
        if "$ref" in prop:
            return class_name(ref_name(prop["$ref"]))
        if "allOf" in prop and len(prop["allOf"]) == 1:
            return self.type_of(prop["allOf"][0])
        if "enum" in prop:
            return self.literal([str(v) for v in prop["enum"]])
        kind = prop.get("type")
        if kind == "array":
            return f"list[{self.type_of(prop.get('items', {}))}]"
        if kind == "object":
            extra = prop.get("additionalProperties")
            value = self.type_of(extra) if isinstance(extra, dict) else "Any"
            if value == "Any":
                self.uses.add("Any")
            return f"dict[str, {value}]"
        if kind == "string":
            if prop.get("format") == "date-time":
                self.uses.add("datetime")
                return "datetime"
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        self.uses.add("Any")
        return "Any"

    # -- output ----------------------------------------------------------------------------

    def order(self) -> list[str]:
        """Schemas in alphabetical order, each after the schemas it refers to."""
        done: list[str] = []

        def refs(node: Any) -> list[str]:
            if isinstance(node, dict):
                own = [ref_name(node["$ref"])] if "$ref" in node else []
                return own + [r for v in node.values() for r in refs(v)]
            if isinstance(node, list):
                return [r for v in node for r in refs(v)]
            return []

        def visit(name: str) -> None:
            if name in done:
                return
            for dep in sorted(set(refs(self.schemas[name]))):
                if dep != name:
                    visit(dep)
            done.append(name)

        for name in sorted(self.schemas):
            visit(name)
        return done

    @staticmethod
    def docstring(text: str, indent: str) -> list[str]:
        text = " ".join(text.split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        one = f'{indent}"""{text}"""'
        if len(one) <= WIDTH:
            return [one]
        lines = textwrap.wrap(text, WIDTH - len(indent))
        return [f'{indent}"""', *(f"{indent}{line}" for line in lines), f'{indent}"""']

    def summary(self, name: str) -> str:
        """What a schema is for: the operations that answer or take it, or where it is used."""
        answers: list[str] = []
        bodies: list[str] = []
        for path, ops in sorted(self.spec["paths"].items()):
            for method, op in sorted(ops.items()):
                if not isinstance(op, dict):
                    continue
                where = f"`{method.upper()} {path}`"
                for code, response in sorted(op.get("responses", {}).items()):
                    content = response.get("content", {}).get("application/json", {})
                    if content.get("schema", {}).get("$ref", "").endswith(f"/{name}"):
                        answers.append(f"{where} ({code})" if not code.startswith("2") else where)
                body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
                if body.get("schema", {}).get("$ref", "").endswith(f"/{name}"):
                    bodies.append(where)
        if name.endswith("Error") and answers:
            codes = sorted({a.rsplit("(", 1)[-1].rstrip(")") for a in answers})
            return f"Error body of the {', '.join(codes)} answers."
        if answers:
            return f"Answer of {', '.join(dict.fromkeys(answers))}."
        if bodies:
            return f"Body of {', '.join(bodies)}."
        parents = sorted(
            class_name(other)
            for other, schema in self.schemas.items()
            if other != name and f'/{name}"' in json.dumps(schema)
        )
        return f"Part of {', '.join(f'`{p}`' for p in parents)}." if parents else name

    def model(self, name: str) -> list[str]:
        schema = self.schemas[name]
        out = [f"class {class_name(name)}(Model):"]
        out += self.docstring(schema.get("description") or self.summary(name), "    ")
        out.append("")
        required = set(schema.get("required", []))
        for wire, prop in sorted(schema.get("properties", {}).items(), key=lambda kv: kv[0]):
            annotation = self.type_of(prop)
            nullable = prop.get("nullable") or any(
                isinstance(p, dict) and p.get("nullable") for p in prop.get("allOf", [])
            )
            if nullable or wire not in required:
                annotation += " | None"
            python = field_name(wire)
            if python != wire:
                self.uses.add("Field")
                default = "None, " if wire not in required else ""
                line = f'    {python}: {annotation} = Field({default}alias="{wire}")'
            else:
                line = f"    {python}: {annotation}" + ("" if wire in required else " = None")
            out.append(line)
            if prop.get("description"):
                out += self.docstring(prop["description"], "    ")
        return out

    def alias_lines(self) -> list[str]:
        out: list[str] = []
        for values, name in sorted(self.aliases.items(), key=lambda kv: kv[1]):
            self.uses.add("Literal")
            one = f"{name} = Literal[" + ", ".join(json.dumps(v) for v in values) + "]"
            if len(one) <= WIDTH:
                out.append(one)
            else:
                out += [f"{name} = Literal[", *(f"    {json.dumps(v)}," for v in values), "]"]
        return out

    def render(self) -> str:
        models = [self.model(name) for name in self.order()]
        aliases = self.alias_lines()
        version = self.spec["info"]["version"]
        head = [
            f'"""Models of the {self.spec["info"]["title"]} {version}.',
            "",
            "Generated from openapi/openapi.json by scripts/generate_models.py; do not edit by",
            "hand: change the spec and run the script again (`--check` tells whether this file",
            "is current).",
            '"""',
            "",
        ]
        imports: list[str] = []
        if "datetime" in self.uses:
            imports.append("from datetime import datetime")
        typing_names = sorted(n for n in ("Any", "Literal") if n in self.uses)
        if typing_names:
            imports.append(f"from typing import {', '.join(typing_names)}")
        imports.append("")
        imports.append(
            "from pydantic import BaseModel, ConfigDict"
            + (", Field" if "Field" in self.uses else "")
        )
        body = [
            *head,
            *imports,
            "",
            f'API_VERSION = "{version}"',
            "",
            *aliases,
            "",
            "",
            "class Model(BaseModel):",
            '    """Base of every model: unknown fields are kept, names are the wire\'s."""',
            "",
            "    model_config = ConfigDict(",
            '        extra="allow", populate_by_name=True, use_attribute_docstrings=True',
            "    )",
        ]
        for lines in models:
            body += ["", "", *lines]
        return "\n".join(body) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the file differs from the spec"
    )
    args = parser.parse_args(argv)
    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    text = Generator(spec).render()
    current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if args.check:
        if current == text:
            print(f"{args.out.name} is up to date with {args.spec.name}")
            return 0
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"{args.out.name} (committed)",
            f"{args.out.name} (from {args.spec.name})",
        )
        sys.stdout.writelines(diff)
        print(
            f"\n{args.out} differs from what {args.spec} gives: run scripts/generate_models.py",
            file=sys.stderr,
        )
        return 1
    if current != text:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(f"{args.out.name} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
