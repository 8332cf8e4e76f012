"""Datasette metadata for a govcrawl database: titles, descriptions, facets, hidden tables, and
the canned queries (the README's queries are these, word for word)."""

from __future__ import annotations

#: name -> (title, description, SQL); the README prints the first three
QUERIES: dict[str, tuple[str, str, str]] = {
    "reports_by_year": (
        "Reports by year",
        "Every stored report: agency, year, layout, where it was read",
        "SELECT agency, year, format, url FROM reports ORDER BY year"),
    "applications_received": (
        "Applications received per report, every layout",
        "收到申请数 (统计表, before 2019) and 本年新收政府信息公开申请数量 (2019 and 2021 tables) as one "
        "measure (docs/measures.md)",
        "SELECT agency, year, format, value FROM report_measures "
        "WHERE measure = 'applications_received' ORDER BY agency, year"),
    "failed_identities": (
        "Identities the reports fail",
        "Every accounting identity a report's own tables break, with both sides",
        "SELECT agency, year, rule, at, lhs, rhs FROM report_checks WHERE status = 'fail' "
        "ORDER BY agency, year"),
    "late_reports": (
        "Reports published after the legal deadline",
        "条例 (2019) 第四十九条 / (2008) 第三十一条: the rule applied is docs/scorecard.md",
        "SELECT agency, year, published, deadline, deadline_basis, url FROM scorecard "
        "WHERE on_time = 0 ORDER BY year, agency"),
    "report_cells_of": (
        "One report's cells",
        "Every statistics cell of one report, in the order printed (the report page /-/report/ID "
        "shows them as tables)",
        "SELECT tbl, row_code, col, raw, value, unit FROM report_cells "
        "WHERE report_id = :report_id ORDER BY tbl, row_code, col"),
}

_FACETS = ["agency", "year", "format", "region_code"]


def metadata(database: str) -> dict:
    """Datasette metadata for the database file named `database` (its stem)."""
    return {
        "title": "govcrawl: 政府信息公开工作年度报告",
        "description": "Government information-disclosure annual reports, their statistics "
                       "tables and the identities those tables must obey. The report page "
                       "/-/report/ID shows one report's tables.",
        "about": "docs/report-schema.md",
        "databases": {database: {
            "description": "One row per report in `reports`; `report_cells`, `report_checks`, "
                           "`report_measures` and `scorecard` are views over each report's "
                           "current version.",
            "tables": {
                "reports": {
                    "description": "One row per report URL: agency, year, publication date, "
                                   "layout, status (active / missing)",
                    "facets": _FACETS + ["status"],
                    "sort_desc": "year",
                    "label_column": "title",
                },
                "report_cells": {
                    "description": "Every statistics cell as printed (raw) and as a number "
                                   "(value); codes in docs/report-schema.md",
                    "facets": _FACETS + ["tbl"],
                },
                "report_checks": {
                    "description": "Every identity checked: pass, fail, or unknown (a row it "
                                   "needs is missing), with both sides",
                    "facets": _FACETS + ["rule", "status"],
                },
                "report_measures": {
                    "description": "Cross-format measures (docs/measures.md): the pre-2019 and "
                                   "2019+ tables under one name",
                    "facets": ["measure", "agency", "year", "format"],
                },
                "scorecard": {
                    "description": "Per report: legal deadline and whether it was met, tables "
                                   "present, identities passed (docs/scorecard.md)",
                    "facets": _FACETS + ["on_time", "body_kind"],
                },
                "crawl_runs": {"description": "One row per crawl run, with its counts",
                               "sort_desc": "id", "facets": ["spider", "finish_reason"]},
                "crawl_failures": {"description": "Pages a run could not store: kind and reason",
                                   "sort_desc": "id", "facets": ["kind"]},
                # the raw pages (compressed blobs) and the full record JSON: hidden here and
                # refused by the plugin; `govcrawl export records` gives the records
                "report_versions": {"hidden": True},
                "cells": {"hidden": True, "description": "Use report_cells"},
                "checks": {"hidden": True, "description": "Use report_checks"},
                "pages": {"hidden": True},
                "govcrawl_alembic_version": {"hidden": True},
            },
            "queries": {name: {"title": title, "description": description, "sql": sql}
                        for name, (title, description, sql) in QUERIES.items()},
        }},
    }
