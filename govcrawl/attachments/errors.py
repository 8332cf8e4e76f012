"""The one error type the attachment readers raise for input they cannot read."""

from __future__ import annotations


class AttachmentError(ValueError):
    """A report file that cannot be read: truncated or corrupt, unsupported, or a converter that is
    missing or timed out. Subclasses ValueError so callers that treat bad input generically (the CLI,
    the ExtractPipeline) report it as bad input rather than as a crash."""
