"""The storage side of one crawl: its `crawl_runs` row, its counts, its failures, and closing it.

Shared by StoragePipeline and ConditionalRequestMiddleware through `CrawlStorage.for_crawler`, so
both count into the same run. All database work runs in worker threads (`asyncio.to_thread`):
the reactor never waits on the database.

At spider close with reason "finished", reports of this spider not seen in this run become
`missing`. Any other reason (closespider limits, shutdown on Ctrl-C, an error) marks nothing: an
incomplete run proves nothing about what vanished. A SIGKILLed run never gets here at all and leaves
its run row unfinished (finished IS NULL).

With Scrapy's JOBDIR (pause and resume), the run survives the pause: its id and what the run must
remember (pages dropped, linking pages' validators) are kept in `JOBDIR/govcrawl-run.json`, and the
resumed crawl reopens the same run, so the reports seen before the pause count as seen. A run that
finished cleanly deletes that file and empties the JOBDIR's `requests.seen`, so the next night
with the same JOBDIR crawls like any other night instead of filtering every request as seen.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter
from pathlib import Path

from scrapy import signals
from scrapy.utils.job import job_dir

from govcrawl.signals import page_failed
from govcrawl.storage.db import display_url, get_engine, resolve_database_url
from govcrawl.storage.repository import Repository, SaveResult

logger = logging.getLogger(__name__)

#: an http failure whose reason names one of these statuses means the page is gone
_GONE = re.compile(r"\b(404|410)\b")


class CrawlStorage:
    _ATTR = "_govcrawl_storage"

    def __init__(self, crawler):
        self.crawler = crawler
        self.database_url = resolve_database_url(crawler.settings.get("GOVCRAWL_DATABASE_URL"))
        self._repository: Repository | None = None
        self._repository_lock = asyncio.Lock()
        self._run_lock = asyncio.Lock()
        self.run_id: int | None = None
        self.counts: Counter = Counter()
        #: url -> (kind, reason) of pages that failed in this run
        self.failures: dict[str, tuple[str, str]] = {}
        #: validators of linking (detail) pages fetched in this run: url -> (etag, last_modified)
        self.page_validators: dict[str, tuple[str | None, str | None]] = {}
        #: attachment url -> the page that linked it (its Referer), to know which pages are complete
        self.attachment_parents: dict[str, str] = {}
        #: linking pages some of whose attachments failed in this run
        self.incomplete_pages: set[str] = set()
        #: pages that answered but were dropped before storage (no longer read as a report: a
        #: garbled page, a parser regression): present on the site, so never marked missing
        self.dropped_urls: set[str] = set()
        self._tasks: set[asyncio.Task] = set()
        self.closed = False
        jobdir = job_dir(crawler.settings)
        #: where a paused (JOBDIR) run keeps what it must remember across the pause
        self.job_file: Path | None = Path(jobdir, "govcrawl-run.json") if jobdir else None

    @classmethod
    def for_crawler(cls, crawler) -> CrawlStorage:
        storage = getattr(crawler, cls._ATTR, None)
        if storage is None:
            storage = cls(crawler)
            setattr(crawler, cls._ATTR, storage)
            crawler.signals.connect(storage.spider_opened, signal=signals.spider_opened)
            crawler.signals.connect(storage.spider_closed, signal=signals.spider_closed)
            crawler.signals.connect(storage.page_failed, signal=page_failed)
            crawler.signals.connect(storage.item_dropped, signal=signals.item_dropped)
        return storage

    @property
    def spider_name(self) -> str:
        spider = getattr(self.crawler, "spider", None)
        return getattr(spider, "name", None) or "unknown"

    @property
    def scope(self) -> str:
        """What this crawl covers completely, for missing-detection: the spider's `crawl_scope`
        (the column URL of a `column` crawl), else its name."""
        spider = getattr(self.crawler, "spider", None)
        return getattr(spider, "crawl_scope", None) or self.spider_name

    async def repository(self) -> Repository:
        if self._repository is None:
            async with self._repository_lock:
                if self._repository is None:
                    # first connect applies the migrations: in a thread, it may take a moment
                    engine = await asyncio.to_thread(get_engine, self.database_url)
                    self._repository = Repository(engine)
        return self._repository

    async def ensure_run(self) -> int:
        if self.run_id is None:
            async with self._run_lock:
                if self.run_id is None:
                    repo = await self.repository()
                    self.run_id = await self._resume(repo)
                    if self.run_id is None:
                        self.run_id = await asyncio.to_thread(repo.start_run, self.spider_name,
                                                              scope=self.scope)
                    self._save_job()
                    logger.info("storage: run %s of %s in %s", self.run_id, self.spider_name,
                                display_url(self.database_url))
        return self.run_id

    # --- pause and resume (JOBDIR) -----------------------------------------------------------------
    async def _resume(self, repo: Repository) -> int | None:
        """The id of the paused run this crawl resumes, with its state restored; None for a new run."""
        if self.job_file is None or not self.job_file.is_file():
            return None
        try:
            job = json.loads(self.job_file.read_text("utf-8"))
            run_id = int(job["run_id"])
        except (OSError, ValueError, KeyError, TypeError):
            logger.warning("storage: unreadable %s: starting a new run", self.job_file)
            return None
        resumed = await asyncio.to_thread(repo.reopen_run, run_id, self.scope)
        if resumed is None:
            return None
        self.counts.update(resumed["counts"])
        # reports this run saw before the pause (the summary's "no report seen" counts them)
        self.crawler.stats.set_value("govcrawl/storage/resumed_seen", sum(
            resumed["counts"].get(k, 0) for k in ("new", "changed", "unchanged")))
        for url, kind, reason in resumed["failures"]:
            self.failures.setdefault(url, (kind, reason))
        self.dropped_urls.update(job.get("dropped_urls", []))
        self.incomplete_pages.update(job.get("incomplete_pages", []))
        self.attachment_parents.update(job.get("attachment_parents", {}))
        self.page_validators.update({u: tuple(v) for u, v in job.get("page_validators", {}).items()})
        logger.info("storage: resuming run %s of %s", run_id, self.scope)
        return run_id

    def _save_job(self) -> None:
        if self.job_file is None or self.run_id is None:
            return
        job = {"run_id": self.run_id, "scope": self.scope, "dropped_urls": sorted(self.dropped_urls),
               "incomplete_pages": sorted(self.incomplete_pages),
               "attachment_parents": self.attachment_parents,
               "page_validators": {u: list(v) for u, v in self.page_validators.items()}}
        try:
            self.job_file.parent.mkdir(parents=True, exist_ok=True)
            self.job_file.write_text(json.dumps(job, ensure_ascii=False), "utf-8")
        except OSError:
            logger.exception("storage: could not write %s", self.job_file)

    def _finish_job(self) -> None:
        """A clean finish: the next crawl with this JOBDIR is a new night, not a resume."""
        if self.job_file is None:
            return
        self.job_file.unlink(missing_ok=True)
        seen = self.job_file.parent / "requests.seen"
        if seen.is_file():
            seen.write_bytes(b"")  # the dupefilter's memory of tonight's requests

    # --- writes ---------------------------------------------------------------------------------
    async def save(self, record: dict, page) -> SaveResult:
        run_id = await self.ensure_run()
        repo = await self.repository()
        result = await asyncio.to_thread(repo.save_record, record, page, spider=self.spider_name,
                                         scope=self.scope, run_id=run_id)
        if not result.already_seen:
            self.counts[result.outcome] += 1
        self.crawler.stats.inc_value(f"govcrawl/storage/{result.outcome}")
        return result

    async def mark_seen(self, url: str, *, fetched: bool) -> int:
        run_id = await self.ensure_run()
        repo = await self.repository()
        newly = await asyncio.to_thread(repo.mark_seen, url, run_id, fetched=fetched)
        self.counts["unchanged"] += newly
        self.crawler.stats.inc_value("govcrawl/storage/unchanged", newly)
        return newly

    # --- signals --------------------------------------------------------------------------------
    async def spider_opened(self, spider):
        await self.ensure_run()

    def page_failed(self, url, kind="error", reason="", **kwargs):
        # sent synchronously (send_catch_log): remember now, write in the background
        self.failures.setdefault(url, (kind, reason or ""))
        self.counts["blocked" if kind == "blocked" else "failed"] += 1
        parent = self.attachment_parents.get(url)
        if parent:
            self.incomplete_pages.add(parent)
        if self.closed:
            return
        try:
            task = asyncio.ensure_future(self._record_failure(url, kind, reason))
        except RuntimeError:  # no running event loop (sent outside a crawl): counted only
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def item_dropped(self, item, **kwargs):
        url = getattr(item, "url", None) if not isinstance(item, dict) else item.get("url")
        if url:
            self.dropped_urls.add(url)

    async def _record_failure(self, url, kind, reason):
        try:
            run_id = await self.ensure_run()
            repo = await self.repository()
            await asyncio.to_thread(repo.record_failure, run_id, url, kind, reason)
        except Exception:  # bookkeeping must never break the crawl
            logger.exception("storage: could not record the failure of %s", url)

    async def spider_closed(self, spider, reason):
        self.closed = True
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        try:
            run_id = await self.ensure_run()
            repo = await self.repository()
            if reason == "finished":
                await self._close_finished(repo, run_id)
            else:
                logger.info("storage: run %s ended (%s): nothing marked missing", run_id, reason)
            await asyncio.to_thread(repo.finish_run, run_id, reason, dict(self.counts))
            if reason == "finished":
                self._finish_job()
            else:
                self._save_job()
        except Exception:
            logger.exception("storage: could not close run %s", self.run_id)
        logger.info("storage: run %s: %s", self.run_id,
                    ", ".join(f"{k} {self.counts.get(k, 0)}" for k in
                              ("new", "changed", "unchanged", "missing", "failed", "blocked")))

    def _keep_urls(self) -> set[str]:
        """Failed URLs whose reports (and the reports they link) must not be marked missing: any
        failure but a 404/410 (only those say "gone")."""
        return {url for url, (kind, reason) in self.failures.items()
                if not (kind == "http" and _GONE.search(reason or ""))}

    async def _close_finished(self, repo: Repository, run_id: int) -> None:
        seen_total = sum(self.counts[k] for k in ("new", "changed", "unchanged"))
        if seen_total == 0:
            # a run that saw nothing at all (a blocked listing, a site down) is not evidence that
            # every report vanished
            logger.warning("storage: run %s saw no report: nothing marked missing", run_id)
        else:
            missing = await asyncio.to_thread(repo.mark_missing, self.scope, run_id,
                                              keep=self._keep_urls(), keep_own=self.dropped_urls)
            self.counts["missing"] += missing
            self.crawler.stats.set_value("govcrawl/storage/missing", missing)
        # validators of linking pages become usable only now, at the end of a clean run, and only
        # for pages all of whose attachments were stored: a 304 on them later skips the attachments
        candidates = {u: v for u, v in self.page_validators.items()
                      if u not in self.incomplete_pages and u not in self.failures}
        if candidates:
            linking = await asyncio.to_thread(repo.seen_source_urls, run_id, candidates)
            if linking:
                await asyncio.to_thread(repo.save_pages, {u: candidates[u] for u in linking})
