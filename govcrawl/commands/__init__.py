"""Project-maintenance commands of the `govcrawl` CLI: `new-agency` (scaffold an agency spider) and
`checkall` (every spider is complete)."""

from __future__ import annotations


def register(subparsers) -> None:
    from govcrawl.commands import checkall, new_agency

    new_agency.register(subparsers)
    checkall.register(subparsers)
