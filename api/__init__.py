"""The read-only open data API under /api/."""

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
