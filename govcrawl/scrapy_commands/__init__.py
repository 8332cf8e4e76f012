"""Scrapy commands of this project (the COMMANDS_MODULE setting): `crawl` with the night's verdict
as its exit code."""
