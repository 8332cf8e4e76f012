"""ExtractionPool: persistent worker processes for `record_from_bytes`, each page under a deadline.

Plain subprocesses (`python -m govcrawl.workers.child`), as for attachments
(govcrawl/attachments/isolation.py): multiprocessing's spawn/forkserver children re-import the
parent's `__main__`, and forking a multi-threaded crawl can inherit held locks. Unlike attachment
isolation, a child lives for many pages, so the interpreter start and the imports (trafilatura,
lxml, pdfplumber) are paid once per worker, not per page.

The pool is thread-safe and blocking: a caller takes an idle worker (waiting while all are busy),
hands it one page and waits at most the page's deadline; the worker itself runs the page under a
CPU budget the kernel enforces (RLIMIT_CPU, govcrawl/limits.py: SIGXCPU kills it). A worker
that overruns either is killed with its process group and replaced; one that has served
`max_tasks` pages is retired, so a leak in a library cannot grow the crawl's memory without bound.
"""

from __future__ import annotations

import os
import pickle
import queue
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from govcrawl.errors import BadInputError
from govcrawl.workers.frames import HEADER, write_frame

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
#: a worker's interpreter start and imports (seconds); generous for a loaded machine
STARTUP_TIMEOUT = 60.0


class ExtractionTimeout(BadInputError):
    """A page took longer than its deadline to extract; its worker was killed."""


class WorkerDied(BadInputError):
    """The worker process died on a page (a crash in a C library, or the OS killed it)."""


class CpuLimitExceeded(ExtractionTimeout):
    """A page used up its CPU budget; the kernel killed its worker (SIGXCPU)."""


class PoolClosed(RuntimeError):
    """The pool was closed (the crawl is stopping) before or while the page was extracted."""


class ExtractionError(Exception):
    """The extraction of a page raised an unexpected error in the worker (a bug, not bad input).
    `kind` is the exception's type name there."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ)
        # the child must import this very govcrawl, installed or not
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        # its own session: a Ctrl-C to the crawl's terminal reaches the crawl, which then stops
        # its workers itself, instead of killing a worker in the middle of a page
        self.proc = subprocess.Popen([sys.executable, "-m", "govcrawl.workers.child"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                     start_new_session=True)
        self.tasks = 0
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        """Wait for the child's imports, so that a page's deadline does not pay for them."""
        if not self.ready:
            self._answer(timeout, what="start")
            self.ready = True

    def run(self, task: dict, timeout: float) -> tuple:
        """The child's answer to one task. Raises ExtractionTimeout, CpuLimitExceeded or
        WorkerDied."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.tasks += 1
        try:
            write_frame(self.proc.stdin, task)
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(f"the extraction worker died before the page ({exc})") from None
        try:
            return self._answer(timeout)
        except WorkerDied:
            try:
                code = self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                raise WorkerDied("the extraction worker stopped answering on the page") from None
            if code == -signal.SIGXCPU and task.get("cpu_limit") is not None:
                raise CpuLimitExceeded(f"extraction used more than {task['cpu_limit']:g}s of CPU: "
                                       f"the page's worker was killed") from None
            raise

    def _answer(self, timeout: float, what: str = "extraction") -> tuple:
        deadline = time.monotonic() + timeout
        head = self._read(HEADER.size, deadline, timeout, what)
        (size,) = HEADER.unpack(head)
        return pickle.loads(self._read(size, deadline, timeout, what))

    def _read(self, size: int, deadline: float, timeout: float, what: str) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        chunks: list[bytes] = []
        got = 0
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while got < size:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    raise ExtractionTimeout(f"{what} took longer than {timeout:g}s: "
                                            f"the page's worker was killed")
                chunk = os.read(fd, min(size - got, 1 << 20))
                if not chunk:
                    code = self.proc.poll()
                    raise WorkerDied(f"the extraction worker died on the page (exit code {code})")
                chunks.append(chunk)
                got += len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        self.proc.wait()


class ExtractionPool:
    """`size` workers started on first use; `extract()` blocks until one is free."""

    def __init__(self, size: int, *, timeout: float = 10.0, attachment_timeout: float = 150.0,
                 max_tasks: int = 500, cpu_limit: float | None = 10.0,
                 attachment_cpu_limit: float | None = 10.0):
        self.size = max(1, size)
        #: wall-clock deadlines (a page may also wait on I/O: LibreOffice, a loaded machine)
        self.timeout = timeout
        self.attachment_timeout = attachment_timeout
        #: CPU budgets (None: none), enforced by the kernel in the worker
        self.cpu_limit = cpu_limit
        self.attachment_cpu_limit = attachment_cpu_limit
        self.max_tasks = max_tasks
        # a slot is a running worker, or None for one to be started when taken
        self._slots: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(self.size):
            self._slots.put(None)
        self._lock = threading.Lock()
        self._running: set[_Worker] = set()
        self._closed = False
        #: workers killed at a deadline, died, or retired after max_tasks (for stats and tests)
        self.killed = 0
        self.retired = 0

    def extract(self, data: bytes, url: str, *, content_type: str | None = None,
                encoding: str | None = None, hints: Any = None, kind: str | None = None) -> dict:
        """The record of one page, as `govcrawl.ingest.record_from_bytes` gives it. Raises its
        BadInputErrors, ExtractionTimeout, WorkerDied or ExtractionError."""
        attachment = kind in ("pdf", "docx", "doc", "wps")
        timeout = self.attachment_timeout if attachment else self.timeout
        hints_dict = hints.to_dict() if hasattr(hints, "to_dict") else hints
        task = {"data": data, "url": url, "content_type": content_type, "encoding": encoding,
                "hints": hints_dict, "kind": kind,
                "cpu_limit": self.attachment_cpu_limit if attachment else self.cpu_limit}
        worker = self._take()
        healthy = False
        try:
            worker.wait_ready(STARTUP_TIMEOUT)
            answer = worker.run(task, timeout)
            healthy = True
        except WorkerDied:
            if self._closed:
                raise PoolClosed("the crawl stopped while the page was extracted") from None
            raise
        finally:
            self._give_back(worker, healthy)
        status = answer[0]
        if status == "ok":
            return answer[1]
        if status == "bad_input":
            raise BadInputError(f"{answer[1]}: {answer[2]}")
        raise ExtractionError(answer[1], answer[2])

    @property
    def closed(self) -> bool:
        return self._closed

    def _take(self) -> _Worker:
        slot = self._slots.get()
        if self._closed:
            self._slots.put(slot)
            raise PoolClosed("the crawl is stopping: page not extracted")
        if slot is None or slot.proc.poll() is not None:
            slot = _Worker()
            with self._lock:
                self._running.add(slot)
        return slot

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        replace = not healthy or worker.tasks >= self.max_tasks or self._closed
        if replace:
            if healthy:
                self.retired += 1
            else:
                self.killed += 1
            worker.kill()
            with self._lock:
                self._running.discard(worker)
        self._slots.put(None if replace else worker)

    def close(self) -> None:
        """Stop every worker now (a page in progress gets WorkerDied)."""
        self._closed = True
        with self._lock:
            running = list(self._running)
            self._running.clear()
        for worker in running:
            worker.kill()
