"""govcrawl.record: the record's keys and the body-kind sniffing."""

from govcrawl.ingest import sniff_kind
from govcrawl.record import SPEC_KEYS, new_record


def test_new_record_has_every_spec_key():
    record = new_record("http://example.gov.cn/a.html")
    assert list(record)[: len(SPEC_KEYS)] == list(SPEC_KEYS)
    assert record["format"] == "none" and record["is_report"] is False
    assert record["cells"] == [] and record["checks"] == [] and record["signature"] is None


def test_sniff_kind_by_magic_bytes():
    assert sniff_kind(b"%PDF-1.4\n...") == "pdf"
    assert sniff_kind(b"PK\x03\x04....word/document.xml") == "docx"
    assert sniff_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", url="http://x/a.doc") == "doc"
    assert sniff_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", url="http://x/a.wps") == "wps"


def test_sniff_kind_html_and_text():
    assert sniff_kind(b"<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert sniff_kind("一、总体情况\n二、主动公开".encode()) == "text"
    assert sniff_kind(b"anything", content_type="application/pdf") == "pdf"
