"""The one error type the attachment readers raise for input they cannot read."""

from __future__ import annotations

from govcrawl.errors import BadInputError


class AttachmentError(BadInputError):
    """A report file that cannot be read: truncated or corrupt, unsupported, or a converter that is
    missing or timed out. A BadInputError, so the CLI and the ExtractPipeline report it as bad input
    rather than as a crash."""
