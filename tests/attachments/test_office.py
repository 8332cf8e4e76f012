"""DOC/WPS attachments: converted by LibreOffice headless, then read as DOCX.

The conversion tests need `soffice` (Debian: libreoffice-writer-nogui) and skip without it; the
error paths (LibreOffice missing, hanging, failing) run everywhere with a stand-in binary.
"""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from govcrawl.attachments import AttachmentError, document_from_attachment, office
from govcrawl.ingest import record_from_bytes, sniff_kind

URL = "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/2021n/202201/P020220120_3.doc"

SOFFICE = office.find_soffice()
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")


def _docx_module():
    """The DOCX generator of tests/attachments/test_docx.py, loaded by path."""
    path = Path(__file__).with_name("test_docx.py")
    spec = importlib.util.spec_from_file_location("_govcrawl_docx_samples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def samples():
    return _docx_module()


@pytest.fixture(scope="module")
def report_doc_bytes(samples, tmp_path_factory) -> bytes:
    """The DOCX sample saved as Word 97-2003 .doc by LibreOffice (a real OLE .doc file)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("doc")
    (tmp / "report.docx").write_bytes(samples.make_report_docx())
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(tmp), str(tmp / "report.docx")],
                   check=True, capture_output=True, timeout=180, env=dict(os.environ, HOME=str(tmp)))
    data = (tmp / "report.doc").read_bytes()
    assert data.startswith(office.OLE_MAGIC)
    return data


# --- real conversions -------------------------------------------------------------------------------------
@needs_soffice
@pytest.mark.timeout(300)
def test_doc_is_converted_and_read(report_doc_bytes, samples):
    doc = document_from_attachment(report_doc_bytes, "doc", URL)
    assert doc.source == "doc"
    assert doc.lines[:3] == [samples.TITLE_AGENCY, samples.TITLE, samples.INTRO]
    assert "三、收到和处理政府信息公开申请情况" in doc.lines
    assert len(doc.tables) == 2
    t3 = doc.tables[1]
    assert t3.rows[1][3:] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert t3.rows[2][3:] == samples.APPLICANTS
    new = next(row for row in t3.rows if row[0] == "一、本年新收政府信息公开申请数量")
    assert new[3:] == ["58", "7", "0", "0", "1", "0", "66"]
    other = [row for row in t3.rows if row[1] == "（六）其他处理"]
    assert [row[2] for row in other][2] == "3.其他" and len(other) == 3


@needs_soffice
@pytest.mark.timeout(300)
def test_wps_is_converted_like_a_doc(report_doc_bytes, samples):
    # Kingsoft .wps files are the same OLE word-processing format; sniff_kind names them by URL
    wps_url = URL.replace(".doc", ".wps")
    assert sniff_kind(report_doc_bytes, None, wps_url) == "wps"
    record = record_from_bytes(report_doc_bytes, wps_url)
    assert record["source"] == "wps"
    assert record["flags"] == []
    assert samples.INTRO in record["text"]


@needs_soffice
@pytest.mark.timeout(300)
def test_doc_record_carries_the_table_cells(report_doc_bytes):
    record = record_from_bytes(report_doc_bytes, URL)
    assert record["source"] == "doc"
    cells = {(c["row"], c["col"]): c["value"] for c in record["cells"] if c["table"] == "applications"}
    assert cells[("new_received", "total")] == 66


@needs_soffice
@pytest.mark.timeout(300)
def test_garbage_ole_file_raises_attachment_error():
    with pytest.raises(AttachmentError):
        document_from_attachment(office.OLE_MAGIC + b"\x00" * 2000, "doc", URL)


# --- error paths, without LibreOffice ---------------------------------------------------------------------
def test_missing_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(AttachmentError, match="LibreOffice not installed"):
        document_from_attachment(office.OLE_MAGIC + b"\x00" * 512, "doc", URL)
    with pytest.raises(AttachmentError, match="LibreOffice not installed"):
        record_from_bytes(office.OLE_MAGIC + b"\x00" * 512, URL.replace(".doc", ".wps"))


def _fake_soffice(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.timeout(60)
def test_hanging_converter_is_killed_with_its_children(tmp_path, monkeypatch):
    # soffice forks soffice.bin: the child must die with it, or it outlives the crawl
    marker = tmp_path / "child.pid"
    fake = _fake_soffice(tmp_path, f"sleep 60 &\necho $! > {marker}\nwait\n")
    monkeypatch.setattr(office, "find_soffice", lambda: str(fake))
    started = time.monotonic()
    with pytest.raises(AttachmentError, match="did not convert"):
        office.convert_to_docx(b"x", "doc", timeout=1.5)
    assert time.monotonic() - started < 20
    child = int(marker.read_text())
    for _ in range(50):
        if not Path(f"/proc/{child}").exists() or "Z" in _proc_state(child):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the converter's child process is still running")


def _proc_state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def test_failing_converter_is_a_clear_error(tmp_path, monkeypatch):
    fake = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    monkeypatch.setattr(office, "find_soffice", lambda: str(fake))
    with pytest.raises(AttachmentError, match="could not be loaded"):
        document_from_attachment(office.OLE_MAGIC, "doc", URL)


def test_unknown_kind_is_rejected():
    with pytest.raises(AttachmentError, match="unsupported"):
        document_from_attachment(b"data", "xlsx", URL)
