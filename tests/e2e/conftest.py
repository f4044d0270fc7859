"""Browser tests: the portal served by pytest-django's live server, driven by the system Chromium.

The browser is never downloaded: without /usr/bin/chromium these tests are skipped
locally, and fail in CI (CI=true), where they must run.
"""

import os
from pathlib import Path

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS, new_page


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def site(live_server, django_db_serialized_rollback, portal_data):
    """Base URL of a live portal holding the seed fiches.

    The live server needs committed data, hence a transactional database; the
    serialised rollback puts back what migrations created (the level scale) for the
    tests that follow.
    """
    return live_server.url


@pytest.fixture
def browser(site):
    """Chromium, started after the database is ready and stopped before it is cleaned.

    Playwright's sync API runs an event loop in this thread, and while it runs Django
    hands out other connection objects (and refuses synchronous queries): so the
    browser lives only inside one test, whose body makes no query itself.
    """
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium absent alors que CI=true : les tests navigateur doivent tourner.")
        pytest.skip("Chromium absent : sudo apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A desktop page in a fresh browser context."""
    page = new_page(browser)
    yield page
    page.context.close()
