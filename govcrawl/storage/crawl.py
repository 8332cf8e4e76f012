"""The storage side of one crawl: its `crawl_runs` row, its counts, its failures, and closing it.

Shared by StoragePipeline and ConditionalRequestMiddleware through `CrawlStorage.for_crawler`, so
both count into the same run. All database work runs in worker threads (`asyncio.to_thread`):
the reactor never waits on the database.

At spider close with reason "finished", reports of this spider not seen in this run become
`missing`, but only in a scope whose listing was crawled completely: a listing page (request meta
`govcrawl_kind == "listing"`) that failed for a reason other than a 404/410 (a 5xx, a timeout, a
block, robots.txt, the listing-page cap) leaves every report of its scope as it was. Any other
reason (closespider limits, shutdown on Ctrl-C, an error) marks nothing: an incomplete run proves
nothing about what vanished. A SIGKILLed run never gets here at all and leaves
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

#: an http failure whose reason begins with one of these statuses means the page is gone (the
#: spider's reasons begin `HTTP <status>`; a reason that only names a URL with `404` in it is not)
_GONE = re.compile(r"^HTTP (?:404|410)\b")


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
        #: garbled page, a parser regression), and URLs that redirected within the site to a page
        #: that answered (`page_answered`): present on the site, so never marked missing
        self.dropped_urls: set[str] = set()
        self._tasks: set[asyncio.Task] = set()
        #: (url, fetched, scope) of pages found unchanged, not yet written: marked seen in
        #: batches (`flush_seen`), since a nightly run finds most stored pages unchanged
        self._seen_pending: list[tuple[str, bool, str]] = []
        self._seen_lock = asyncio.Lock()
        self._seen_timer: asyncio.TimerHandle | None = None
        self.closed = False
        #: listing pages requested in this run: url -> the scope they list ("": the crawl's own)
        self.listing_scopes: dict[str, str] = {}
        #: scope -> (url, "kind: reason") of a listing page of it that failed for a reason other
        #: than 404/410: its listing was not crawled completely, so nothing of it is marked missing
        self.incomplete_scopes: dict[str, tuple[str, str]] = {}
        #: reports seen (new, changed, unchanged) per scope in this run: missing-detection runs
        #: once per scope that saw any
        self.scope_counts: Counter = Counter()
        #: "new" / "changed" / "missing" -> the first URL_LIST_CAP report URLs of that outcome in
        #: this run (the crawl summary lists them; `counts` has how many there were)
        self.urls: dict[str, list[str]] = {"new": [], "changed": [], "missing": []}
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
            crawler.signals.connect(storage.request_scheduled, signal=signals.request_scheduled)
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
                    if self.run_sharing is not None:
                        # one run for all the workers of a distributed crawl (govcrawl/distributed)
                        self.run_id = await self.run_sharing.join_run(self, repo)
                    else:
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
        # a listing page that failed before the pause still makes its scope incomplete, and the
        # scopes that saw reports before it are still crawled ones (missing-detection runs on them)
        self.incomplete_scopes.update({s: tuple(v) for s, v in job.get("incomplete_scopes", {}).items()})
        self.scope_counts.update(job.get("scope_counts", {}))
        self.attachment_parents.update(job.get("attachment_parents", {}))
        self.page_validators.update({u: tuple(v) for u, v in job.get("page_validators", {}).items()})
        logger.info("storage: resuming run %s of %s", run_id, self.scope)
        return run_id

    def _save_job(self) -> None:
        if self.job_file is None or self.run_id is None:
            return
        job = {"run_id": self.run_id, "scope": self.scope, "dropped_urls": sorted(self.dropped_urls),
               "incomplete_pages": sorted(self.incomplete_pages),
               "incomplete_scopes": {s: list(v) for s, v in self.incomplete_scopes.items()},
               "scope_counts": dict(self.scope_counts),
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

    # --- a run shared by several processes (govcrawl/distributed) ----------------------------------
    @property
    def run_sharing(self):
        """What shares this crawl's run with other processes, or None for a crawl of its own: the
        workers of one distributed crawl (`-s GOVCRAWL_DISTRIBUTED=redis://...`) store into one
        `crawl_runs` row, which the first creates (`join_run(storage, repo)`) and the last one out
        closes (`leave_run(storage, reason)`: None for the others, else the run's closing reason,
        with the crawl's `shared_state` merged into this storage)."""
        return getattr(self.crawler, "govcrawl_run_sharing", None)

    def shared_state(self) -> dict:
        """What closing the run needs from every process that crawled it, by name: the counts, and
        what missing-detection and the linking pages' validators rest on. Across processes the
        Counters are summed, the dicts and sets united (a dict's first value for a key wins), so
        any state `spider_closed` comes to read belongs here."""
        return {"counts": self.counts, "scope_counts": self.scope_counts, "failures": self.failures,
                "incomplete_scopes": self.incomplete_scopes, "dropped_urls": self.dropped_urls,
                "page_validators": self.page_validators, "incomplete_pages": self.incomplete_pages}

    # --- writes ---------------------------------------------------------------------------------
    def scope_of(self, page=None) -> str:
        """The scope a page was crawled in: its own (`FetchedPage.scope`, one per column of a
        `catalog` crawl), else the crawl's."""
        return getattr(page, "scope", None) or self.scope

    def request_scheduled(self, request, **kwargs):
        if request.meta.get("govcrawl_kind") == "listing":
            self.listing_scopes.setdefault(request.url, request.meta.get("govcrawl_scope") or "")

    async def save(self, record: dict, page) -> SaveResult:
        run_id = await self.ensure_run()
        repo = await self.repository()
        scope = self.scope_of(page)
        result = await asyncio.to_thread(repo.save_record, record, page, spider=self.spider_name,
                                         scope=scope, run_id=run_id)
        if not result.already_seen:
            self.counts[result.outcome] += 1
            self.scope_counts[scope] += 1
            self._note_url(result.outcome, record["url"])
        self.crawler.stats.inc_value(f"govcrawl/storage/{result.outcome}")
        return result

    #: URLs kept per outcome for the summary (`urls`)
    URL_LIST_CAP = 1000

    def _note_url(self, outcome: str, url: str) -> None:
        found = self.urls.get(outcome)
        if found is not None and len(found) < self.URL_LIST_CAP:
            found.append(url)

    #: seen-marks are written per batch: at most this many URLs, or this many seconds after the
    #: first one queued
    SEEN_BATCH = 500
    SEEN_INTERVAL = 1.0

    async def mark_seen_later(self, url: str, *, fetched: bool, scope: str | None = None) -> None:
        """Mark a stored page's report(s) seen in this run, in `scope` (its request's
        `meta["govcrawl_scope"]`; None: the crawl's), queued: written with others in one
        transaction (`flush_seen`) when SEEN_BATCH are queued or SEEN_INTERVAL has passed, and at
        close before missing-detection, so nothing seen tonight is marked missing. Counted as
        "unchanged" when written."""
        self._seen_pending.append((url, fetched, scope or self.scope))
        if len(self._seen_pending) >= self.SEEN_BATCH:
            await self.flush_seen()
        elif self._seen_timer is None and not self.closed:
            self._seen_timer = asyncio.get_running_loop().call_later(self.SEEN_INTERVAL,
                                                                     self._flush_later)

    def _flush_later(self) -> None:
        self._seen_timer = None
        task = asyncio.ensure_future(self._flush_quietly())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush_quietly(self) -> None:
        try:
            await self.flush_seen()
        except Exception:  # bookkeeping must never break the crawl; the close flushes again
            logger.exception("storage: could not mark unchanged pages seen")

    async def flush_seen(self) -> int:
        """Write the queued seen-marks, one transaction per scope; how many reports were newly
        seen in this run."""
        async with self._seen_lock:
            if self._seen_timer is not None:
                self._seen_timer.cancel()
                self._seen_timer = None
            batch, self._seen_pending = self._seen_pending, []
            if not batch:
                return 0
            run_id = await self.ensure_run()
            repo = await self.repository()
            by_scope: dict[str, list[tuple[str, bool]]] = {}
            for url, fetched, scope in batch:
                by_scope.setdefault(scope, []).append((url, fetched))
            total = 0
            for scope, items in by_scope.items():
                try:
                    newly = await asyncio.to_thread(repo.mark_seen_many, items, run_id, scope=scope)
                except Exception:
                    # kept for the next flush (at the latest the one at close)
                    self._seen_pending.extend((u, f, scope) for u, f in items)
                    raise
                self.counts["unchanged"] += newly
                self.scope_counts[scope] += newly
                self.crawler.stats.inc_value("govcrawl/storage/unchanged", newly)
                total += newly
            return total

    # --- signals --------------------------------------------------------------------------------
    async def spider_opened(self, spider):
        await self.ensure_run()

    def page_failed(self, url, kind="error", reason="", **kwargs):
        # sent synchronously (send_catch_log): remember now, write in the background
        self.failures.setdefault(url, (kind, reason or ""))
        self.counts["blocked" if kind == "blocked" else "failed"] += 1
        if url in self.listing_scopes and not (kind == "http" and _GONE.search(reason or "")):
            scope = self.listing_scopes[url] or self.scope
            self.incomplete_scopes.setdefault(scope, (url, f"{kind}: {reason}"))
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
        page = item.get("_page") if isinstance(item, dict) else item
        self.page_answered(page)

    def page_answered(self, page) -> None:
        """A page that answered at another URL of the site than the one asked for (a same-host
        redirect): the URL asked for is present on the site too, so never marked missing, and
        its report (stored under the page's own URL) is kept."""
        asked = getattr(page, "requested_url", None)
        if asked:
            self.dropped_urls.add(asked)

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
            # before missing-detection: a page skipped tonight as unchanged is not missing
            await self.flush_seen()
            if self.run_sharing is not None:
                # a run shared with other processes: this one hands in what it saw, and only the
                # last one out closes the run, with what all of them saw (`shared_state`)
                reason = await self.run_sharing.leave_run(self, reason)
                if reason is None:
                    return  # the other workers are still at work: the last of them closes the run
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

    def crawled_scopes(self) -> list[str]:
        """The scopes this run saw reports in (the crawl's own one, or one per column of a
        `catalog` crawl)."""
        return sorted(scope for scope, seen in self.scope_counts.items() if seen > 0)

    async def _mark_missing(self, repo: Repository, run_id: int) -> None:
        """Mark missing, once per scope crawled, the reports of that scope this run did not see."""
        scopes = self.crawled_scopes()
        if not scopes:
            # a run that saw nothing at all (a blocked listing, a site down) is not evidence that
            # every report vanished
            logger.warning("storage: run %s saw no report: nothing marked missing", run_id)
            return
        # a column of a multi-column crawl that saw no report (its listing blocked, its site down)
        # is left alone the same way: it is simply not among the scopes crawled
        # `missing` means gone from a listing crawled completely: a scope one of whose listing
        # pages failed (a 5xx, a timeout, a block, a cap) proves nothing about what vanished
        for scope in [s for s in scopes if s in self.incomplete_scopes]:
            url, why = self.incomplete_scopes[scope]
            logger.warning("storage: run %s: the listing of %s is incomplete (%s failed, %s): "
                           "nothing of it marked missing", run_id, scope, url, why)
        self.crawler.stats.set_value("govcrawl/storage/listing_incomplete", len(self.incomplete_scopes))
        scopes = [s for s in scopes if s not in self.incomplete_scopes]
        keep, keep_own = self._keep_urls(), self.dropped_urls
        missing = 0
        for scope in scopes:
            urls = await asyncio.to_thread(repo.mark_missing_urls, scope, run_id, keep=keep, keep_own=keep_own)
            for url in urls:
                self._note_url("missing", url)
            found = len(urls)
            if found and len(scopes) > 1:
                logger.info("storage: run %s: %d report(s) of %s missing", run_id, found, scope)
            missing += found
        self.counts["missing"] += missing
        self.crawler.stats.set_value("govcrawl/storage/missing", missing)

    async def _close_finished(self, repo: Repository, run_id: int) -> None:
        await self._mark_missing(repo, run_id)
        # validators of linking pages become usable only now, at the end of a clean run, and only
        # for pages all of whose attachments were stored: a 304 on them later skips the attachments
        candidates = {u: v for u, v in self.page_validators.items()
                      if u not in self.incomplete_pages and u not in self.failures}
        if candidates:
            linking = await asyncio.to_thread(repo.seen_source_urls, run_id, candidates)
            if linking:
                await asyncio.to_thread(repo.save_pages, {u: candidates[u] for u in linking})
