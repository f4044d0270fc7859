"""What still answers while the database is down (see portal.middleware.DatabaseUnavailableMiddleware)."""


def without_database(view):
    """Mark a view that reads nothing from the database: while it is down, the view answers
    as usual, where the others answer the 503 without running."""
    view.without_database = True
    return view
