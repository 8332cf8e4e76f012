"""PDF attachments -> ReportDocument: text in reading order, ruled tables as grids, page footers
dropped, scans and unmapped fonts flagged `needs_ocr`, broken files rejected with AttachmentError.

Every PDF is generated here: reportlab with its built-in CID font STSong-Light (Chinese text without
embedding a font file), and a hand-written PDF for a font with no Unicode map.
"""

from __future__ import annotations

import io

import pytest

pytest.importorskip("reportlab")

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from govcrawl.attachments import AttachmentError, document_from_attachment
from govcrawl.attachments.pdf import garbled_reason
from govcrawl.attachments.textutil import is_page_number
from govcrawl.ingest import record_from_bytes

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

URL = "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/2017n/201803/P020180320_1.pdf"
TITLE = "贵阳市某某局2017年政府信息公开工作年度报告"
INTRO = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布贵阳市某某局2017年"
         "政府信息公开工作年度报告。本报告由概述、主动公开政府信息情况、依申请公开政府信息情况、"
         "政府信息公开收费及减免情况、因政府信息公开申请行政复议和提起行政诉讼的情况、存在的主要问题"
         "及改进措施等部分组成。本报告中所列数据的统计期限自2017年1月1日起至2017年12月31日止。")
FILLER = ("2017年，我局认真贯彻落实《条例》和上级关于政务公开工作的部署，围绕中心工作，"
          "加强组织领导，健全工作机制，规范公开内容，拓展公开渠道，政府信息公开工作取得新成效。")
CAPTION = "附件：贵阳市某某局2017年政府信息公开情况统计表"
#: a pre-2019 统计表 (统计指标 | 单位 | 统计数), long enough to run onto a second page
STAT_ROWS = [
    ["统计指标", "单位", "统计数"],
    ["一、主动公开情况", "——", "——"],
    ["（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "1234"],
    ["其中：主动公开规范性文件数", "条", "12"],
    ["制发规范性文件总数", "件", "15"],
    ["（二）通过不同渠道和方式公开政府信息的情况", "——", "——"],
    ["1.政府公报公开政府信息数", "条", "20"],
    ["2.政府网站公开政府信息数", "条", "1100"],
    ["3.政务微博公开政府信息数", "条", "300"],
    ["4.政务微信公开政府信息数", "条", "250"],
    ["5.其他方式公开政府信息数", "条", "40"],
    ["二、回应解读情况", "——", "——"],
    ["（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）", "次", "6"],
    ["三、依申请公开情况", "——", "——"],
    ["（一）收到申请数", "件", "12"],
    ["1.当面申请数", "件", "3"],
    ["2.传真申请数", "件", "0"],
    ["3.网络申请数", "件", "8"],
    ["4.信函申请数", "件", "1"],
    ["（二）申请办结数", "件", "12"],
    ["1.按时办结数", "件", "12"],
    ["2.延期办结数", "件", "0"],
    ["四、行政复议数量", "件", "1"],
    ["五、行政诉讼数量", "件", "0"],
    ["六、举报投诉数量", "件", "0"],
    ["七、依申请公开信息收取的费用", "万元", "0"],
    ["八、机构建设和保障经费情况", "——", "——"],
    ["（一）政府信息公开工作专门机构数", "个", "1"],
    ["（二）设置政府信息公开查阅点数", "个", "2"],
    ["（三）从事政府信息公开工作人员数", "人", "3"],
    ["1.专职人员数（不包括政府公报及政府网站工作人员数）", "人", "1"],
    ["2.兼职人员数", "人", "2"],
]
#: the 单位 cells of rows 15-18 (1.当面 .. 4.信函) are one merged cell in the generated table
MERGED_UNIT_ROWS = range(15, 19)


def _footer(c, doc):
    """Page number footer (`- 2 -`) and a running header, as Word prints them."""
    c.setFont(FONT, 9)
    c.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
    c.drawCentredString(A4[0] / 2, A4[1] - 30, "贵阳市某某局政府信息公开工作年度报告")


def make_report_pdf() -> bytes:
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24)
    head = ParagraphStyle("head", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24)
    title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
    story = [Paragraph(TITLE, title), Spacer(1, 12), Paragraph(INTRO, body),
             Paragraph("一、概述", head)]
    story += [Paragraph(FILLER, body) for _ in range(8)]
    story += [Paragraph("二、主动公开政府信息情况", head), Paragraph(CAPTION, head)]
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=13)
    # long labels wrap inside their cell (a Paragraph), as in Word
    rows = [[Paragraph(r[0], cell) if len(r[0]) > 28 else r[0], r[1], r[2]] for r in STAT_ROWS]
    for r in MERGED_UNIT_ROWS:
        if r != MERGED_UNIT_ROWS[0]:
            rows[r][1] = ""  # reportlab draws only the origin of a SPAN
    table = RLTable(rows, colWidths=[330, 60, 80])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("SPAN", (1, MERGED_UNIT_ROWS[0]), (1, MERGED_UNIT_ROWS[-1])),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 12), Paragraph("贵阳市某某局", body), Paragraph("2018年3月20日", body)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Microsoft Word - 2017年报.doc").build(
        story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def make_scanned_pdf() -> bytes:
    """A page that is only an image (a scanner's output): no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for y in range(200, 1600, 60):  # stand-ins for printed lines of text
        draw.rectangle([150, y, 1090, y + 25], fill=0)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return out.getvalue()


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_unmapped_font_pdf() -> bytes:
    """Chinese set in an Identity-H CID font with no ToUnicode map and a non-standard ordering: the
    glyph ids cannot be mapped back to characters (pdfminer prints `(cid:NN)`), as in many PDFs
    exported from 方正/汉仪 fonts."""
    lines = []
    for i in range(12):
        glyphs = "".join("%04X" % (0x0300 + (i * 37 + k * 11) % 2000) for k in range(24))
        lines.append(f"<{glyphs}> Tj 0 -22 Td")
    content = ("BT /F1 14 Tf 72 760 Td " + " ".join(lines) + " ET").encode()
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+FZXiaoBiaoSong-B05S /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+FZXiaoBiaoSong-B05S "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 6 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+FZXiaoBiaoSong-B05S /Flags 4 "
        b"/FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 "
        b"/StemV 80 >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    return make_report_pdf()


@pytest.fixture(scope="module")
def report_doc(report_pdf):
    return document_from_attachment(report_pdf, "pdf", URL)


# --- text ---------------------------------------------------------------------------------------------
def test_the_generated_report_runs_over_two_pages(report_pdf):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(report_pdf)) as pdf:
        assert len(pdf.pages) >= 2
        assert len(pdf.pages[-1].find_tables()) == 1  # the table continues on the last page


def test_lines_are_paragraphs_in_reading_order(report_doc):
    lines = report_doc.lines
    assert report_doc.source == "pdf"
    assert lines[0] == TITLE
    # the wrapped paragraph is one line again, joined without spaces inside the Chinese text
    assert lines[1] == INTRO
    assert lines[2] == "一、概述"
    assert lines[3:11] == [FILLER] * 8
    assert lines.index("二、主动公开政府信息情况") < lines.index(CAPTION)
    assert lines[-2:] == ["贵阳市某某局", "2018年3月20日"]


def test_page_headers_and_footers_are_dropped(report_doc):
    text = "\n".join(report_doc.lines)
    assert "- 1 -" not in text and "- 2 -" not in text
    assert "贵阳市某某局政府信息公开工作年度报告" not in report_doc.lines


def test_table_cells_are_not_repeated_in_the_lines(report_doc):
    assert not any("统计指标" in line or "1.当面申请数" in line for line in report_doc.lines)


def test_titles_prefer_the_largest_print_over_the_file_name(report_doc):
    assert report_doc.titles[0] == TITLE
    assert not any("Microsoft Word" in t for t in report_doc.titles)


# --- tables -------------------------------------------------------------------------------------------
def test_statistics_table_is_one_grid_across_the_page_break(report_doc):
    assert len(report_doc.tables) == 1
    table = report_doc.tables[0]
    assert table.caption == CAPTION
    assert len(table.rows) == len(STAT_ROWS)
    for got, want in zip(table.rows, STAT_ROWS):
        assert got == want
    assert all(len(row) == 3 for row in table.rows)
    assert len(table.spans) == len(table.rows)


def test_merged_cells_repeat_their_text_and_are_marked(report_doc):
    table = report_doc.tables[0]
    first, *rest = MERGED_UNIT_ROWS
    assert table.rows[first][1] == "件" and table.spans[first][1] is False
    for r in rest:
        assert table.rows[r][1] == "件"
        assert table.spans[r][1] is True
    assert table.spans[0] == [False, False, False]


def test_long_label_cells_are_read_whole(report_doc, report_pdf):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(report_pdf)) as pdf:  # the premise: the labels wrap
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）" not in text
    labels = [row[0] for row in report_doc.tables[0].rows]
    assert "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）" in labels
    assert "1.专职人员数（不包括政府公报及政府网站工作人员数）" in labels


def test_record_from_bytes_reads_a_pdf(report_pdf):
    record = record_from_bytes(report_pdf, URL, content_type="application/pdf",
                               hints={"title": TITLE, "source_url": "https://example.gov.cn/t1.html"})
    assert record["source"] == "pdf"
    assert record["flags"] == []
    assert record["url"] == URL
    assert record["source_url"] == "https://example.gov.cn/t1.html"
    assert TITLE in record["text"]
    assert record["content_hash"]


def test_record_cells_from_a_pdf_statistics_table(report_pdf):
    record = record_from_bytes(report_pdf, URL, hints={"title": TITLE})
    assert record["format"] == "statistics"
    cells = {(c["row"], c["col"]): c for c in record["cells"] if c["table"] == "statistics"}
    assert cells[("requests.received", "value")]["value"] == 12
    assert cells[("requests.in_person", "value")]["value"] == 3
    assert cells[("active.total", "value")]["value"] == 1234
    assert cells[("org.staff", "value")]["value"] == 3


# --- no usable text -----------------------------------------------------------------------------------
def test_scanned_pdf_needs_ocr_and_yields_no_text():
    doc = document_from_attachment(make_scanned_pdf(), "pdf", URL)
    assert doc.lines == [] and doc.tables == []
    assert "needs_ocr" in doc.flags
    record = record_from_bytes(make_scanned_pdf(), URL, hints={"title": TITLE})
    assert "needs_ocr" in record["flags"]
    assert record["text"] == ""


def test_font_without_unicode_map_yields_no_cid_garbage():
    data = make_unmapped_font_pdf()
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:  # the premise: pdfminer cannot map these glyphs
        assert "(cid:" in pdf.pages[0].extract_text()
    doc = document_from_attachment(data, "pdf", URL)
    assert doc.lines == [] and doc.tables == []
    assert "needs_ocr" in doc.flags
    record = record_from_bytes(data, URL)
    assert "(cid:" not in record["text"]
    assert "needs_ocr" in record["flags"]


@pytest.mark.parametrize("text", [
    "(cid:3021)(cid:1234)(cid:88)(cid:4501)" * 10,
    "一、总体情况 (cid:12)(cid:13)(cid:14)(cid:15)(cid:16)(cid:17)",
    "¸ßÐÂÇø¹ÜÎ¯»á2017Äê ÕþþÐÅÏ¢¹«¿ª",  # GBK bytes shown as Latin-1
    "\ue000\ue001\ue002\ue003\ue004 一",  # private-use glyph codes
])
def test_garbled_text_is_detected(text):
    assert garbled_reason(text)


@pytest.mark.parametrize("text", [
    "贵阳市2020年政府信息公开工作年度报告",
    "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119",
    "3001 53 0 0 61 4 3119\n12 0 0 0 0 0 12",  # a page of numbers only
    "（一）予以公开 1288 21 0 0 50 3 1362 (cid:12)",  # one stray unmapped glyph
    "",
])
def test_real_text_is_not_taken_for_garbage(text):
    assert garbled_reason(text) is None


def test_a_document_without_any_chinese_counts_as_garbled():
    assert garbled_reason("Abc Def ghi jkl mno pqr stu vwx yz " * 5, require_cjk=True)
    assert garbled_reason("政府信息公开 " + "Abc " * 10, require_cjk=True) is None


@pytest.mark.parametrize("text,expected", [
    ("- 4 -", True), ("—4—", True), ("4", True), ("第4页", True), ("第 4 页 共 10 页", True),
    ("4/10", True), ("共10页 第4页", True), ("Page 3 of 9", True),
    ("2018年3月20日", False), ("一、概述", False), ("- -", False),
])
def test_page_number_lines(text, expected):
    assert is_page_number(text) is expected


# --- broken files -------------------------------------------------------------------------------------
@pytest.mark.timeout(60)
def test_truncated_pdf_raises_attachment_error(report_pdf):
    with pytest.raises(AttachmentError, match="truncated"):
        document_from_attachment(report_pdf[: len(report_pdf) // 2], "pdf", URL)
    with pytest.raises(AttachmentError):
        record_from_bytes(report_pdf[:4000], URL)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n" + b"\x00garbage\xff" * 500 + b"\n%%EOF\n",
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"<html><body>404</body></html>",
])
def test_corrupt_pdf_raises_attachment_error(data):
    with pytest.raises(AttachmentError):
        document_from_attachment(data, "pdf", URL)


def test_empty_file_raises_attachment_error():
    with pytest.raises(AttachmentError):
        document_from_attachment(b"", "pdf", URL)


def test_attachment_error_is_a_value_error():
    # the CLI and the pipeline report ValueErrors as bad input, not as crashes
    assert issubclass(AttachmentError, ValueError)


# --- the reader runs in a child process that a deadline kills -------------------------------------------
@pytest.mark.timeout(60)
def test_reader_overrunning_its_deadline_is_killed(report_pdf):
    import time

    from govcrawl.attachments.isolation import run_worker

    started = time.monotonic()
    with pytest.raises(AttachmentError, match="longer than"):
        run_worker("pdf", report_pdf, URL, timeout=0.05)
    assert time.monotonic() - started < 10


def test_reader_failure_in_the_child_is_an_attachment_error(report_pdf):
    from govcrawl.attachments.isolation import run_worker

    with pytest.raises(AttachmentError, match="no isolated reader"):
        run_worker("xyz", report_pdf, URL, timeout=60)


def test_isolation_can_be_switched_off(report_pdf, monkeypatch):
    from govcrawl.attachments import isolation

    monkeypatch.setenv(isolation.ENV_SWITCH, "0")
    monkeypatch.setattr(isolation, "run_worker", lambda *a, **k: pytest.fail("child process used"))
    doc = document_from_attachment(report_pdf, "pdf", URL)
    assert doc.lines[0] == TITLE


def test_table_without_rules_stays_one_row_per_line_and_justified_prose_is_joined():
    """A table drawn without ruling lines is not a grid: its rows stay in the lines, one per line
    (the statistics reader parses such flattened rows, docs/report-formats.md §6.1, item 5), never glued to
    each other or to the prose; justified Chinese prose gets no spaces between its characters."""
    justified = ParagraphStyle("j", fontName=FONT, fontSize=16, leading=28, firstLineIndent=32,
                               alignment=4, wordWrap="CJK")
    prose = ("2020年，贵阳市统计局认真贯彻落实《条例》要求，围绕统计数据发布、统计公报和统计法治宣传等"
             "重点，及时准确公开统计信息，共公开信息186条，其中统计公报1件、月报12期，政府信息公开工作有序推进。")
    rows = [["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"],
            ["二、上年结转政府信息公开申请数量", "12", "0", "0", "0", "0", "0", "12"],
            ["（一）予以公开", "1288", "21", "0", "0", "50", "3", "1362"]]
    table = RLTable(rows, colWidths=[230] + [35] * 7)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10)]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph(prose, justified), table, Paragraph(prose, justified)])
    doc = document_from_attachment(out.getvalue(), "pdf", URL)
    assert doc.tables == []
    assert doc.lines == [prose, "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119",
                         "二、上年结转政府信息公开申请数量 12 0 0 0 0 0 12",
                         "（一）予以公开 1288 21 0 0 50 3 1362", prose]


#: (two-character units: pdfium skips the one-glyph strings reportlab writes for a non-embedded
#: CID font, a quirk of the generated file, not of real reports, which embed their fonts)
PROTECTED_ROWS = [["统计指标", "单位", "统计数"], ["七、依申请公开信息收取的费用", "万元", "0"],
                  ["（三）接受培训人员数", "人次", "35"]]


def _encrypted_pdf(user_password: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    encryption = StandardEncryption(user_password, ownerPassword="owner", canPrint=1, canModify=0,
                                    canCopy=0, canAnnotate=0, strength=128)
    title = ParagraphStyle("t", fontName=FONT, fontSize=16, leading=24)
    body = ParagraphStyle("b", fontName=FONT, fontSize=12, leading=20)
    table = RLTable([row[:] for row in PROTECTED_ROWS], colWidths=[330, 60, 80])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, encrypt=encryption).build(
        [Paragraph(TITLE, title), Paragraph("一、总体情况", body), table])
    return out.getvalue()


def test_copy_protected_pdf_is_read():
    """禁止复制: an owner password only. pdfminer maps this file's CID font to `(cid:NN)`; pdfium
    reads it, so its characters are used instead of flagging the report for OCR, and the table
    is still read from its ruling lines."""
    data = _encrypted_pdf("")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:  # the premise
        assert "(cid:" in pdf.pages[0].extract_text()
    doc = document_from_attachment(data, "pdf", URL)
    assert doc.lines == [TITLE, "一、总体情况"]
    assert doc.flags == []
    assert [t.rows for t in doc.tables] == [PROTECTED_ROWS]


def test_password_protected_pdf_raises_attachment_error():
    with pytest.raises(AttachmentError, match="password"):
        document_from_attachment(_encrypted_pdf("secret"), "pdf", URL)


def test_glyph_ids_taken_as_code_points_are_garbage():
    # what pdfium makes of an Identity-H font without a Unicode map: CIDs as code points
    assert garbled_reason("".join(chr(0x300 + 11 * k) for k in range(40)))
    assert garbled_reason("ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒē")
    # Kangxi radicals, enclosed numbers, shapes and CJK punctuation are a report's own characters
    assert garbled_reason("⼀、总体情况 ①②③ Ⅰ ○ ■ ☆ ¥ 《条例》 “三安全一稳定” ～ ——") is None


def test_header_rows_repeated_on_the_next_page_are_kept_once():
    """Word prints a table's 重复标题行 again on every page it runs onto."""
    rows = [["统计指标", "单位", "统计数"]] + [[f"{i}.某项统计指标", "件", str(i)] for i in range(1, 80)]
    table = RLTable(rows, colWidths=[300, 60, 80], repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([table])
    doc = document_from_attachment(out.getvalue(), "pdf", URL)
    assert len(doc.tables) == 1
    assert doc.tables[0].rows == rows


def test_title_stops_at_the_report_title_not_the_table_caption_in_the_same_print():
    # the anshun mirror's 普定县 PDF prints its title and its 统计表 caption in the same large font
    from govcrawl import PROJECT_ROOT

    pdf = (PROJECT_ROOT / "fixtures/sites/www.anshun.gov.cn/zfxxgk/zfxxgknb/2017year/201807"
           / "P020180711571293846520.pdf").read_bytes()
    record = record_from_bytes(pdf, "http://www.anshun.gov.cn/x.pdf")
    assert record["title"] == "普定县2017年政府信息公开工作年度报告"
    assert record["year"] == 2017 and record["format"] == "statistics"
