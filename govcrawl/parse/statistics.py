"""PLACEHOLDER (to be replaced by the statistics parser): the interface only."""

from __future__ import annotations

from govcrawl.document import Table


def read_statistics(tables: list[Table], lines: list[str]) -> dict:
    """Statistics cells and checks of a report: {"format", "cells", "checks"}."""
    return {"format": "none", "cells": [], "checks": []}
