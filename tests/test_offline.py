"""Offline mode: the fixture mirror served over loopback HTTP (govcrawl/offline.py)."""

from __future__ import annotations

import email.utils
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from scrapy.settings import Settings

from govcrawl.offline import (
    DEFAULT_FIXTURES_DIR,
    FixtureServer,
    OfflineAddon,
    fixture_key,
    fixture_path,
)

PAGE = "<html><head><meta charset='utf-8'></head><body>安顺</body></html>"


def fetch(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) for a loopback request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    site = tmp_path / "www.example.gov.cn"
    (site / "col").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>home</body></html>", "utf-8")
    (site / "col" / "index.html").write_text(PAGE, "utf-8")
    (site / "col" / "index_1.html").write_text("<html><body>page 2</body></html>", "utf-8")
    (site / "list.jsp@columnid=12&page=2").write_text("<html><body>jsp page 2</body></html>", "utf-8")
    (site / "search@q=年报").write_text("<html><body>found</body></html>", "utf-8")
    (site / "report.pdf").write_bytes(b"%PDF-1.4 fake")
    # a GBK page whose server sends no charset, and a WAF challenge
    (site / "gbk.html").write_bytes("<html><body>政府信息公开</body></html>".encode("gbk"))
    (site / "gbk.html.http.json").write_text(json.dumps({"headers": {"Content-Type": "text/html"}}))
    (site / "blocked.html").write_text("<html><script>$_ts=1</script></html>", "utf-8")
    (site / "blocked.html.http.json").write_text(json.dumps({"status": 412}))
    (site / "dated.html").write_text("<html><body>dated</body></html>", "utf-8")
    (site / "dated.html.http.json").write_text(json.dumps(
        {"headers": {"Last-Modified": "Fri, 29 Jan 2021 02:00:00 GMT", "ETag": "W/\"abc\""}}))
    return tmp_path


@pytest.fixture
def server(mirror):
    with FixtureServer(mirror) as s:
        yield s


def url(server: FixtureServer, path: str) -> str:
    return f"http://127.0.0.1:{server.port}/www.example.gov.cn{path}"


# --- keys and paths -------------------------------------------------------------------------------
@pytest.mark.parametrize("path, query, form, key", [
    ("/", "", "", "index.html"),
    ("", "", "", "index.html"),
    ("/col/", "", "", "col/index.html"),
    ("/col/index_1.html", "", "", "col/index_1.html"),
    ("/list.jsp", "page=2&columnid=12", "", "list.jsp@columnid=12&page=2"),
    ("/proxy.jsp", "page=2", "col=1&unitid=7", "proxy.jsp@col=1&page=2&unitid=7"),
    ("/search", "q=%E5%B9%B4%E6%8A%A5", "", "search@q=年报"),
    ("/a", "flag=", "", "a@flag="),
    # a "/" inside a value (Hanweb posts path=/) must not open a sub-directory
    ("/dataproxy.jsp", "page=2", "path=/", "dataproxy.jsp@page=2&path=%2F"),
])
def test_fixture_key(path, query, form, key):
    assert fixture_key(path, query, form) == key


def test_fixture_path_lowercases_the_host():
    path = fixture_path(Path("/m"), "http://WWW.Anshun.gov.cn/zfxxgk/zfxxgknb/?b=2&a=1")
    assert path == Path("/m/www.anshun.gov.cn/zfxxgk/zfxxgknb/index.html@a=1&b=2")


def test_default_mirror_has_the_anshun_column():
    assert fixture_path(DEFAULT_FIXTURES_DIR, "http://www.anshun.gov.cn/zfxxgk/zfxxgknb/").is_file()


# --- the server -----------------------------------------------------------------------------------
def test_directory_serves_index_html(server):
    status, headers, body = fetch(url(server, "/col/"))
    assert status == 200
    assert body == PAGE.encode()
    assert headers["Content-Type"] == "text/html"
    assert int(headers["Content-Length"]) == len(body)
    status, _, body = fetch(f"http://127.0.0.1:{server.port}/www.example.gov.cn/")
    assert (status, body) == (200, b"<html><body>home</body></html>")


def test_query_string_selects_the_keyed_file(server):
    status, _, body = fetch(url(server, "/list.jsp?page=2&columnid=12"))
    assert (status, body) == (200, b"<html><body>jsp page 2</body></html>")
    status, _, body = fetch(url(server, "/search?q=%E5%B9%B4%E6%8A%A5"))
    assert (status, body) == (200, b"<html><body>found</body></html>")


def test_posted_form_selects_the_keyed_file(server):
    status, _, body = fetch(url(server, "/list.jsp?page=2"), method="POST", data=b"columnid=12",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, body) == (200, b"<html><body>jsp page 2</body></html>")


def test_content_types_by_extension(server):
    status, headers, body = fetch(url(server, "/report.pdf"))
    assert (status, headers["Content-Type"], body) == (200, "application/pdf", b"%PDF-1.4 fake")


def test_sidecar_sets_headers_and_status(server):
    status, headers, body = fetch(url(server, "/gbk.html"))
    assert status == 200 and headers["Content-Type"] == "text/html"  # no charset, as recorded
    assert body.decode("gbk") == "<html><body>政府信息公开</body></html>"
    status, _, body = fetch(url(server, "/blocked.html"))
    assert status == 412 and b"$_ts" in body


def test_sidecar_itself_is_not_served(server):
    status, _, _ = fetch(url(server, "/gbk.html.http.json"))
    assert status == 404


def test_missing_file_is_404(server):
    status, headers, body = fetch(url(server, "/col/index_9.html"))
    assert status == 404 and b"404" in body and headers["Content-Type"] == "text/html"
    assert fetch(url(server, "/nowhere/"))[0] == 404


def test_etag_and_conditional_get(server):
    status, headers, _ = fetch(url(server, "/col/index.html"))
    etag = headers["ETag"]
    assert status == 200 and etag.startswith('"') and len(etag) == 18
    # the same content, the same strong ETag
    assert fetch(url(server, "/col/"))[1]["ETag"] == etag
    status, headers, body = fetch(url(server, "/col/index.html"), headers={"If-None-Match": etag})
    assert (status, body, headers["ETag"]) == (304, b"", etag)
    status, _, body = fetch(url(server, "/col/index.html"), headers={"If-None-Match": '"other", ' + etag})
    assert status == 304
    status, _, body = fetch(url(server, "/col/index.html"), headers={"If-None-Match": '"stale"'})
    assert status == 200 and body == PAGE.encode()


def test_etag_changes_with_the_file(server, mirror):
    before = fetch(url(server, "/col/index_1.html"))[1]["ETag"]
    (mirror / "www.example.gov.cn/col/index_1.html").write_text("<html>changed</html>", "utf-8")
    status, headers, body = fetch(url(server, "/col/index_1.html"), headers={"If-None-Match": before})
    assert status == 200 and body == b"<html>changed</html>" and headers["ETag"] != before


def test_if_modified_since_with_a_recorded_last_modified(server):
    _status, headers, _ = fetch(url(server, "/dated.html"))
    assert headers["Last-Modified"] == "Fri, 29 Jan 2021 02:00:00 GMT"
    assert headers["ETag"] == 'W/"abc"'  # a sidecar ETag wins over the computed one
    later = email.utils.format_datetime(email.utils.parsedate_to_datetime(headers["Last-Modified"]).replace(year=2022), usegmt=True)
    assert fetch(url(server, "/dated.html"), headers={"If-Modified-Since": later})[0] == 304
    earlier = "Thu, 28 Jan 2021 02:00:00 GMT"
    assert fetch(url(server, "/dated.html"), headers={"If-Modified-Since": earlier})[0] == 200


def test_head_sends_headers_only(server):
    status, headers, body = fetch(url(server, "/col/"), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == len(PAGE.encode())


def test_local_url_maps_any_host_and_keeps_the_query(server):
    local = server.local_url("https://WWW.Example.gov.cn/col/年报.html?a=1")
    assert local == (f"http://127.0.0.1:{server.port}/www.example.gov.cn/col/"
                     "%E5%B9%B4%E6%8A%A5.html?a=1")
    assert server.local_url("http://www.example.gov.cn").endswith("/www.example.gov.cn/")


def test_non_ascii_file_names_are_served(server, mirror):
    (mirror / "www.example.gov.cn/col/年报.html").write_text("<p>年报</p>", "utf-8")
    status, _, body = fetch(server.local_url("http://www.example.gov.cn/col/年报.html"))
    assert (status, body.decode()) == (200, "<p>年报</p>")


# --- the add-on -----------------------------------------------------------------------------------
def test_addon_does_nothing_online():
    settings = Settings({"GOVCRAWL_OFFLINE": False})
    OfflineAddon().update_settings(settings)
    assert "http" not in (settings.getdict("DOWNLOAD_HANDLERS") or {})


def test_addon_switches_http_and_https_to_the_mirror():
    settings = Settings({"DOWNLOAD_DELAY": 2, "AUTOTHROTTLE_ENABLED": True})
    settings.set("GOVCRAWL_OFFLINE", "1", priority="cmdline")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 1, priority="project")
    OfflineAddon().update_settings(settings)
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert handlers["http"] == handlers["https"] == "govcrawl.offline.OfflineDownloadHandler"
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is False
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 8


def test_addon_leaves_the_command_line_in_charge():
    settings = Settings()
    settings.set("GOVCRAWL_OFFLINE", "1", priority="cmdline")
    settings.set("DOWNLOAD_DELAY", 0.5, priority="cmdline")
    OfflineAddon().update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.5
