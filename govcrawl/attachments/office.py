"""DOC / WPS report -> ReportDocument, through LibreOffice headless.

Word 97-2003 (.doc) and Kingsoft WPS (.wps, the same OLE compound format) files are converted to
DOCX by `soffice --headless --convert-to docx` in a private temp dir and then read as DOCX. Each
conversion gets its own LibreOffice user profile: soffice refuses to start while another instance
holds the default profile, and the crawl converts in several worker threads at once. The whole
process group is killed on timeout, because soffice forks `soffice.bin`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from govcrawl.attachments.errors import AttachmentError
from govcrawl.document import ReportDocument

#: seconds a conversion may take (a cold LibreOffice start alone takes a few seconds)
CONVERT_TIMEOUT = 180.0
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def find_soffice() -> str | None:
    """The LibreOffice binary on PATH (`soffice`, or `libreoffice` on some distributions)."""
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def convert_to_docx(data: bytes, kind: str, *, timeout: float = CONVERT_TIMEOUT) -> bytes:
    soffice = find_soffice()
    if soffice is None:
        raise AttachmentError(
            f"LibreOffice not installed: cannot convert a .{kind} file (install libreoffice-writer-nogui "
            "so that `soffice` is on PATH)")
    with tempfile.TemporaryDirectory(prefix="govcrawl-soffice-") as tmp:
        tmpdir = Path(tmp)
        # Kingsoft .wps files are Word-compatible OLE documents: LibreOffice detects them best as .doc
        # (a .wps name would select the Microsoft Works import filter)
        suffix = "doc" if kind == "doc" or data.startswith(OLE_MAGIC) else kind
        source = tmpdir / f"report.{suffix}"
        source.write_bytes(data)
        outdir = tmpdir / "out"
        profile = (tmpdir / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
               str(source)]
        env = dict(os.environ, HOME=str(tmpdir))  # keep LibreOffice's caches out of the real home
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise AttachmentError(f"LibreOffice did not convert the .{kind} file within {timeout:.0f}s") from None
        result = outdir / "report.docx"
        if proc.returncode != 0 or not result.is_file():
            detail = (err or out).decode("utf-8", "replace").strip().splitlines()
            raise AttachmentError(f"LibreOffice could not convert the .{kind} file "
                                  f"(exit {proc.returncode}): {' '.join(detail[-2:]) or 'no output'}")
        return result.read_bytes()


def document_from_legacy_word(data: bytes, kind: str, url: str) -> ReportDocument:
    from govcrawl.attachments.word import document_from_docx

    return document_from_docx(convert_to_docx(data, kind), url, source=kind)
