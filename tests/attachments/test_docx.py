"""DOCX attachments -> ReportDocument: body paragraphs in order, tables as grids with gridSpan and
vMerge expanded, headers and footers ignored. The DOCX is generated here with python-docx: a 2021
format report with table 三 (收到和处理政府信息公开申请情况) laid out as in the official template."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from govcrawl.attachments import AttachmentError, document_from_attachment
from govcrawl.ingest import record_from_bytes

URL = "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/2021n/202201/P020220120_2.docx"
TITLE_AGENCY = "贵阳市某某局"
TITLE = "2021年政府信息公开工作年度报告"
INTRO = ("本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室"
         "《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
         "要求编制。")
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
ORGS = APPLICANTS[1:6]

#: (group label, sub-group label, item label, six applicant values); the 总计 column is their sum
TABLE3 = [
    ("一、本年新收政府信息公开申请数量", None, None, [58, 7, 0, 0, 1, 0]),
    ("二、上年结转政府信息公开申请数量", None, None, [3, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（一）予以公开", None, [20, 3, 0, 0, 1, 0]),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, [5, 1, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", [1, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益", [2, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息", [1, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息", [15, 2, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作", [2, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确", [1, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请", [3, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请", [2, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [4, 1, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（六）其他处理",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（六）其他处理", "3.其他", [1, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（七）总计", None, [57, 7, 0, 0, 1, 0]),
    ("四、结转下年度继续办理", None, None, [4, 0, 0, 0, 0, 0]),
]
HEADER_ROWS = 3
LABEL_COLS = 3


def _fill(cell, text: str) -> None:
    cell.paragraphs[0].text = text


def add_table3(document) -> None:
    """Table 三 as in the 2021 template: a 3-row header with the identity note merged over the label
    columns, 申请人情况 over the 7 value columns, 自然人/总计 merged down, 法人或其他组织 across;
    row labels in up to three levels, the group labels merged down over their rows."""
    n_rows = HEADER_ROWS + len(TABLE3)
    table = document.add_table(rows=n_rows, cols=LABEL_COLS + 7)
    table.style = "Table Grid"
    cell = table.cell
    note = cell(0, 0).merge(cell(2, 2))
    _fill(note, NOTE)
    _fill(cell(0, 3).merge(cell(0, 9)), "申请人情况")
    _fill(cell(1, 3).merge(cell(2, 3)), "自然人")
    _fill(cell(1, 4).merge(cell(1, 8)), "法人或其他组织")
    _fill(cell(1, 9).merge(cell(2, 9)), "总计")
    for i, name in enumerate(ORGS):
        _fill(cell(2, 4 + i), name)
    # group labels: merge each run of equal labels down, and across where a level is missing
    r = HEADER_ROWS
    runs: dict[tuple[int, str], list[int]] = {}
    for i, (group, sub, _item, values) in enumerate(TABLE3):
        row = HEADER_ROWS + i
        runs.setdefault((0, group), []).append(row)
        if sub:
            runs.setdefault((1, group + sub), []).append(row)
        for j, value in enumerate(values + [sum(values)]):
            _fill(cell(row, LABEL_COLS + j), str(value))
    for (level, _key), rows in runs.items():
        first, last = rows[0], rows[-1]
        group, sub, item, _ = TABLE3[first - HEADER_ROWS]
        if level == 0:
            right = 0 if sub else 2
            _fill(cell(first, 0).merge(cell(last, right)), group)
        else:
            right = 1 if item else 2
            _fill(cell(first, 1).merge(cell(last, right)), sub)
    for i, (_group, _sub, item, _) in enumerate(TABLE3):
        if item:
            _fill(cell(HEADER_ROWS + i, 2), item)
    del r


def make_report_docx(**kwargs) -> bytes:
    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "贵阳市某某局政府信息公开"  # running header: not body text
    section.footer.paragraphs[0].text = "第 1 页"
    for text in (TITLE_AGENCY, TITLE):
        p = document.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(INTRO)
    document.add_paragraph("一、总体情况")
    p = document.add_paragraph("（一）主动公开。")
    p.add_run().add_break()  # a soft line break inside one paragraph
    p.add_run("全年主动公开政府信息1234条。")
    document.add_paragraph("二、主动公开政府信息情况")
    t2 = document.add_table(rows=3, cols=4)
    t2.style = "Table Grid"
    _fill(t2.cell(0, 0).merge(t2.cell(0, 3)), "第二十条第（一）项")
    for j, text in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        _fill(t2.cell(1, j), text)
    for j, text in enumerate(["规章", "0", "0", "0"]):
        _fill(t2.cell(2, j), text)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    add_table3(document)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("贵阳市某某局").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("2022年1月20日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    return make_report_docx()


@pytest.fixture(scope="module")
def doc(report_docx):
    return document_from_attachment(report_docx, "docx", URL)


def _row_by_label(table, *labels):
    for r, row in enumerate(table.rows):
        if all(label in row[:LABEL_COLS] for label in labels):
            return r, row
    raise AssertionError(f"no row labelled {labels}")


# --- lines ----------------------------------------------------------------------------------------------
def test_body_paragraphs_in_order(doc):
    assert doc.source == "docx"
    assert doc.lines == [
        TITLE_AGENCY, TITLE, INTRO, "一、总体情况", "（一）主动公开。", "全年主动公开政府信息1234条。",
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
        "贵阳市某某局", "2022年1月20日",
    ]


def test_headers_and_footers_are_ignored(doc):
    assert "贵阳市某某局政府信息公开" not in doc.lines
    assert not any("第 1 页" in line for line in doc.lines)


def test_title_is_the_centred_opening_block(doc):
    assert doc.titles[0] == TITLE_AGENCY + TITLE


# --- tables ---------------------------------------------------------------------------------------------
def test_tables_in_document_order_with_captions(doc):
    assert len(doc.tables) == 2
    t2, t3 = doc.tables
    assert t2.caption == "二、主动公开政府信息情况"
    assert t3.caption == "三、收到和处理政府信息公开申请情况"
    assert t2.rows == [["第二十条第（一）项"] * 4,
                       ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                       ["规章", "0", "0", "0"]]
    assert t2.spans[0] == [False, True, True, True]


def test_table3_grid_shape(doc):
    t3 = doc.tables[1]
    assert len(t3.rows) == HEADER_ROWS + len(TABLE3)
    assert all(len(row) == LABEL_COLS + 7 for row in t3.rows)
    assert len(t3.spans) == len(t3.rows) and all(len(s) == LABEL_COLS + 7 for s in t3.spans)


def test_table3_merged_header_cells(doc):
    rows, spans = doc.tables[1].rows, doc.tables[1].spans
    # the identity note covers 3 rows x 3 label columns (gridSpan + vMerge)
    for r in range(HEADER_ROWS):
        assert rows[r][:LABEL_COLS] == [NOTE] * LABEL_COLS
    assert spans[0][:3] == [False, True, True] and spans[2][:3] == [True, True, True]
    assert rows[0][3:] == ["申请人情况"] * 7
    assert rows[1][3:] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert rows[2][3:] == APPLICANTS
    assert spans[2][3] is True and spans[2][9] is True  # 自然人 / 总计 merged down
    assert spans[2][4:9] == [False] * 5


def test_table3_values(doc):
    t3 = doc.tables[1]
    _, row = _row_by_label(t3, "一、本年新收政府信息公开申请数量")
    assert row == ["一、本年新收政府信息公开申请数量"] * 3 + ["58", "7", "0", "0", "1", "0", "66"]
    _, row = _row_by_label(t3, "（七）总计")
    assert row[LABEL_COLS:] == ["57", "7", "0", "0", "1", "0", "65"]
    _, row = _row_by_label(t3, "四、结转下年度继续办理")
    assert row[LABEL_COLS:] == ["4", "0", "0", "0", "0", "0", "4"]
    _r, row = _row_by_label(t3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    assert row[:3] == ["三、本年度办理结果"] + ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] * 2


def test_table3_three_other_processing_sub_rows(doc):
    t3 = doc.tables[1]
    rows = [(r, row) for r, row in enumerate(t3.rows) if row[1] == "（六）其他处理"]
    assert [row[2] for _, row in rows] == [
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
    ]
    assert [row[LABEL_COLS:] for _, row in rows] == [
        ["4", "1", "0", "0", "0", "0", "5"], ["0"] * 7, ["1", "0", "0", "0", "0", "0", "1"]]
    first, second = rows[0][0], rows[1][0]
    assert t3.spans[first][1] is False and t3.spans[second][1] is True  # （六） merged down
    assert all(row[0] == "三、本年度办理结果" for _, row in rows)
    assert all(t3.spans[r][0] for r, _ in rows)


# --- records ----------------------------------------------------------------------------------------------
def test_record_from_bytes_reads_a_docx(report_docx):
    record = record_from_bytes(report_docx, URL, hints={"source_url": "https://x.gov.cn/t1.html"})
    assert record["source"] == "docx"
    assert record["flags"] == []
    assert record["source_url"] == "https://x.gov.cn/t1.html"
    assert INTRO in record["text"]


def test_record_cells_from_a_docx_table3(report_docx):
    record = record_from_bytes(report_docx, URL)
    assert record["format"] == "2021"
    cells = {(c["row"], c["col"]): c["value"] for c in record["cells"] if c["table"] == "applications"}
    assert cells[("new_received", "natural_person")] == 58
    assert cells[("new_received", "total")] == 66
    assert cells[("other.overdue_correction", "total")] == 5
    assert cells[("other.other", "natural_person")] == 1
    assert cells[("carried_forward", "total")] == 4
    balance = [c for c in record["checks"] if c["rule"] == "applications.balance"]
    assert balance and all(c["status"] == "pass" for c in balance)


# --- odd and broken files ---------------------------------------------------------------------------------
def test_content_controls_and_text_boxes_are_read():
    """Body text wrapped in a content control (w:sdt) still counts, in order."""
    from docx.oxml.parser import parse_xml

    document = Document()
    document.add_paragraph("前言")
    sdt = parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    document.element.body.insert(1, sdt)
    document.add_paragraph("结尾")
    out = io.BytesIO()
    document.save(out)
    doc = document_from_attachment(out.getvalue(), "docx", URL)
    assert doc.lines == ["前言", "控件中的段落", "结尾"]


def test_one_column_frame_table_is_read_as_paragraphs():
    document = Document()
    frame = document.add_table(rows=2, cols=1)
    frame.cell(0, 0).text = "框内第一段"
    frame.cell(1, 0).text = "框内第二段"
    out = io.BytesIO()
    document.save(out)
    doc = document_from_attachment(out.getvalue(), "docx", URL)
    assert doc.tables == []
    assert doc.lines == ["框内第一段", "框内第二段"]


def test_docm_content_type_is_still_read(report_docx):
    """A package python-docx refuses for its content type (macro-enabled, some WPS exports)."""
    src = zipfile.ZipFile(io.BytesIO(report_docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            dst.writestr(item, data)
    doc = document_from_attachment(out.getvalue(), "docx", URL)
    assert doc.lines[:2] == [TITLE_AGENCY, TITLE]
    assert len(doc.tables) == 2


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + b"\x00" * 100,  # a truncated zip
    b"not a zip at all",
])
def test_corrupt_docx_raises_attachment_error(data):
    with pytest.raises(AttachmentError):
        document_from_attachment(data, "docx", URL)


def test_truncated_docx_raises_attachment_error(report_docx):
    with pytest.raises(AttachmentError):
        document_from_attachment(report_docx[: len(report_docx) // 2], "docx", URL)
