"""Accounting identities: pass / fail / unknown, with both sides, cells never changed."""

from __future__ import annotations

import copy

import pytest

from govcrawl import PROJECT_ROOT
from govcrawl.formats import BY_NAME
from govcrawl.parse.checks import run_checks
from govcrawl.parse.statistics import read_statistics

SEEDS = PROJECT_ROOT / "fixtures" / "seeds"
APPLICANTS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cell(table, row, col, raw, value):
    return {"table": table, "row": row, "col": col, "value": value, "raw": raw, "unit": None}


def stat(row, value, raw=None):
    return cell("statistics", row, "value", str(value) if raw is None else raw, value)


def find(checks, rule, at):
    return next(c for c in checks if c["rule"] == rule and c["at"] == at)


@pytest.fixture(scope="module")
def seed001():
    return read_statistics([], seed_lines("001"))


def test_seed001_total_six_fails_results(seed001):
    # （七）总计 prints 6 for 自然人 and 总计 while its rows add to 1 + 2 = 3
    assert find(seed001["checks"], "applications.results", "natural_person") == {
        "rule": "applications.results", "at": "natural_person", "status": "fail", "left": 6, "right": 3}
    assert find(seed001["checks"], "applications.results", "total") == {
        "rule": "applications.results", "at": "total", "status": "fail", "left": 6, "right": 3}


def test_seed001_total_six_fails_balance(seed001):
    # 3 new + 0 carried over != 6 processed + 0 carried forward
    assert find(seed001["checks"], "applications.balance", "natural_person") == {
        "rule": "applications.balance", "at": "natural_person", "status": "fail", "left": 3, "right": 6}
    assert find(seed001["checks"], "applications.balance", "total")["status"] == "fail"


def test_seed001_only_those_fail(seed001):
    failed = {(c["rule"], c["at"]) for c in seed001["checks"] if c["status"] == "fail"}
    assert failed == {("applications.results", "natural_person"), ("applications.results", "total"),
                      ("applications.balance", "natural_person"), ("applications.balance", "total")}
    assert all(c["status"] == "pass" for c in seed001["checks"] if c["rule"] == "applications.row_total")
    assert len([c for c in seed001["checks"] if c["rule"] == "applications.row_total"]) == 23


def test_seed001_cells_stay_as_printed(seed001):
    total = {c["col"]: c["value"] for c in seed001["cells"] if c["row"] == "total_processed"}
    assert total["natural_person"] == 6 and total["total"] == 6


def test_seed001_review_litigation_checks(seed001):
    got = [(c["at"], c["status"], c["left"], c["right"])
           for c in seed001["checks"] if c["rule"] == "review_litigation.total"]
    assert got == [("review", "pass", 0, 0), ("suit_direct", "pass", 0, 0), ("suit_after_review", "pass", 0, 0)]


def test_seed003_staff_three_is_two_plus_one():
    result = read_statistics([], seed_lines("003"))
    assert find(result["checks"], "statistics.staff", "org.staff") == {
        "rule": "statistics.staff", "at": "org.staff", "status": "pass", "left": 3, "right": 3}
    assert {c["rule"] for c in result["checks"]} == {
        "statistics.requests", "statistics.closed", "statistics.replies", "statistics.denied",
        "statistics.review", "statistics.litigation", "statistics.staff"}
    assert {c["status"] for c in result["checks"]} == {"pass"}


def test_seed000_staff_two_is_two_plus_zero():
    result = read_statistics([], seed_lines("000"))
    assert find(result["checks"], "statistics.staff", "org.staff")["left"] == 2
    assert find(result["checks"], "statistics.staff", "org.staff")["right"] == 2


def test_missing_row_is_unknown():
    cells = [stat("org.staff", 3), stat("org.staff_full_time", 2)]
    check = find(run_checks(BY_NAME["statistics"], cells), "statistics.staff", "org.staff")
    assert check["status"] == "unknown" and check["left"] == 3 and check["right"] is None


def test_blank_and_placeholder_count_as_zero():
    cells = [stat("org.staff", 2), stat("org.staff_full_time", 2), stat("org.staff_part_time", None, raw="—")]
    assert find(run_checks(BY_NAME["statistics"], cells), "statistics.staff", "org.staff")["status"] == "pass"
    cells[2] = stat("org.staff_part_time", None, raw="")
    assert find(run_checks(BY_NAME["statistics"], cells), "statistics.staff", "org.staff")["status"] == "pass"


def test_fail_reports_both_sides():
    cells = [stat("review.total", 5), stat("review.upheld", 1), stat("review.corrected", 1), stat("review.other", 1)]
    assert find(run_checks(BY_NAME["statistics"], cells), "statistics.review", "review.total") == {
        "rule": "statistics.review", "at": "review.total", "status": "fail", "left": 5, "right": 3}


def test_decimal_sums_compare_with_tolerance():
    cells = [stat("org.staff", 0.3), stat("org.staff_full_time", 0.1), stat("org.staff_part_time", 0.2)]
    assert find(run_checks(BY_NAME["statistics"], cells), "statistics.staff", "org.staff")["status"] == "pass"


def test_row_total_per_row():
    cells = [cell("applications", "granted", c, str(v), v) for c, v in zip(APPLICANTS, (1, 2, 0, 0, 0, 0, 4))]
    check = find(run_checks(BY_NAME["2021"], cells), "applications.row_total", "granted")
    assert check == {"rule": "applications.row_total", "at": "granted", "status": "fail", "left": 4, "right": 3}


def test_results_2021_uses_three_other_rows():
    fmt = BY_NAME["2021"]
    rows = {r.code: 0 for r in fmt.table("applications").rows if r.code and not r.subtotal}
    rows.update({"granted": 2, "other.overdue_fee": 1, "other.other": 1, "total_processed": 4})
    cells = [cell("applications", r, "total", str(v), v) for r, v in rows.items()]
    check = find(run_checks(fmt, cells), "applications.results", "total")
    assert check["status"] == "pass" and check["right"] == 4


def test_subtotal_rows_checked_where_printed():
    fmt = BY_NAME["2021"]
    cells = [cell("applications", "unable", "total", "3", 3)] + [
        cell("applications", r, "total", "1", 1) for r in ("unable.not_held", "unable.needs_creation", "unable.unclear")]
    assert find(run_checks(fmt, cells), "applications.subtotal", "unable/total")["status"] == "pass"
    cells[0] = cell("applications", "unable", "total", "4", 4)
    assert find(run_checks(fmt, cells), "applications.subtotal", "unable/total")["status"] == "fail"
    # no subtotal row printed: no subtotal check at all
    assert not [c for c in run_checks(fmt, cells[1:]) if c["rule"] == "applications.subtotal"]


def test_review_litigation_block_fail():
    cols = [f"{b}.{c}" for b in ("review", "suit_direct", "suit_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")]
    values = [1, 0, 0, 0, 2] + [0] * 10
    cells = [cell("review_litigation", "cases", c, str(v), v) for c, v in zip(cols, values)]
    checks = run_checks(BY_NAME["2019"], cells)
    assert find(checks, "review_litigation.total", "review") == {
        "rule": "review_litigation.total", "at": "review", "status": "fail", "left": 2, "right": 1}
    assert find(checks, "review_litigation.total", "suit_direct")["status"] == "pass"


def test_checks_never_change_cells():
    cells = [stat("review.total", 5), stat("review.upheld", 1)]
    before = copy.deepcopy(cells)
    run_checks(BY_NAME["statistics"], cells)
    assert cells == before


def test_absent_table_gives_unknown_checks():
    checks = run_checks(BY_NAME["2019"], [])
    assert checks and {c["status"] for c in checks} == {"unknown"}
    assert {c["rule"] for c in checks} == {"applications.balance", "applications.results",
                                           "applications.row_total", "review_litigation.total"}
