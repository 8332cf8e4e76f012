"""cross_year.carry: 上年结转 of year N against 结转下年度继续办理 of year N-1 (a plain function)."""

from __future__ import annotations

import pytest

from govcrawl.parse.cross_year import agency_identity, carry_checks, same_agency

COLS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org", "total")


def rec(year, fmt="2021", over=None, forward=None, agency="沅江市黄茅洲镇人民政府", **extra):
    cells = []
    for row, values in (("carried_over", over), ("carried_forward", forward)):
        for col, v in zip(COLS, values or ()):
            cells.append({"table": "applications", "row": row, "col": col,
                          "value": v if isinstance(v, (int, float)) else None, "raw": "" if v is None else str(v)})
    return {"year": year, "format": fmt, "agency": agency, "cells": cells, **extra}


def statuses(found):
    return {c["at"]: c["status"] for c in found}


def test_pass_per_column():
    found = carry_checks(rec(2022, over=[2, 0, 0, 0, 0, 0, 2]), rec(2021, forward=[2, 0, 0, 0, 0, 0, 2]))
    assert [c["at"] for c in found] == list(COLS)
    assert set(statuses(found).values()) == {"pass"}
    assert found[-1] == {"rule": "cross_year.carry", "at": "total", "status": "pass", "left": 2, "right": 2}


def test_fail_is_recorded_not_corrected():
    now, before = rec(2022, over=[1, 0, 0, 0, 0, 0, 1]), rec(2021, forward=[2, 0, 0, 0, 0, 0, 2])
    found = carry_checks(now, before)
    assert statuses(found)["natural_person"] == "fail"
    assert {k: found[0][k] for k in ("left", "right")} == {"left": 1, "right": 2}
    assert now["cells"][0]["value"] == 1   # nothing changed


def test_blank_and_placeholder_count_as_zero():
    found = carry_checks(rec(2022, over=[None, "/", 0, 0, 0, 0, 0]), rec(2021, forward=[0, 0, 0, 0, 0, 0, 0]))
    assert set(statuses(found).values()) == {"pass"}


def test_2021_report_after_a_2020_report_on_the_2019_layout():
    found = carry_checks(rec(2021, "2021", over=[0] * 7), rec(2020, "2019", forward=[0] * 7))
    assert set(statuses(found).values()) == {"pass"}


@pytest.mark.parametrize("now,before", [
    (rec(2019, "2019", over=[0] * 7), rec(2018, "statistics")),   # pre-2019 统计表: no carry rows
    (rec(2022, over=[0] * 7), rec(2020, forward=[0] * 7)),        # not consecutive years
    (rec(2022, over=[0] * 7), rec(2021, forward=None)),           # the row is not printed
    (rec(2022, "none"), rec(2021, forward=[0] * 7)),              # no table at all
])
def test_unknown(now, before):
    found = carry_checks(now, before)
    assert len(found) == 7 and set(statuses(found).values()) == {"unknown"}
    assert all(c["left"] is None and c["right"] is None for c in found)


def test_a_column_printed_in_one_year_only_is_unknown():
    now = rec(2022, over=[3, 0, 0, 0, 0, 0, 3])
    before = rec(2021, forward=[3])   # only 自然人 printed
    assert statuses(carry_checks(now, before)) == {"natural_person": "pass", **{c: "unknown" for c in COLS[1:]}}


def test_same_agency():
    assert same_agency({"agency": "拖市鎮"}, {"agency": "拖市镇"})          # normalised: Simplified
    assert same_agency({"agency": "拖市 镇"}, {"agency": "拖市镇"})
    assert not same_agency({"agency": ""}, {"agency": ""})
    assert agency_identity({"agency": "x", "agency_key": "429006:拖市镇"}) == "429006:拖市镇"
    assert not same_agency({"agency": "拖市镇", "agency_key": "429006:拖市镇"}, {"agency": "拖市镇", "agency_key": "1:拖市镇"})
