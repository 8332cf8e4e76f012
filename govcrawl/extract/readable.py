"""Is the input a page or a text at all? Binary data served as HTML/text is an extraction error
(NotAPageError, a BadInputError), not an empty record.
"""

from __future__ import annotations

import re

from govcrawl.errors import BadInputError

#: C0 controls but tab, line feed, vertical tab, form feed and carriage return; DEL; C1 controls
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class NotAPageError(BadInputError):
    """The input is not a readable page or text at all (binary content served as HTML/text): an
    extraction error for the crawl's failure log, not an empty record."""


def looks_binary(text: str) -> bool:
    """Many C0/C1 control characters: binary data, not a page or a text.

    Real pages have almost none, even mis-decoded ones (those show U+FFFD or mojibake, not
    controls); random bytes or a PDF decoded as text have 10-25 %."""
    if not text:
        return False
    # counted by the regex engine: a loop over every character costs more than the rest of a
    # small page's extraction
    bad = sum(1 for _ in _CONTROLS.finditer(text))
    return bad >= 16 and bad >= 0.03 * len(text)


def check_readable(text: str, what: str = "page") -> None:
    if looks_binary(text):
        head = text.lstrip("\ufeff")[:8]
        kind = "a PDF file" if head.startswith("%PDF") else "binary data"
        raise NotAPageError(f"not a readable {what}: the input looks like {kind} "
                            f"(full of control characters)")
