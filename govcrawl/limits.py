"""The CPU budget of one page, as the operating system enforces it (RLIMIT_CPU).

A crawl's extraction worker (govcrawl/workers/child.py) gives each page a budget of CPU seconds
with `limit_cpu`: the kernel sends the process SIGXCPU once it has used them, which kills it even
inside a C library that never returns to Python (lxml, trafilatura's regexes, pdfminer), and the
pool reports the page as a failure and starts a new worker. Readers that can stop early on their
own (OCR, page by page) ask `cpu_seconds_left` before each costly step, so a scanned PDF keeps the
pages read in its budget instead of losing them all. RLIMIT_CPU counts the CPU time of all the
process's threads (onnxruntime's included), which is what `time.process_time` measures.
"""

from __future__ import annotations

import math
import time

try:
    import resource
except ImportError:  # not on POSIX: no budget is enforced
    resource = None  # type: ignore[assignment]


def cpu_used() -> float:
    """CPU seconds this process has used so far (user + system, all threads)."""
    return time.process_time()


def limit_cpu(seconds: float | None) -> float | None:
    """Let this process use at most `seconds` more CPU seconds (None: no limit); the process gets
    SIGXCPU (which kills it) when they are spent. Returns the soft limit set, in seconds of the
    process's total CPU time."""
    if resource is None:
        return None
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if seconds is None:
        soft = hard
    else:
        # the kernel counts whole seconds: round the allowance up, never below one more second
        soft = math.ceil(cpu_used() + max(1.0, seconds))
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    return None if soft == resource.RLIM_INFINITY else float(soft)


def cpu_seconds_left() -> float | None:
    """CPU seconds left before this process's soft RLIMIT_CPU (None: no limit is set)."""
    if resource is None:
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_CPU)
    if soft == resource.RLIM_INFINITY:
        return None
    return soft - cpu_used()
