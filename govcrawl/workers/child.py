"""A child process of govcrawl/workers/pool.py: many pages in, one record (or error) out per page.

Frames on stdin/stdout (govcrawl/workers/frames.py). In: {"data", "url",
"content_type", "encoding", "hints", "kind", "cpu_limit"}; out: ("ready",) once, when the imports are done, then
per page ("ok", record), ("bad_input", type, message) or
("error", type, message). Only ever started by `ExtractionPool` with input it made itself; it exits
on end of input (its parent is gone).
"""

from __future__ import annotations

import os
import sys

from govcrawl.workers.frames import read_frame, write_frame


def main() -> int:
    # this process is itself killed at the page's deadline, so attachments are read right here
    # rather than in one more child per file (and pdfplumber is imported once, not per PDF)
    os.environ["GOVCRAWL_ATTACHMENT_ISOLATION"] = "0"
    from govcrawl.errors import BadInputError
    from govcrawl.ingest import record_from_bytes
    from govcrawl.limits import limit_cpu

    try:
        import pdfplumber  # noqa: F401  (pre-imported: the first PDF should not pay for it)
    except ImportError:
        pass
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # what the libraries print must not corrupt the frames on stdout
    sys.stdout = sys.stderr
    write_frame(stdout, ("ready",))  # the imports are done: deadlines count from here
    while True:
        task = read_frame(stdin)
        if task is None:
            return 0
        assert isinstance(task, dict)
        # the page's CPU budget: the kernel kills this process (SIGXCPU) when it is spent, even
        # inside a C library; the pool then reports the page and starts a new worker
        limit_cpu(task.get("cpu_limit"))
        try:
            result: tuple = ("ok", record_from_bytes(
                task["data"], task["url"], content_type=task.get("content_type"),
                encoding=task.get("encoding"), hints=task.get("hints"), kind=task.get("kind")))
        except BadInputError as exc:
            result = ("bad_input", type(exc).__name__, str(exc))
        except Exception as exc:  # a parser bug on one page must not end the worker
            result = ("error", type(exc).__name__, str(exc))
        write_frame(stdout, result)


if __name__ == "__main__":
    sys.exit(main())
