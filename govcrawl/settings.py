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
# a chain longer than this is a failure ("too many redirects"), never followed further
REDIRECT_MAX_TIMES = 10
# distinct listing pages (and listing POSTs) one crawl requests at most; a column announcing more
# (`createPageHTML(2000000, ...)`) is capped, and the cap is a failure of kind `limit`
GOVCRAWL_MAX_LISTING_PAGES = 300

FEED_EXPORT_ENCODING = "utf-8"
# `-O out.csv`: nested fields (cells, checks, sections, ...) as JSON, not Python reprs
FEED_EXPORTERS = {"csv": "govcrawl.exporters.JsonFieldsCsvItemExporter"}
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# --- offline mode: `-s GOVCRAWL_OFFLINE=1` serves fixtures/sites over loopback -------------------
GOVCRAWL_OFFLINE = False
GOVCRAWL_FIXTURES_DIR = None  # default: <repo>/fixtures/sites
ADDONS = {"govcrawl.offline.OfflineAddon": 0, "govcrawl.distributed.addon.DistributedAddon": 10}

# --- distributed crawling: `-s GOVCRAWL_DISTRIBUTED=redis://127.0.0.1:6379/0` (docs/distributed.md) --
GOVCRAWL_DISTRIBUTED = None  # the Redis of the shared crawl; unset: a crawl of its own
GOVCRAWL_CRAWL_ID = "default"  # workers with the same spider, arguments and id share one crawl
GOVCRAWL_DISTRIBUTED_LEASE = 30.0  # seconds before a killed worker's hosts and requests are taken over
GOVCRAWL_DISTRIBUTED_FINISHED_TTL = 60.0  # seconds a finished crawl refuses late workers

# --- storage ---------------------------------------------------------------------------------------
# a relative SQLite path is made absolute here (the same file: settings load in the crawl's working
# directory), so the summary and the logs name the file wherever cron ran the crawl
GOVCRAWL_DATABASE_URL = os.environ.get("GOVCRAWL_DATABASE_URL", "sqlite:///govcrawl.db")
if GOVCRAWL_DATABASE_URL.startswith("sqlite:///") and not GOVCRAWL_DATABASE_URL.startswith("sqlite:////") \
        and not GOVCRAWL_DATABASE_URL.startswith("sqlite:///:memory:"):
    GOVCRAWL_DATABASE_URL = "sqlite:///" + os.path.abspath(GOVCRAWL_DATABASE_URL[len("sqlite:///"):])
# each stored page is re-validated (a conditional GET, or a full download where the server sends
# neither ETag nor Last-Modified) about every this many days, on a night spread by a hash of its
# URL (govcrawl/storage/middleware.py); 0: every stored page every night
GOVCRAWL_RECHECK_DAYS = 7

DOWNLOADER_MIDDLEWARES = {
    # Scrapy's offsite filter drops requests silently (no errback): ours records each drop
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "govcrawl.middlewares.RecordingOffsiteMiddleware": 50,
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
    "govcrawl.extensions.ProgressLog": 520,
}
# a one-line progress message at WARNING every this many seconds (0: none)
GOVCRAWL_PROGRESS_INTERVAL = 300.0
# the summary lists at most this many failed, new, changed and missing URLs each
GOVCRAWL_SUMMARY_URLS = 10
# exit code 4 when more than this share of the requests failed or were blocked
GOVCRAWL_MAX_FAILED_SHARE = 0.2
# seconds a stopping crawl may take before it is forced (GOVCRAWL_STOP_GRACE=0: wait for it)
GOVCRAWL_STOP_GRACE = 5.0

LOG_LEVEL = os.environ.get("GOVCRAWL_LOG_LEVEL", "INFO")

# --- environments: GOVCRAWL_ENV=production (default) | development | test --------------------------
# A small overlay per environment (README, "Environments"); settings given with -s, a spider's
# custom_settings and GOVCRAWL_LOG_LEVEL still win. An unknown name stops the crawl from starting:
# a typo must not crawl the live sites with another environment's settings.
GOVCRAWL_ENV = os.environ.get("GOVCRAWL_ENV", "production")
ENVIRONMENTS = {
    # the settings above as they are; no telnet console listening on a production host
    "production": {"TELNETCONSOLE_ENABLED": False},
    # iterating on parsers: pages are cached on disk (.scrapy/httpcache) so a re-run does not
    # fetch the same government pages again; more log
    "development": {"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": "httpcache",
                    "HTTPCACHE_EXPIRATION_SECS": 7 * 24 * 3600, "LOG_LEVEL": "DEBUG"},
    # tests and CI: only the offline mirror, no delays, no retries, quiet
    "test": {"GOVCRAWL_OFFLINE": True, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
             "RETRY_TIMES": 0, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING"},
}
if GOVCRAWL_ENV not in ENVIRONMENTS:
    raise ValueError(f"GOVCRAWL_ENV={GOVCRAWL_ENV!r}: one of {', '.join(ENVIRONMENTS)}")
for _name, _value in ENVIRONMENTS[GOVCRAWL_ENV].items():
    if _name == "LOG_LEVEL" and "GOVCRAWL_LOG_LEVEL" in os.environ:
        continue
    globals()[_name] = _value
