"""Read an attachment in a child process that is killed when it overruns its time budget.

pdfminer can spin for minutes on a crafted or damaged file (a huge content stream, a broken
compression filter, a reference loop), and the crawl extracts in worker threads, which cannot be
stopped. A child process can: the reader runs in `python -m govcrawl.attachments.worker`, which
gets the file on stdin and answers with the pickled ReportDocument on stdout, and is killed at the
deadline, so a bad file becomes an AttachmentError, never a stuck crawl.

A plain subprocess, not multiprocessing: spawn/forkserver children re-import the parent's
`__main__` (a script calling `record_from_bytes` at top level would run again), and forking the
multi-threaded crawl can inherit held locks. The price is an interpreter start (~0.3 s) per file.

`GOVCRAWL_ATTACHMENT_ISOLATION=0` reads in-process instead (debugging, profiling).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

from govcrawl.attachments.errors import AttachmentError

ENV_SWITCH = "GOVCRAWL_ATTACHMENT_ISOLATION"
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


def isolation_enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def run_worker(kind: str, data: bytes, url: str, *, timeout: float, options: dict | None = None):
    """The worker's result for one file: a ReportDocument, or AttachmentError if the reader
    fails, dies or takes longer than `timeout` seconds (it is killed, with its children)."""
    env = dict(os.environ)
    # the child must import this very govcrawl, installed or not
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
    request = pickle.dumps({"kind": kind, "data": data, "url": url, "options": options or {}})
    proc = subprocess.Popen([sys.executable, "-m", "govcrawl.attachments.worker"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)
    try:
        out, err = proc.communicate(request, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise AttachmentError(f"reading the {kind} file took longer than {timeout:.0f}s: given up") from None
    except BaseException:
        _kill(proc)
        raise
    try:
        status, payload = pickle.loads(out)
    except Exception:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise AttachmentError(f"the {kind} reader died (exit code {proc.returncode})"
                              + (f": {detail[-1]}" if detail else "")) from None
    if status != "ok":
        raise AttachmentError(payload)
    return payload


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()
