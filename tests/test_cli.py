"""`govcrawl extract PAGE.html --url URL` and `govcrawl parse FILE`: one JSON line, exit 0."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FILES = Path(__file__).parent / "files" / "extract"
SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"


def run(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "govcrawl.cli", *args], input=stdin,
                          capture_output=True, timeout=120)


def one_record(proc) -> dict:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_extract_report_page():
    url = "https://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/202101/t20210129_66608151.html"
    record = one_record(run("extract", str(FILES / "anshun_trs_2020.html"), "--url", url))
    assert record["url"] == url
    assert record["is_report"] is True
    assert record["title"] == "安顺市政府办公室2020年度信息公开工作年度报告"
    assert record["year"] == 2020
    assert record["attachments"][0]["url"].startswith("https://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/")


def test_extract_gbk_page():
    record = one_record(run("extract", str(FILES / "panan_hanweb_2008.html"), "--url",
                            "http://www.panan.gov.cn/art/2009/3/31/art_1229211601_2.html"))
    assert record["agency"] == "磐安县安全生产监督管理局"
    assert record["signature"] == {"agency": "磐安县安全生产监督管理局", "date": "2009-03-30"}


def test_extract_non_report_page():
    record = one_record(run("extract", str(FILES / "notice_trs.html"), "--url", "https://www.guiyang.gov.cn/a.html"))
    assert record["is_report"] is False


def test_extract_js_shell():
    record = one_record(run("extract", str(FILES / "js_shell_epoint.html"), "--url", "http://x.gov.cn/showinfo.html"))
    assert record["is_report"] is False
    assert record["text"] == ""


def test_extract_from_stdin():
    data = (FILES / "jl_xxgk_2014.html").read_bytes()
    record = one_record(run("extract", "-", "--url", "http://xxgk.jl.gov.cn/a.html", stdin=data))
    assert record["agency"] == "吉林省安全生产监督管理局"


def test_extract_missing_file(tmp_path):
    proc = run("extract", str(tmp_path / "nope.html"), "--url", "http://x.gov.cn/a.html")
    assert proc.returncode != 0
    assert proc.stdout == b""
    assert "cannot read input" in proc.stderr.decode("utf-8")


def test_extract_directory_is_unreadable(tmp_path):
    proc = run("extract", str(tmp_path))
    assert proc.returncode != 0
    assert "cannot read input" in proc.stderr.decode("utf-8")


def test_parse_utf8_seed():
    record = one_record(run("parse", str(SEEDS / "004_b0c3a4ffe884d2f4.txt")))
    assert record["source"] == "text"
    assert record["agency"] == "吉林省安全生产监督管理局"
    assert record["year"] == 2014


def test_parse_gb18030_text(tmp_path):
    path = tmp_path / "report-gbk.txt"
    path.write_bytes((SEEDS / "003_cde45a360ad512ec.txt").read_text(encoding="utf-8").encode("gb18030"))
    record = one_record(run("parse", str(path), "--url", "http://www.kmgd.gov.cn/a.txt"))
    assert record["url"] == "http://www.kmgd.gov.cn/a.txt"
    assert record["title"] == "官渡区环保局2017年政府信息公开年度报告"
    assert record["signature"] == {"agency": "官渡区环保局", "date": "2017-12-18"}


def test_parse_non_report_text(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("关于开展安全生产月活动的通知\n各科室:\n现就开展安全生产月活动有关事项通知如下。\n", encoding="utf-8")
    record = one_record(run("parse", str(path)))
    assert record["is_report"] is False


def test_parse_missing_file(tmp_path):
    proc = run("parse", str(tmp_path / "missing.txt"))
    assert proc.returncode != 0
    assert "cannot read input" in proc.stderr.decode("utf-8")


GARBAGE = b"\x00\xff\xfe\x80" + bytes((i * 197 + (i >> 3) * 31 + 7) % 256 for i in range(6000))


def test_extract_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.html"
    path.write_bytes(GARBAGE)
    proc = run("extract", str(path))
    assert proc.returncode == 1 and proc.stdout == b""
    stderr = proc.stderr.decode("utf-8")
    assert stderr.startswith("govcrawl extract: NotAPageError: not a readable page")
    assert "Traceback" not in stderr


def test_parse_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(GARBAGE)
    proc = run("parse", str(path))
    assert proc.returncode == 1 and proc.stdout == b""
    assert "not a readable text" in proc.stderr.decode("utf-8")


def test_extract_refuses_a_pdf(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    proc = run("extract", str(path))
    assert proc.returncode == 1 and proc.stdout == b""
    assert "PDF" in proc.stderr.decode("utf-8") and "govcrawl parse" in proc.stderr.decode("utf-8")


def test_extract_and_parse_refuse_an_empty_file(tmp_path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    for command in ("extract", "parse"):
        proc = run(command, str(path))
        assert proc.returncode == 1 and proc.stdout == b""
        assert proc.stderr.decode("utf-8") == f"govcrawl {command}: ValueError: empty input: {path} has no content\n"
