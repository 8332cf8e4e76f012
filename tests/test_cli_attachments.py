"""`govcrawl parse FILE` on report attachments (PDF, DOCX): one JSON record line on stdout."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

pytest.importorskip("reportlab")

TITLE = "贵阳市某某局2017年政府信息公开工作年度报告"
BODY = "一、概述"


def _pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("STSong-Light", 18)
    c.drawCentredString(A4[0] / 2, 760, TITLE)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 720, BODY)
    c.drawString(72, 700, "本报告所列数据的统计期限自2017年1月1日起至2017年12月31日止。")
    c.setFont("STSong-Light", 9)
    c.drawCentredString(A4[0] / 2, 30, "- 1 -")
    c.showPage()
    c.save()
    return out.getvalue()


def _docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(BODY)
    table = document.add_table(rows=2, cols=3)
    for j, text in enumerate(["统计指标", "单位", "统计数"]):
        table.cell(0, j).text = text
    for j, text in enumerate(["（一）收到申请数", "件", "12"]):
        table.cell(1, j).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govcrawl.cli", *args], capture_output=True,
                          timeout=120)


@pytest.mark.parametrize("name,make,source", [("report.pdf", _pdf, "pdf"),
                                              ("report.docx", _docx, "docx")])
def test_parse_attachment_prints_one_record(tmp_path, name, make, source):
    path = tmp_path / name
    path.write_bytes(make())
    url = f"https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/2017n/201803/{name}"
    result = _run("parse", str(path), "--url", url)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("utf-8").splitlines()
    assert len(out) == 1
    record = json.loads(out[0])
    assert record["url"] == url
    assert record["source"] == source
    assert record["flags"] == []
    assert TITLE in record["text"] and BODY in record["text"]
    assert "- 1 -" not in record["text"]
    assert not any(key.startswith("_") for key in record)


def test_parse_truncated_pdf_fails_cleanly(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(_pdf()[:600])
    result = _run("parse", str(path))
    assert result.returncode == 1
    assert result.stdout == b""
    err = result.stderr.decode("utf-8", "replace")
    assert "AttachmentError" in err and "truncated" in err
    assert "Traceback" not in err
