"""govcrawl's own crawl signals (sent with `crawler.signals.send_catch_log`)."""

#: a page could not become a record. kwargs: url, kind ("blocked" | "http" | "error"), reason
page_failed = object()
