"""A crawl stops within seconds of SIGTERM, even with a download hanging and the engine waiting
for it; and it exits 5 (did not finish), so cron can tell."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.faults.server import FaultServer
from tests.helpers import PROJECT_ROOT

LISTING = """<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<ul class="list">
<li><a href="/col/t1.html">安顺市民政局2020年政府信息公开工作年度报告</a><span>2021-01-20</span></li>
</ul></body></html>""".encode()


def test_sigterm_stops_a_crawl_with_a_hanging_download_within_ten_seconds(tmp_path):
    routes = {"/col/": lambda h: h.send(200, LISTING), "/col/t1.html": lambda h: h.hang()}
    with FaultServer(routes) as server:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "column", "-a", f"url={server.base}/col/",
               "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{tmp_path / 'x.db'}", "-s", "DOWNLOAD_DELAY=0",
               "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "GOVCRAWL_STOP_GRACE=3", "-L", "INFO"]
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert server.hanging.wait(60), "the crawl never requested the hanging page"
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=30)
            took = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert took < 10, err[-3000:]
    assert "did not stop within 3s: forcing it" in err
    assert proc.returncode == 5, err[-3000:]


def test_a_crawl_that_stops_in_time_is_not_forced(tmp_path):
    routes = {"/col/": lambda h: h.send(200, LISTING)}
    with FaultServer(routes) as server:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "column", "-a", f"url={server.base}/col/",
               "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{tmp_path / 'x.db'}", "-s", "DOWNLOAD_DELAY=0",
               "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "GOVCRAWL_STOP_GRACE=3"]
        proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert "forcing it" not in proc.stderr
    # the report page answers 404: the night saw no report, and says so
    assert proc.returncode == 3, proc.stderr[-3000:]
