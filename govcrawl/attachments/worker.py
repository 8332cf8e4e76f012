"""Child process of govcrawl/attachments/isolation.py: one attachment in, one ReportDocument out.

stdin: a pickled {"kind", "data", "url", "options"}; stdout: a pickled ("ok", ReportDocument) or
("error", message). Only ever started by `run_worker` with input it made itself.
"""

from __future__ import annotations

import pickle
import sys


def _read(request: dict):
    kind = request["kind"]
    if kind == "pdf":
        from govcrawl.attachments.pdf import read_pdf

        return read_pdf(request["data"], request["url"], **request.get("options", {}))
    raise ValueError(f"no isolated reader for {kind!r}")


def main() -> int:
    from govcrawl.attachments.errors import AttachmentError

    request = pickle.loads(sys.stdin.buffer.read())
    try:
        result = ("ok", _read(request))
    except AttachmentError as exc:
        result = ("error", str(exc))
    except Exception as exc:  # whatever the library raises on a bad file is still bad input
        result = ("error", f"{type(exc).__name__}: {exc}")
    sys.stdout.buffer.write(pickle.dumps(result))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
