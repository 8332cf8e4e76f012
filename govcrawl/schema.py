"""docs/report-schema.json, the JSON Schema of the record, generated from docs/report-schema.md.

    govcrawl schema            write docs/report-schema.json
    govcrawl schema --check    exit 1 if the file is not what the Markdown gives (CI, tests)
    python -m govcrawl.schema  the same

The Markdown is the contract; this reads its tables: the top-level keys with their types and
meanings (and the enums their meanings list: formats, attachment types), the keys govcrawl adds,
the nested objects' keys (`{"table", "row", ...}`), the row and column codes of every statistics
table, and the check statuses. What prose states about the nested keys' types is written once in
NESTED_TYPES below, and the generator fails when the Markdown names a nested key NESTED_TYPES does
not know, so the two cannot drift apart silently.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from govcrawl import PROJECT_ROOT

MARKDOWN = PROJECT_ROOT / "docs" / "report-schema.md"
JSON_SCHEMA = PROJECT_ROOT / "docs" / "report-schema.json"

_TYPES = {"str": "string", "bool": "boolean", "int": "integer", "object": "object", "list": "array",
          "float": "number", "number": "number"}

#: nested object -> key -> JSON Schema of its value, as the Markdown's prose states them
NESTED_TYPES: dict[str, dict[str, dict]] = {
    "section": {"heading": {"type": "string"}, "text": {"type": "string"}},
    "cell": {"table": {"type": "string"}, "row": {"type": "string"}, "col": {"type": "string"},
             # int where the text is a whole number, float otherwise, null for blanks
             "value": {"type": ["number", "null"]},
             "raw": {"type": "string"},
             "unit": {"type": ["string", "null"]}},
    "check": {"rule": {"type": "string"}, "at": {"type": ["string", "null"]},
              "status": {"type": "string"},
              "left": {"type": ["number", "null"]}, "right": {"type": ["number", "null"]}},
    "attachment": {"url": {"type": "string"}, "name": {"type": ["string", "null"]},
                   "type": {"type": "string"}},
    "signature": {"agency": {"type": ["string", "null"]},
                  "date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}},
}
#: top-level key -> nested object its value holds (a list of them, or one)
_NESTED_OF = {"sections": "section", "cells": "cell", "checks": "check",
              "attachments": "attachment", "signature": "signature"}

_TICKS = re.compile(r"`([^`]+)`")
_CODE = re.compile(r"^[a-z][a-z0-9_.]*$")


def _sections(text: str) -> dict[str, str]:
    """Heading (`## X` or `### X`) -> the text under it up to the next heading."""
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.M)
    return {parts[i].lstrip("#").strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _table(body: str) -> list[list[str]]:
    """The first Markdown table in `body`, without its header and rule rows."""
    rows = []
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            rows.append(cells)
        elif rows:
            break
    return [r for r in rows[2:] if not all(set(c) <= {"-", ":"} for c in r)]


def _type(text: str) -> dict:
    kinds = [_TYPES[t.strip()] for t in text.split(" or ") if t.strip() != "null"]
    if " or null" in text:
        kinds.append("null")
    return {"type": kinds[0] if len(kinds) == 1 else kinds}


def _braced_keys(text: str) -> list[str]:
    match = re.search(r"`\{([^`]*)\}`", text)
    if not match:
        raise ValueError(f"no {{...}} key list in: {text[:80]}")
    return re.findall(r'"(\w+)"\s*(?:[:,]|$)', match.group(1))


def _codes(cell: str) -> list[str]:
    """Row codes in a table cell: `a.b` / `.c` (the parent's sibling: a.c) / `d`."""
    out: list[str] = []
    for token in _TICKS.findall(cell):
        token = token.strip()
        if token.startswith(".") and out:
            token = out[0].rsplit(".", 1)[0] + token
        if _CODE.match(token):
            out.append(token)
    return out


def _nested(name: str, keys: list[str]) -> dict:
    types = NESTED_TYPES[name]
    unknown = [k for k in keys if k not in types]
    if unknown:
        raise ValueError(f"docs/report-schema.md names {name} keys {unknown} that "
                         f"govcrawl/schema.py NESTED_TYPES does not type: add them there")
    return {"type": "object", "required": keys, "properties": {k: dict(types[k]) for k in keys}}


def statistics_codes(sections: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    """table -> (row codes, col codes), from the Cells subsections."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for heading, body in sections.items():
        match = re.match(r"`(\w+)` \(", heading)
        if not match:
            continue
        table = match.group(1)
        rows: list[str] = []
        cols: list[str] = []
        for line in _table(body):
            rows += _codes(line[0])
            for cell in line[1:]:
                cols += [t for t in _TICKS.findall(cell) if _CODE.match(t)]
        if "`col` is always `value`" in heading:
            cols = ["value"]
        cols_line = re.search(r"^cols: (.*?)(?:\n\n|\n\|)", body, flags=re.M | re.S)
        if cols_line:
            tokens = _TICKS.findall(cols_line.group(1))
            prefixes = [t for t in tokens if t.endswith(".")]
            named = [t for t in tokens if not t.endswith(".") and _CODE.match(t)]
            cols += named
            # "the same five under `suit_direct.` and `suit_after_review.`"
            for prefix in prefixes:
                cols += [prefix + t.split(".", 1)[1] for t in named if "." in t]
        one_row = re.search(r"one row: `(\w+)`", heading)
        if one_row:
            rows.append(one_row.group(1))
        out[table] = (list(dict.fromkeys(rows)), list(dict.fromkeys(cols)))
    return out


def build_schema(markdown: str) -> dict:
    sections = _sections(markdown)
    properties: dict[str, dict] = {}
    defs: dict[str, dict] = {}
    required: list[str] = []
    for part in ("Top level", "Keys govcrawl adds"):
        for key_cell, type_cell, meaning in _table(sections[part]):
            key = _TICKS.findall(key_cell)[0]
            schema = _type(type_cell)
            schema["description"] = re.sub(r"\s+", " ", meaning.replace("\\|", "|")).strip()
            if key in _NESTED_OF:
                name = _NESTED_OF[key]
                # cells and checks list their keys under their own headings, the others in place
                where = {"cells": sections["Cells"], "checks": sections["Checks"]}.get(key, meaning)
                defs[name] = _nested(name, _braced_keys(where))
                ref = {"$ref": f"#/$defs/{name}"}
                if schema["type"] == "array":
                    schema["items"] = ref
                else:  # an object or null
                    schema = {"description": schema["description"], "anyOf": [ref, {"type": "null"}]}
            elif key == "format":
                schema["enum"] = [t for t in _TICKS.findall(meaning) if re.fullmatch(r"\w+", t)]
            elif key == "published":
                schema["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
            elif key == "meta":
                schema["additionalProperties"] = {"type": "string"}
            properties[key] = schema
            required.append(key)
    attachment_meaning = next(m for k, _t, m in _table(sections["Top level"]) if "attachments" in k)
    kinds = _TICKS.findall(attachment_meaning.split("one of", 1)[1])
    defs["attachment"]["properties"]["type"]["enum"] = kinds
    status = re.search(r"`status` is ((?:`\w+`[, ]*(?:or )?)+)", sections["Checks"])
    if not status:
        raise ValueError("docs/report-schema.md: Checks names no `status` values")
    defs["check"]["properties"]["status"]["enum"] = _TICKS.findall(status.group(1))
    rules = [c for row in _table(sections["Checks"]) for c in _TICKS.findall(row[0])]
    defs["check"]["properties"]["rule"]["examples"] = rules
    defs["check"]["properties"]["rule"]["pattern"] = r"^[a-z_]+\.[a-z_]+$"

    codes = statistics_codes(sections)
    defs["cell"]["properties"]["table"]["enum"] = list(codes)
    defs["cell"]["allOf"] = [{
        "if": {"properties": {"table": {"const": table}}},
        "then": {"properties": {
            # rows the spec does not name are kept as `other:` + their label
            "row": {"anyOf": [{"enum": rows}, {"pattern": "^other:"}]},
            "col": {"enum": cols},
        }},
    } for table, (rows, cols) in codes.items()]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/govcrawl/govcrawl/blob/main/docs/report-schema.json",
        "title": "govcrawl report record",
        "description": "One annual report (政府信息公开工作年度报告) as govcrawl records it. Generated "
                       "from docs/report-schema.md by `govcrawl schema`: edit the Markdown, "
                       "then regenerate.",
        "type": "object",
        "required": required,
        "properties": properties,
        # "Add keys where users need more": a record may carry keys the spec does not name
        "additionalProperties": True,
        "$defs": defs,
    }


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def generated(markdown_path: Path = MARKDOWN) -> str:
    return render(build_schema(markdown_path.read_text("utf-8")))


def register(subparsers) -> None:
    p = subparsers.add_parser("schema", help="write docs/report-schema.json from docs/report-schema.md")
    add_arguments(p)
    p.set_defaults(func=cmd_schema)


def add_arguments(p) -> None:
    p.add_argument("--check", action="store_true",
                   help="only check that the file is up to date (exit 1 if not)")
    p.add_argument("--markdown", type=Path, default=MARKDOWN)
    p.add_argument("-o", "--output", type=Path, default=JSON_SCHEMA)


def cmd_schema(args) -> int:
    text = generated(args.markdown)
    if args.check:
        current = args.output.read_text("utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run `govcrawl schema`", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, "utf-8")
    print(f"schema: {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govcrawl.schema", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return cmd_schema(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
