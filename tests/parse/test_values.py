"""Cell value parsing: numbers as printed, blanks vs placeholders vs 0, units, signs."""

from __future__ import annotations

import pytest

from govcrawl.parse.values import header_unit, is_placeholder, is_unit, is_value_like, parse_value


def test_whole_number_is_int():
    p = parse_value("1656")
    assert p.value == 1656 and isinstance(p.value, int) and p.kind == "number" and p.unit is None


def test_decimal_is_float():
    p = parse_value("0.5")
    assert p.value == 0.5 and isinstance(p.value, float)


def test_amount_with_yuan_unit():
    p = parse_value("43027665.50元")
    assert p.value == 43027665.5 and p.unit == "元"


def test_jian_is_negative():
    assert parse_value("减4").value == -4
    assert parse_value("减少2").value == -2


def test_minus_sign_and_plus_sign():
    assert parse_value("-8").value == -8
    assert parse_value("\u22128").value == -8
    assert parse_value("+3").value == 3
    assert parse_value("增加3").value == 3


def test_zero_is_a_number_not_blank():
    p = parse_value("0")
    assert p.value == 0 and p.kind == "number"


def test_blank_is_blank():
    for raw in ("", "   ", "\u3000", "\xa0"):
        p = parse_value(raw)
        assert p.value is None and p.kind == "blank"


@pytest.mark.parametrize("raw", ["-", "—", "——", "/", "／", "无", "無", "--", "－－", "N/A", "不适用", "空"])
def test_placeholders_are_null_and_not_blank(raw):
    p = parse_value(raw)
    assert p.value is None and p.kind == "placeholder"
    assert is_placeholder(raw)


def test_full_width_digits_and_thousands_separator():
    assert parse_value("１２３").value == 123
    assert parse_value("1,234").value == 1234
    assert parse_value("96171.6").value == 96171.6


def test_number_with_count_unit():
    p = parse_value("3件")
    assert p.value == 3 and p.unit == "件"
    assert parse_value("3 人次").unit == "人次"


def test_text_is_not_a_number():
    p = parse_value("见附件")
    assert p.value is None and p.kind == "text"
    assert not is_value_like("见附件")


def test_units_alone():
    assert is_unit("条") and is_unit("万元") and is_unit("人次")
    assert not is_unit("统计数")
    assert is_value_like("件")


def test_header_unit():
    assert header_unit("本年收费金额（单位：万元）") == "万元"
    assert header_unit("本年收费金额(单位:万元)") == "万元"
    assert header_unit("采购总金额") is None


def test_amount_with_yuan_and_signed_change_as_printed():
    from govcrawl.parse.values import parse_value as pv

    assert (pv("84565元").value, pv("84565元").unit) == (84565, "元")
    assert (pv("+19").value, pv("+19").kind) == (19, "number")
    assert [pv(x).kind for x in ("", "/", "0")] == ["blank", "placeholder", "number"]
