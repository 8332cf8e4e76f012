"""Charset decisions for Chinese government pages (govcrawl.extract.encoding)."""

from govcrawl.extract.encoding import (
    decode_html,
    decode_text,
    detect_encoding,
    header_charset,
    meta_charset,
    normalize_charset,
)

REPORT = "安顺市安全生产监督管理局2017年政府信息公开工作年度报告"
# 镕 and 陳 are GBK but not GB2312: pages that declare gb2312 use them anyway
GBK_ONLY = "朱镕基 陳"


def page(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def test_gb_family_names_become_gb18030():
    for name in ("gb2312", "GBK", "x-gbk", "cp936", "GB_2312-80", "gb18030"):
        assert normalize_charset(name) == "gb18030"


def test_latin1_declaration_is_ignored():
    assert normalize_charset("iso-8859-1") is None
    assert normalize_charset("no-such-charset") is None


def test_header_and_meta_charset_are_read():
    assert header_charset("text/html; charset=GB2312") == "gb18030"
    assert header_charset(b"text/html;charset=utf-8") == "utf-8"
    assert meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">') == "gb18030"
    assert meta_charset(b'<meta charset="utf-8">') == "utf-8"


def test_gb2312_declared_page_with_gbk_characters_decodes():
    body = page(GBK_ONLY, '<meta charset="gb2312">').encode("gbk")
    assert GBK_ONLY in decode_html(body)


def test_wrong_utf8_header_on_gbk_page_falls_back_to_meta():
    body = page(REPORT, '<meta charset="gb2312">').encode("gbk")
    assert detect_encoding(body, content_type="text/html; charset=utf-8") == "gb18030"
    assert REPORT in decode_html(body, content_type="text/html; charset=utf-8")


def test_undeclared_gbk_page_is_not_read_as_cp1252():
    body = page(REPORT).encode("gbk")
    assert detect_encoding(body, declared="cp1252") == "gb18030"
    assert REPORT in decode_html(body, declared="cp1252")


def test_undeclared_utf8_page():
    body = page(REPORT).encode("utf-8")
    assert detect_encoding(body) == "utf-8"


def test_text_with_bom_and_gb18030():
    assert decode_text("\ufeff".encode("utf-8") + REPORT.encode("utf-8")) == REPORT
    assert decode_text(REPORT.encode("gb18030")) == REPORT


def test_undecodable_bytes_do_not_raise():
    assert isinstance(decode_text(b"\xff\xfe\xfa\x80\x81" * 3 + b"abc"), str)
