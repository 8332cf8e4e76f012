"""Scrapy settings for govcrawl. Components are small and wired here."""

import os

BOT_NAME = "govcrawl"
SPIDER_MODULES = ["govcrawl.spiders"]
NEWSPIDER_MODULE = "govcrawl.spiders"
# `scrapy crawl` exits with the night's verdict (govcrawl/scrapy_commands/crawl.py)
COMMANDS_MODULE = "govcrawl.scrapy_commands"

# --- politeness: government sites are small servers; crawl them gently -------------------------
GOVCRAWL_CONTACT = os.environ.get("GOVCRAWL_CONTACT", "govcrawl-ops@proton.me")
USER_AGENT = (
    "govcrawl/0.1 (research crawler for 政府信息公开工作年度报告; "
    f"+https://github.com/govcrawl/govcrawl; contact: {GOVCRAWL_CONTACT})"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2
DOWNLOAD_DELAY_JITTER = 0.5  # each delay is 0.5x to 1.5x DOWNLOAD_DELAY
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 2
# WAF challenges (瑞数 412, 加速乐 521) are blocks, not outages: never retried
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024

FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# --- offline mode: `-s GOVCRAWL_OFFLINE=1` serves fixtures/sites over loopback -------------------
GOVCRAWL_OFFLINE = False
GOVCRAWL_FIXTURES_DIR = None  # default: <repo>/fixtures/sites
ADDONS = {"govcrawl.offline.OfflineAddon": 0}

# --- storage ---------------------------------------------------------------------------------------
GOVCRAWL_DATABASE_URL = os.environ.get("GOVCRAWL_DATABASE_URL", "sqlite:///govcrawl.db")
# a stored page whose server sends neither ETag nor Last-Modified is re-downloaded after this many days
GOVCRAWL_RECHECK_DAYS = 7

DOWNLOADER_MIDDLEWARES = {
    "govcrawl.middlewares.CharsetMiddleware": 560,
    "govcrawl.middlewares.WafDetectionMiddleware": 570,
    # incremental runs: conditional re-fetching of stored detail/attachment pages (storage)
    "govcrawl.storage.middleware.ConditionalRequestMiddleware": 575,
}

ITEM_PIPELINES = {
    "govcrawl.pipelines.extract.ExtractPipeline": 100,
    "govcrawl.pipelines.storage.StoragePipeline": 500,
    "govcrawl.pipelines.public.PublicRecordPipeline": 900,
}

EXTENSIONS = {
    "govcrawl.extensions.CrawlSummary": 500,
    "govcrawl.extensions.StopGuard": 510,
}
# exit code 4 when more than this share of the requests failed or were blocked
GOVCRAWL_MAX_FAILED_SHARE = 0.2
# seconds a stopping crawl may take before it is forced (GOVCRAWL_STOP_GRACE=0: wait for it)
GOVCRAWL_STOP_GRACE = 5.0

LOG_LEVEL = os.environ.get("GOVCRAWL_LOG_LEVEL", "INFO")
