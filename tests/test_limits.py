"""govcrawl/limits.py: a CPU budget the kernel enforces, and what is left of it."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap


def test_a_process_over_its_cpu_budget_is_killed_with_sigxcpu():
    code = textwrap.dedent("""
        from govcrawl.limits import limit_cpu
        limit_cpu(1)
        while True:
            pass
    """)
    proc = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert proc.returncode == -signal.SIGXCPU


def test_the_budget_left_counts_down_and_none_means_no_limit():
    code = textwrap.dedent("""
        import time
        from govcrawl.limits import cpu_seconds_left, limit_cpu
        assert cpu_seconds_left() is None
        limit_cpu(5)
        before = cpu_seconds_left()
        t = time.process_time()
        while time.process_time() - t < 0.5:
            pass
        after = cpu_seconds_left()
        assert 5 <= before < 6.01 and 0.45 < before - after < 0.7, (before, after)
        limit_cpu(None)
        assert cpu_seconds_left() is None
        print("ok")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "ok", proc.stderr

