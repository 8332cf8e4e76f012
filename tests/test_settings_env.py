"""GOVCRAWL_ENV selects a small overlay of settings (govcrawl/settings.py); the default database
path is absolute, so the summary names the file wherever cron ran the crawl."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from govcrawl import PROJECT_ROOT


def scrapy_setting(name: str, env: dict[str, str], *extra: str, cwd=PROJECT_ROOT):
    environ = {k: v for k, v in os.environ.items()
               if k not in ("GOVCRAWL_ENV", "GOVCRAWL_LOG_LEVEL", "GOVCRAWL_DATABASE_URL")}
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "scrapy", "settings", "--get", name, *extra],
                          cwd=cwd, env=environ, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("env,name,value", [
    ({}, "TELNETCONSOLE_ENABLED", "False"),
    ({}, "HTTPCACHE_ENABLED", "False"),
    ({}, "GOVCRAWL_OFFLINE", "False"),
    ({"GOVCRAWL_ENV": "production"}, "DOWNLOAD_DELAY", "2"),
    ({"GOVCRAWL_ENV": "development"}, "HTTPCACHE_ENABLED", "True"),
    ({"GOVCRAWL_ENV": "development"}, "LOG_LEVEL", "DEBUG"),
    ({"GOVCRAWL_ENV": "development", "GOVCRAWL_LOG_LEVEL": "WARNING"}, "LOG_LEVEL", "WARNING"),
    ({"GOVCRAWL_ENV": "test"}, "GOVCRAWL_OFFLINE", "True"),
    ({"GOVCRAWL_ENV": "test"}, "DOWNLOAD_DELAY", "0"),
    ({"GOVCRAWL_ENV": "test"}, "RETRY_TIMES", "0"),
])
def test_environment_overlays(env, name, value):
    proc = scrapy_setting(name, env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == value


def test_command_line_settings_still_win():
    proc = scrapy_setting("DOWNLOAD_DELAY", {"GOVCRAWL_ENV": "test"}, "-s", "DOWNLOAD_DELAY=5")
    assert proc.stdout.strip() == "5"


def test_an_unknown_environment_stops_the_crawl_from_starting():
    proc = scrapy_setting("BOT_NAME", {"GOVCRAWL_ENV": "prod"})
    assert proc.returncode != 0 and "GOVCRAWL_ENV='prod'" in proc.stderr


def test_the_default_database_is_absolute():
    proc = scrapy_setting("GOVCRAWL_DATABASE_URL", {})
    assert proc.stdout.strip() == f"sqlite:///{PROJECT_ROOT / 'govcrawl.db'}"
    proc = scrapy_setting("GOVCRAWL_DATABASE_URL", {"GOVCRAWL_DATABASE_URL": "sqlite:///data/g.db"})
    assert proc.stdout.strip() == f"sqlite:///{PROJECT_ROOT / 'data' / 'g.db'}"
    url = "postgresql://postgres@127.0.0.1:5432/govcrawl"
    assert scrapy_setting("GOVCRAWL_DATABASE_URL", {"GOVCRAWL_DATABASE_URL": url}).stdout.strip() == url


def test_display_url_is_absolute_for_sqlite(tmp_path, monkeypatch):
    from govcrawl.storage.db import display_url

    monkeypatch.chdir(tmp_path)
    assert display_url("sqlite:///govcrawl.db") == f"sqlite:///{tmp_path / 'govcrawl.db'}"
    assert display_url("postgresql://u:secret@h/db") == "postgresql+psycopg://u:***@h/db"
