"""Memory of a long crawl: RSS of the crawl process and its extraction workers, every 1,000 pages.

    .venv/bin/python bench/bench_memory.py [--pages 10000] [--per-page 20] [--keep DIR]

Builds a synthetic mirror in a temp directory: one TRS-like column (`www.memtest.gov.cn`, paged
`index.html`, `index_1.html`, ... by a `countPage` script, 20 entries a page) of report pages with
the chrome, 索引号 block and size of a real TRS detail page (15-45 KB: narrative sections and the
2021 statistics tables rendered by govcrawl/formats/render.py, Word-pasted markup on half of
them, with different numbers on every page). The generic `column` spider crawls it offline
(`-s GOVCRAWL_OFFLINE=1 -s GOVCRAWL_FIXTURES_DIR=<tmp>`, no delay, no AutoThrottle) into a fresh
SQLite database, while this script reads, from /proc, the resident set size of the crawl process
and of each of its extraction workers (children of the crawl; replaced after
GOVCRAWL_WORKER_MAX_TASKS pages, default 500) whenever the number of stored reports passes a
multiple of 1,000. The table ends with the growth from 1,000 to the last sample. Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govcrawl.formats import render

HOST = "www.memtest.gov.cn"
COLUMN = "/zfxxgk/zfxxgknb/"
AGENCIES = ("教育局", "财政局", "民政局", "司法局", "统计局", "水务局", "交通运输局", "卫生健康局",
            "市场监督管理局", "自然资源局", "生态环境局", "住房和城乡建设局", "农业农村局", "商务局")
COUNTIES = ("西秀区", "平坝区", "普定县", "镇宁县", "关岭县", "紫云县", "经开区", "黄果树区")

HEAD = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="SiteName" content="某市人民政府">
<meta name="SiteDomain" content="{host}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="政府信息公开年报">
{meta}<title>{title}_某市人民政府</title>
<link rel="stylesheet" type="text/css" href="/images/public.css">
<script type="text/javascript" src="/images/jquery-1.11.3.min.js"></script>
</head>
<body class="ScrollStyle">
<div id="warp">
<div class="Top w1200 auto"><div class="fl">欢迎访问某市人民政府网站！</div>
<div class="fr"><a href="javascript:void(0);" id="wza">无障碍</a> |
<a href="javascript:void(0);" id="zzms">长者模式</a> |
<a href="javascript:void(0);" onclick="SetHome(this,window.location)">设为首页</a> |
<a href="javascript:void(0);" onclick="AddFavorite()">加入收藏</a> |
<a href="javascript:void(0);" id="jtfz">繁體</a></div></div>
<div class="Header w1200 auto"><div class="logo fl">
<a href="/"><img src="/images/logo.png" alt="某市人民政府"></a></div>
<div class="search fr"><form action="/irs/front/search" method="get" target="_blank">
<input type="text" name="searchWord" placeholder="请输入关键字"><input type="submit" value="搜索"></form></div></div>
<div class="Nav"><ul class="w1200 auto">
<li><a href="/">首页</a></li><li><a href="/zwdt/">政务动态</a></li><li class="on"><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/ztzl/">专题专栏</a></li>
</ul></div>
<div class="Main w1200 auto">
<div class="dqwz">当前页面:<a href="/">首页</a> » <a href="/zfxxgk/">政府信息公开</a> »
<a href="{column}">政府信息公开年报</a></div>
"""

FOOT = """</div>
<div class="link w1200 auto"><div class="diyselect"><div class="selectlist">政府网站<ul>
<li><a href="http://www.gov.cn/" target="_blank">中国政府网</a></li>
<li><a href="http://www.guizhou.gov.cn/" target="_blank">贵州省人民政府</a></li></ul></div></div></div>
<div class="Footer"><div class="w1200 auto">
<div class="foot_nav"><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> |
<a href="/wzsm/">网站声明</a></div>
<div class="footTex">
<p>主办单位：某市人民政府办公室　承办单位：某市大数据发展管理局　</p>
<p>网站标识码：5299000001　<a href="https://beian.miit.gov.cn/" target="_blank">黔ICP备05009999号</a>
<a href="http://www.beian.gov.cn/" target="_blank">黔公网安备 52990202000101号</a></p>
</div></div></div>
</div>
</body>
</html>
"""

NARRATIVE = (
    ("一、总体情况", "{year}年，{agency}深入贯彻落实《中华人民共和国政府信息公开条例》，"
                 "坚持以公开为常态、不公开为例外，围绕中心工作，加强组织领导，完善工作机制，"
                 "全年主动公开政府信息{n}条，依申请公开工作平稳有序。"),
    ("（一）主动公开", "通过政府网站、政务新媒体等渠道主动公开规范性文件、财政预决算、重大建设项目等"
                  "重点领域信息，及时回应社会关切，解读政策文件{m}篇。"),
    ("（二）依申请公开", "严格按照法定程序办理政府信息公开申请，做到件件有登记、件件有回复，"
                   "未发生因依申请公开引起的行政复议和诉讼。"),
    ("（三）政府信息管理", "健全政府信息公开保密审查制度，落实“先审查、后公开”和“一事一审”要求，"
                    "规范信息发布流程。"),
    ("（四）平台建设", "持续优化政府网站信息公开专栏，完善栏目设置，提升网站检索和信息查询功能。"),
    ("（五）监督保障", "将政府信息公开工作纳入年度绩效考核，开展业务培训{k}次，强化工作人员业务能力。"),
)
P = '<p style="text-indent:2em;">'


def report_page(i: int, rnd: random.Random) -> tuple[str, str, str, str]:
    """(url path, html, title, date) of report page `i`."""
    year = 2015 + i % 8
    month, day = 1 + i % 3, 1 + i % 28
    agency = f"{COUNTIES[i % len(COUNTIES)]}{AGENCIES[(i // len(COUNTIES)) % len(AGENCIES)]}"
    title = f"{agency}{year}年政府信息公开工作年度报告"
    date = f"{year + 1}-{month:02d}-{day:02d}"
    path = f"{COLUMN}{year + 1}{month:02d}/t{year + 1}{month:02d}{day:02d}_{1000000 + i}.html"
    tables = render.layout("2021")
    values = {k: str(rnd.randint(0, 300)) if rnd.random() > 0.3 else "0" for k in render.cell_keys(tables)}
    markup = render.to_html(tables, values, word=i % 2 == 0)
    markup = markup.removeprefix('<html><body><div class="TRS_Editor">').removesuffix("</div></body></html>")
    paragraphs = []
    for heading, text in NARRATIVE[: 2 + i % len(NARRATIVE)]:
        numbers = {"n": rnd.randint(50, 900), "m": rnd.randint(1, 40), "k": rnd.randint(1, 9)}
        paragraphs.append(f"{P}<strong>{heading}</strong></p>")
        paragraphs.append(f"{P}{text.format(year=year, agency=agency, **numbers)}</p>")
    meta = (f'<meta name="ArticleTitle" content="{escape(title)}">\n'
            f'<meta name="PubDate" content="{date} 10:00">\n<meta name="ContentSource" content="{agency}">\n')
    label = '<td class="td_lable">'
    body = (f'<table class="xxgk_table" width="100%"><tbody>'
            f'<tr>{label}索引号：</td><td>1152{i:06d}X/{year + 1}-{i % 9999:07d}</td>'
            f'{label}生成日期：</td><td>{date}</td></tr>\n'
            f'<tr>{label}信息分类：</td><td>政府信息公开年报</td>{label}发布机构：</td><td>{agency}</td></tr>\n'
            f'<tr>{label}文号：</td><td></td>{label}是否有效：</td><td>有效</td></tr>\n'
            f'<tr>{label}信息名称：</td><td colspan="3">{escape(title)}</td></tr></tbody></table>\n'
            f'<div class="Article"><h1 class="Article_title">{escape(title)}</h1>\n'
            f'<div class="Article_ly"><span>发布时间：{date}</span><span>来源：{agency}</span></div>\n'
            f'<div class="TRS_Editor">\n{P}本报告根据《中华人民共和国政府信息公开条例》要求编制。</p>\n'
            + "\n".join(paragraphs) + markup
            + f"{P}<strong>五、存在的主要问题及改进情况</strong></p>"
            f"{P}部分栏目更新不够及时，解读回应的针对性有待增强。</p>"
            f"{P}<strong>六、其他需要报告的事项</strong></p>{P}无。</p>"
            f'<p style="text-align:right;">{agency}</p><p style="text-align:right;">{date}</p>\n</div></div>\n'
            '<div class="Article_ewm"><p>扫一扫在手机打开当前页面</p></div>\n')
    html = HEAD.format(host=HOST, meta=meta, title=escape(title), column=COLUMN) + body + FOOT
    return path, html, title, date


def build_mirror(root: Path, pages: int, per_page: int) -> int:
    """Write the column and its report pages under `root`; the number of listing pages."""
    rnd = random.Random(20261201)
    site = root / HOST
    entries = []
    for i in range(pages):
        path, html, title, date = report_page(i, rnd)
        file = site / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(html, "utf-8")
        entries.append((path, title, date))
    listing_pages = max(1, -(-pages // per_page))
    for n in range(listing_pages):
        chunk = entries[n * per_page:(n + 1) * per_page]
        items = "\n".join(f'<li><a href="{p.removeprefix(COLUMN)}" title="{escape(t)}" target="_blank">'
                          f'{escape(t)}</a><b>{d}</b></li>' for p, t, d in chunk)
        html = (HEAD.format(host=HOST, meta="", title="政府信息公开年报", column=COLUMN)
                + f'<div class="zfxxgk_right fr"><div class="zfxxgk_zdgkc"><ul>\n{items}\n</ul></div>'
                f'<div class="page"><script type="text/javascript">\nvar countPage = {listing_pages}//共多少页\n'
                f'createPageHTML(countPage, {n}, "index", "html");\n</script></div></div>\n' + FOOT)
        name = "index.html" if n == 0 else f"index_{n}.html"
        (site / COLUMN.strip("/") / name).write_text(html, "utf-8")
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
    return listing_pages


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (the extraction workers of the crawl)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        # the second field, the command, is in parentheses and may hold spaces
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    except sqlite3.Error:
        return 0


def crawl(root: Path, db: Path, stats_file: Path, pages: int, listing_pages: int, step: int):
    cmd = [sys.executable, "-m", "scrapy", "crawl", "column", "-a", f"url=http://{HOST}{COLUMN}",
           "-s", "GOVCRAWL_OFFLINE=1", "-s", f"GOVCRAWL_FIXTURES_DIR={root}",
           "-s", f"GOVCRAWL_DATABASE_URL=sqlite:///{db}", "-s", "DOWNLOAD_DELAY=0",
           "-s", "AUTOTHROTTLE_ENABLED=0", "-s", f"GOVCRAWL_MAX_LISTING_PAGES={listing_pages + 10}",
           "-s", "GOVCRAWL_SUMMARY=0", "-s", "LOG_LEVEL=WARNING", "-s", "STATS_DUMP=0",
           "-s", f"GOVCRAWL_STATS_FILE={stats_file}"]
    start = time.monotonic()
    samples = []
    next_mark = step
    with open(db.with_suffix(".log"), "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        while proc.poll() is None:
            time.sleep(0.25)
            n = stored(db)
            if n >= next_mark:
                workers = [(w, rss_kib(w)) for w in children(proc.pid)]
                samples.append((next_mark, n, time.monotonic() - start, rss_kib(proc.pid),
                                [r for _, r in workers if r]))
                while n >= next_mark:
                    next_mark += step
    return proc.returncode, samples, time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--per-page", type=int, default=20, help="entries per listing page")
    parser.add_argument("--step", type=int, default=1000, help="sample every this many reports")
    parser.add_argument("--keep", help="build the mirror and database here, and keep them")
    args = parser.parse_args()
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="govcrawl-mem-"))
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        sites, db = tmp / "sites", tmp / "memtest.db"
        if db.exists():
            db.unlink()
        t0 = time.monotonic()
        listing_pages = build_mirror(sites, args.pages, args.per_page)
        size = sum(f.stat().st_size for f in (sites / HOST).rglob("t*.html"))
        print(f"mirror: {args.pages} report pages ({size / args.pages / 1024:.1f} KiB on average), "
              f"{listing_pages} listing pages, built in {time.monotonic() - t0:.0f}s")
        code, samples, seconds = crawl(sites, db, tmp / "stats.json", args.pages, listing_pages,
                                       args.step)
        stats = json.loads((tmp / "stats.json").read_text()) if (tmp / "stats.json").exists() else {}
        print(f"crawl: exit code {code}, {seconds:.0f}s, {stored(db)} reports stored, "
              f"{stats.get('downloader/request_count', '?')} requests, "
              f"workers retired {stats.get('govcrawl/extract_workers_retired', '?')}, "
              f"peak RSS (memusage/max) {int(stats.get('memusage/max', 0)) / 2**20:.1f} MiB")
        print(f"{'pages':>7} {'seconds':>8} {'crawl RSS MiB':>14} {'workers':>8} "
              f"{'worker RSS MiB (max)':>21} {'workers total MiB':>18}")
        for mark, _n, secs, crawl_rss, workers in samples:
            print(f"{mark:>7} {secs:>8.0f} {(crawl_rss or 0) / 1024:>14.1f} {len(workers):>8} "
                  f"{max(workers, default=0) / 1024:>21.1f} {sum(workers) / 1024:>18.1f}")
        if len(samples) >= 2 and samples[0][3] and samples[-1][3]:
            first, last = samples[0], samples[-1]
            growth = last[3] / first[3] - 1
            per_page = (last[3] - first[3]) / max(last[0] - first[0], 1)
            line = (f"growth {first[0]} -> {last[0]} pages: crawl process {growth:+.1%} "
                    f"({per_page:.2f} KiB per page)")
            # the last sample may come after the workers were stopped at the end of the crawl
            with_workers = [s for s in samples if s[4]]
            if len(with_workers) >= 2:
                w0, w1 = max(with_workers[0][4]), max(with_workers[-1][4])
                line += (f"; largest worker {w1 / w0 - 1:+.1%} ({with_workers[0][0]} -> "
                         f"{with_workers[-1][0]} pages)")
            print(line)
        return code or 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
