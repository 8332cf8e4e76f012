"""Extraction in worker processes: bytes in, record out, with a deadline that can be enforced.

Extraction and parsing are CPU-bound pure Python (trafilatura, lxml, pdfplumber), so threads share
one core under the GIL and cannot be stopped when a page makes them spin. `ExtractionPool` keeps
one persistent child process per core (`python -m govcrawl.workers.child`, govcrawl pre-imported),
sends each page to an idle one, and kills and replaces a child that overruns the page's deadline.
A killed child costs one failure record for its page, never a stalled crawl.
"""

from govcrawl.workers.pool import ExtractionError, ExtractionPool, ExtractionTimeout, PoolClosed, WorkerDied

__all__ = ["ExtractionError", "ExtractionPool", "ExtractionTimeout", "PoolClosed", "WorkerDied"]
