"""govcrawl's own crawl signals (sent with `crawler.signals.send_catch_log`)."""

#: a page could not become a record. kwargs: url (the URL the crawl asked for, the first of a
#: redirect chain), kind ("http" | "blocked" | "robots" | "ignored" | "limit" | "error" | "empty",
#: README "Exit codes and alarms"), reason; and `request` when the sender has it (the page's
#: accounting, govcrawl/extensions.py PageOutcomes, tells pages sharing a URL apart by it)
page_failed = object()

#: a detail/attachment page was not downloaded again because it is unchanged (a 304, or fetched
#: recently from a server without validators); its stored report(s) were marked seen.
#: kwargs: url, kind ("detail" | "attachment"), reason
page_unchanged = object()

#: the crawl did not stop within GOVCRAWL_STOP_GRACE of a stop request and is being forced to:
#: end work in progress now (no kwargs)
stop_forced = object()
