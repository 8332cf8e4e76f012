"""The Datasette plugin of `govcrawl serve` (registered by govcrawl/serve.py).

- `/-/report/<id>`: one report, its statistics tables as the report prints them (rows and columns
  in the layout's order, with their Chinese labels from govcrawl/formats), the identities it fails,
  and its scorecard line;
- every `report_id` cell links to that page;
- `report_versions` (the raw pages as compressed blobs, the full record JSON) is refused.
"""

from __future__ import annotations

from importlib import resources

from datasette import Response, hookimpl
from markupsafe import Markup, escape

from govcrawl.formats import BY_NAME
from govcrawl.formats.base import TableDef

_BLOCKS = {"review": "行政复议", "suit_direct": "行政诉讼 未经复议直接起诉",
           "suit_after_review": "行政诉讼 复议后起诉"}
_TABLE_TITLES = {"statistics": "政府信息公开情况统计表", "active": "二、主动公开政府信息情况",
                 "applications": "三、收到和处理政府信息公开申请情况",
                 "review_litigation": "四、政府信息公开行政复议、行政诉讼情况"}

#: the report page, a Jinja template over Datasette's base.html; read through importlib.resources
#: so it loads from a zipped package too
PAGE = resources.files("govcrawl.datasette").joinpath("report.html").read_text("utf-8")


def _col_label(table: TableDef | None, code: str) -> str:
    label = next((c.labels[0] for c in table.cols if c.code == code), None) if table else None
    if label is None:
        label = "统计数" if code == "value" else code
    block = code.split(".", 1)[0]
    # table 四's five results repeat under three blocks: name the block
    return f"{_BLOCKS[block]} {label}" if "." in code and block in _BLOCKS else label


def _row_label(table: TableDef | None, code: str) -> str:
    if code.startswith("other:"):
        return code[len("other:"):]
    if table is not None:
        for row in table.rows:
            if row.code == code:
                return row.labels[0]
    return code


def grids(fmt: str | None, cells: list[dict]) -> list[dict]:
    """The report's statistics tables as grids: rows and columns in the layout's order (rows the
    layout does not name, `other:`, last), each cell the text as printed."""
    layout = BY_NAME.get(fmt or "")
    by_table: dict[str, dict[tuple[str, str], dict]] = {}
    for cell in cells:
        by_table.setdefault(cell["tbl"], {}).setdefault((cell["row_code"], cell["col"]), cell)
    order = [t.key for t in layout.tables] if layout else []
    out = []
    for key in order + sorted(k for k in by_table if k not in order):
        if key not in by_table:
            continue
        table = layout.table(key) if layout and key in order else None
        printed = by_table[key]
        row_order = [r.code for r in table.rows if r.code] if table else []
        col_order = [c.code for c in table.cols] if table else []
        rows = [r for r in row_order if any(k[0] == r for k in printed)]
        rows += sorted({k[0] for k in printed} - set(rows))
        cols = [c for c in col_order if any(k[1] == c for k in printed)]
        cols += sorted({k[1] for k in printed} - set(cols))
        body = []
        for row in rows:
            rendered = []
            for col in cols:
                found = printed.get((row, col))
                if found is None:
                    rendered.append(Markup('<td class="blank"></td>'))
                    continue
                raw = found["raw"] or ""
                kind = "num" if found["value"] is not None else "blank" if not raw else ""
                title = "" if found["value"] is None else f' title="{escape(found["value"])}' \
                    f'{(" " + escape(found["unit"])) if found["unit"] else ""}"'
                rendered.append(Markup(f'<td class="{kind}"{title}>{escape(raw)}</td>'))
            body.append({"code": row, "label": _row_label(table, row), "cells": rendered})
        out.append({"title": _TABLE_TITLES.get(key, key),
                    "cols": [{"code": c, "label": _col_label(table, c)} for c in cols],
                    "rows": body})
    return out


async def report_page(datasette, request):
    report_id = int(request.url_vars["report_id"])
    db = datasette.get_database()
    found = await db.execute(
        "SELECT id, url, agency, agency_key, region_code, year, title, published, format, status "
        "FROM reports WHERE id = ?", [report_id])
    report = found.first()
    if report is None:
        return Response.html(f"no report {report_id}", status=404)
    cells = await db.execute("SELECT tbl, row_code, col, raw, value, unit FROM report_cells "
                             "WHERE report_id = ?", [report_id])
    failed = await db.execute("SELECT rule, at, status, lhs, rhs FROM report_checks "
                              "WHERE report_id = ? AND status != 'pass'", [report_id])
    score = (await db.execute("SELECT * FROM scorecard WHERE report_id = ?", [report_id])).first()
    base = datasette.urls.database(db.name)
    template = datasette.jinja_env.from_string(PAGE)
    return Response.html(await datasette.render_template(template, {
        "report": dict(report), "score": dict(score) if score else None,
        "grids": grids(report["format"], [dict(c) for c in cells.rows]),
        "failed": [dict(k) for k in failed.rows],
        "cells_url": f"{base}/report_cells?report_id={report_id}",
        "checks_url": f"{base}/report_checks?report_id={report_id}",
    }, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/report/(?P<report_id>\d+)$", report_page)]


@hookimpl
def render_cell(value, column, datasette):
    # every report_id (views, canned queries) links to the report page
    if column == "report_id" and isinstance(value, int):
        return Markup(f'<a href="{datasette.urls.path(f"/-/report/{value}")}">{value}</a>')
    return None


@hookimpl
def permission_allowed(action, resource):
    # the raw pages and full records stay out of the browser (hidden in the metadata too)
    if action in ("view-table", "view-row") and isinstance(resource, tuple) \
            and len(resource) == 2 and resource[1] == "report_versions":
        return False
    return None
