"""Leaf text rules, shared by extraction, attachments, parsing and the spiders.

Plain functions and patterns over strings: normalisation (`normalize`), the report vocabulary
(`vocabulary`), chrome lines of government pages (`chrome`), titles and agency names (`titles`),
and file/link rules (`links`). Nothing here imports any other part of govcrawl, so every layer
above can use it without an import cycle.
"""
