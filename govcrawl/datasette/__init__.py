"""Browsing the database in Datasette (`govcrawl serve`): metadata, canned queries, and a plugin.

- queries.py   the canned queries (the README's queries, over the views of
               govcrawl/storage/views.py) and the metadata: titles, descriptions, facets, hidden
               tables
- plugin.py    the Datasette plugin: a page per report that shows its statistics tables as
               tables (`/-/report/<id>`), links from every `report_id` to it, and no access to the
               raw page blobs (`report_versions`)

queries.py imports nothing of Datasette, so the metadata is testable (and the README's queries
checkable) where Datasette is not installed.
"""
