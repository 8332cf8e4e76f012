"""The faulty site of tests/faults/test_faulty_site.py: three report columns on one loopback
FaultServer, each answering well one night (`good_routes`) and badly the next (`faulty_routes`).

- column A (`/a/`, two listing pages): one report page per fault, plus pages that stay readable
  (a 304, a 500 that a retry gets past, a GBK page served as UTF-8, deep nesting), a report
  replaced by a placeholder page (no report, but present) and a page that only links a PDF. Its
  listing answers completely both nights, so the faulty night may mark missing what answered
  404/410, and nothing else.
- column B (`/b/`): its second listing page answers 500 on the faulty night: the listing is
  incomplete, so even its 404 report stays `active`.
- column C (`/c/`, TRS): its paging script announces two million pages on the faulty night: the
  listing is capped (GOVCRAWL_MAX_LISTING_PAGES) and recorded as a failure of kind `limit`, and
  its 404 report stays `active` too.

Report pages are a real report (anshun's 2020 report of the city government office) under other
URLs. `A_FAILURES` says which failure each fault of the faulty night must end as, `A_OUTCOMES` what
the other pages of column A end as; `column_routes(column, faulty)` serves one column's night.
"""

from __future__ import annotations

import itertools
import re

from tests.faults.server import FaultHandler, Route
from tests.helpers import FIXTURES_DIR

_ANSHUN = FIXTURES_DIR / "www.anshun.gov.cn" / "zfxxgk" / "zfxxgknb"
REPORT = (_ANSHUN / "2020year" / "202101" / "t20210129_66608151.html").read_bytes()
#: 普定县's page: a title and a link to its report, `./P020180711571293846520.pdf`
LINKING = (_ANSHUN / "2017year" / "201807" / "t20180711_6177547.html").read_bytes()
PDF_NAME = "P020180711571293846520.pdf"
PDF = (_ANSHUN / "2017year" / "201807" / PDF_NAME).read_bytes()
#: what a CMS serves at a report's URL once the report was taken down: chrome and a notice
PLACEHOLDER = """<html><head><meta charset="utf-8"><title>安顺市人民政府</title></head><body>
<div class="nav">首页 政务公开 政务服务 互动交流 走进安顺</div>
<div class="TRS_Editor"><p>该信息已被删除或调整，请访问其他栏目。</p></div>
<div class="footer">主办：安顺市人民政府办公室 黔ICP备05001234号 贵公网安备 52040202000123号
网站标识码：5204000001</div></body></html>""".encode()

#: the report served as GB18030 with a `<meta charset="gbk">`, under a header that says UTF-8
GBK_REPORT = REPORT.decode("utf-8").replace('<meta charset="utf-8">', '<meta charset="gbk">', 1).encode("gb18030")
#: the report inside 400 unclosed `<div><font>` (Word-pasted pages): libxml2 gives up at 256
#: levels unless told otherwise
DEEP_REPORT = re.sub(rb"(<body[^>]*>)", lambda m: m.group(1) + b"<div><font>" * 400, REPORT, count=1)
#: over the 10 MB bound for HTML pages (govcrawl/ingest.py MAX_PAGE_BYTES), under DOWNLOAD_MAXSIZE
HUGE_REPORT = REPORT.replace(b"</body>", b"<p>" + "政务公开".encode() * (11 * 2**20 // 12) + b"</p></body>", 1)
#: the crawl's DOWNLOAD_MAXSIZE in these tests (the gzip bomb inflates past it, `oversize` announces more)
DOWNLOAD_MAXSIZE = 16 * 2**20
ROBOTS_FAULTY = b"User-agent: *\nDisallow: /a/private/\n"
#: the chain `redirects.html` starts: longer than REDIRECT_MAX_TIMES (10)
HOPS = 15
#: GOVCRAWL_MAX_LISTING_PAGES in these tests
MAX_LISTING_PAGES = 5

_UNITS = ("民政局", "教育局", "财政局", "公安局", "司法局", "商务局", "交通运输局", "水务局", "农业农村局",
          "卫生健康局", "审计局", "统计局", "林业局", "文化广电旅游局", "应急管理局", "市场监督管理局",
          "医疗保障局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "工业和信息化局")

# --- column A: one page per fault ---------------------------------------------------------------------
#: the report pages of column A whose faulty night ends in a failure: path -> (kind, a part of the reason)
A_FAILURES = {
    "gone404.html": ("http", "HTTP 404"),
    "gone410.html": ("http", "HTTP 410"),
    "error500.html": ("http", "HTTP 500"),
    "timeout.html": ("http", "TimeoutError"),
    "slow.html": ("http", "TimeoutError"),
    "waf.html": ("blocked", "blocked by ruishu WAF challenge (HTTP 412)"),
    "truncated.html": ("http", "ResponseDataLossError"),  # a body shorter than its Content-Length
    "offsite.html": ("http", "redirected off-site: "),
    "loop.html": ("http", "redirect loop: "),
    "redirects.html": ("http", "too many redirects (REDIRECT_MAX_TIMES 10): "),
    "bomb.html": ("ignored", "exceeded DOWNLOAD_MAXSIZE"),
    "empty.html": ("empty", "the page has no text at all"),
    "huge.html": ("error", "PageTooLargeError"),
    "oversize.html": ("http", "DownloadCancelledError"),
    "private/report.html": ("robots", "forbidden by robots.txt"),
    # a same-host redirect to a page that fails: recorded under the page the listing links
    "moved.html": ("empty", "the page has no text at all (redirected: "),
}
#: what the other pages of column A end as on the faulty night (`stored`: new or changed;
#: `unchanged`: a 304, or re-read identical to the stored version)
A_OUTCOMES = {
    "ok.html": "unchanged",           # answers 304 to the ETag stored the first night
    "flaky.html": "unchanged",        # 500, then the same report on the retry
    "charset.html": "stored",         # GBK under a UTF-8 header: read right, a new version
    "deep.html": "stored",            # 400 unclosed levels: read, a new version
    "placeholder.html": "not_report",  # the report taken down: present, so not missing either
    "linking.html": "not_report",     # links its report file, a page of its own:
    PDF_NAME: "unchanged",
    # a same-host redirect to the report under a new URL: stored there (a new report), and the
    # URL the listing links stays active
    "renamed.html": "stored",
}
#: where `moved.html` and `renamed.html` redirect to on the faulty night
MOVED_TO = "moved/empty.html"
RENAMED_TO = "renamed/report.html"
#: pages of column A that are reports both nights (the listing links one entry each)
A_REPORTS = (*A_FAILURES, "ok.html", "flaky.html", "charset.html", "deep.html", "placeholder.html",
             "renamed.html")
A_OTHERS = ("linking.html",)
#: pages A's listing links, split over its two listing pages
A_LINKED = (*A_REPORTS, *A_OTHERS)
A_PAGE_ONE = A_LINKED[: len(A_LINKED) // 2]
A_PAGE_TWO = A_LINKED[len(A_LINKED) // 2:]
A_ETAG = '"ok-v1"'


def _entries(prefix: str, names) -> list[tuple[str, str]]:
    return [(f"{prefix}{name}", f"安顺市{_UNITS[i % len(_UNITS)]}2020年政府信息公开工作年度报告")
            for i, name in enumerate(names)]


def listing(title: str, entries: list[tuple[str, str]], extra: str = "") -> bytes:
    items = "\n".join(f'<li><a href="{href}" title="{text}">{text}</a><span>2021-01-{10 + i % 18}</span></li>'
                      for i, (href, text) in enumerate(entries))
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="position">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>'
            f'<ul class="list">\n{items}\n</ul>{extra}</body></html>').encode()


def _page(body: bytes, content_type: str = "text/html; charset=utf-8") -> Route:
    return lambda h: h.send(200, body, content_type)


def _status(code: int) -> Route:
    return lambda h: h.send(code, b"<html><body>error</body></html>")


def _redirect(location: str) -> Route:
    return lambda h: h.redirect(location)


def _first_hit_fails(body: bytes) -> Route:
    calls = itertools.count()

    def route(h: FaultHandler) -> None:
        if next(calls) == 0:
            h.send(500, b"<html><body>busy</body></html>")
        else:
            h.send(200, body)
    return route


def _offsite(h: FaultHandler) -> None:
    # the same server under another host name: off the spider's allowed_domains (127.0.0.1)
    h.redirect(f"http://localhost:{h.server.server_address[1]}/a/ok.html")


def _column_a(faulty: bool) -> dict[str, Route]:
    entries = _entries("/a/", A_LINKED)
    a_one = listing("政府信息公开年报", entries[: len(A_PAGE_ONE)],
                    '<div class="pages"><span>1</span> <a href="/a/index_1.html">2</a> '
                    '<a href="/a/index_1.html">下一页</a></div>')
    a_two = listing("政府信息公开年报", entries[len(A_PAGE_ONE):],
                    '<div class="pages"><a href="/a/">1</a> <span>2</span></div>')
    routes: dict[str, Route] = {
        "/robots.txt": _page(ROBOTS_FAULTY if faulty else b"User-agent: *\nDisallow:\n", "text/plain"),
        "/a/": _page(a_one),
        "/a/index_1.html": _page(a_two),
        "/a/ok.html": lambda h: h.send_cached(REPORT, A_ETAG),
        "/a/linking.html": _page(LINKING),
        f"/a/{PDF_NAME}": _page(PDF, "application/pdf"),
    }
    if not faulty:
        routes.update({f"/a/{name}": _page(REPORT) for name in A_REPORTS if name != "ok.html"})
        return routes
    routes.update({
        "/a/gone404.html": _status(404),
        "/a/gone410.html": _status(410),
        "/a/error500.html": _status(500),
        "/a/timeout.html": lambda h: h.hang(),
        "/a/slow.html": lambda h: h.trickle(REPORT, 0.5),
        "/a/waf.html": lambda h: h.send(412, b'<html><head><script>$_ts=window["$_ts"];</script></head></html>'),
        "/a/truncated.html": lambda h: h.truncated(REPORT[: len(REPORT) // 2], len(REPORT)),
        "/a/offsite.html": _offsite,
        "/a/loop.html": lambda h: h.redirect("/a/loop2.html"),
        "/a/loop2.html": lambda h: h.redirect("/a/loop.html"),
        "/a/redirects.html": lambda h: h.redirect("/a/hop/1"),
        **{f"/a/hop/{n}": _redirect(f"/a/hop/{n + 1}") for n in range(1, HOPS)},
        "/a/bomb.html": lambda h: h.gzip_bomb(4 * DOWNLOAD_MAXSIZE),
        "/a/empty.html": _page(b""),
        "/a/huge.html": _page(HUGE_REPORT),
        "/a/oversize.html": lambda h: h.announce_oversize(2 * DOWNLOAD_MAXSIZE),
        "/a/private/report.html": _page(REPORT),
        "/a/flaky.html": _first_hit_fails(REPORT),
        "/a/charset.html": _page(GBK_REPORT),
        "/a/deep.html": _page(DEEP_REPORT),
        "/a/placeholder.html": _page(PLACEHOLDER),
        "/a/moved.html": _redirect(f"/a/{MOVED_TO}"),
        f"/a/{MOVED_TO}": _page(b""),
        "/a/renamed.html": _redirect(f"/a/{RENAMED_TO}"),
        f"/a/{RENAMED_TO}": _page(REPORT),
    })
    return routes


# --- column B: a listing page that fails -------------------------------------------------------------
B_PAGE_ONE = ("b_ok.html", "b_gone.html")
B_PAGE_TWO = ("b_p2.html",)


def _column_b(faulty: bool) -> dict[str, Route]:
    pager = '<div class="pages"><span>1</span> <a href="/b/index_1.html">2</a></div>'
    routes: dict[str, Route] = {
        "/b/": _page(listing("政府信息公开年报", _entries("/b/", B_PAGE_ONE), pager)),
        "/b/index_1.html": _page(listing("政府信息公开年报", _entries("/b/", B_PAGE_TWO))),
        **{f"/b/{name}": _page(REPORT) for name in (*B_PAGE_ONE, *B_PAGE_TWO)},
    }
    if faulty:
        routes["/b/index_1.html"] = _status(500)
        routes["/b/b_gone.html"] = _status(404)
    return routes


# --- column C: a TRS column announcing two million pages -------------------------------------------
C_PAGE_ONE = ("c_ok.html", "c_gone.html")
C_PAGE_TWO = ("c_p2.html",)
HUGE_PAGE_COUNT = 2_000_000


def _trs_script(count: int, current: int) -> str:
    return f'<div id="page"><script>createPageHTML({count}, {current}, "index", "html");</script></div>'


def _column_c(faulty: bool) -> dict[str, Route]:
    count = HUGE_PAGE_COUNT if faulty else 2
    return {
        "/c/": _page(listing("政府信息公开年报", _entries("/c/", C_PAGE_ONE), _trs_script(count, 0))),
        "/c/index_1.html": _page(listing("政府信息公开年报", _entries("/c/", C_PAGE_TWO), _trs_script(count, 1))),
        **{f"/c/{name}": _page(REPORT) for name in (*C_PAGE_ONE, *C_PAGE_TWO)},
        **({"/c/c_gone.html": _status(404)} if faulty else {}),
    }


COLUMNS = {"a": _column_a, "b": _column_b, "c": _column_c}


def column_routes(column: str, faulty: bool) -> dict[str, Route]:
    """The routes of one column (`a`, `b`, `c`) on its good or its faulty night (column A's also
    serve robots.txt)."""
    return COLUMNS[column](faulty)
