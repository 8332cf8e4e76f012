"""Error types for bad input: a page or file that cannot become a record.

They are expected in a crawl of thousands of agency sites (binary content served as a page, a
truncated PDF, a missing converter): the crawl logs one line and records the failure, while any
other exception is a bug and is logged with its traceback.
"""


class BadInputError(ValueError):
    """Input that cannot be read as a report page or report file."""
