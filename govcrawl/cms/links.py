"""Listing-page helpers over parsel selectors: a link's title, and the entry a listing yields.

The string rules (report titles, dates, file types) are in govcrawl/text/links.py.
"""

from __future__ import annotations

from dataclasses import dataclass


def anchor_title(a) -> str:
    """A link's title: its `title` attribute (list text is often cut with `...`), else its text;
    whitespace collapsed. `a` is a parsel Selector for an <a>."""
    title = a.attrib.get("title") or " ".join(a.css("::text").getall())
    return " ".join(title.split())


@dataclass
class ListingEntry:
    """A link found on a listing page."""

    url: str
    title: str
    date: str | None = None  # YYYY-MM-DD as printed beside the link
