import pytest
from django.core.management import call_command

from tests.seeds import make_formation, make_metier  # noqa: F401  (fixtures for every test)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Views are measured uncached (their worst case); tests/core/test_cache.py turns the cache on.
    settings.PAGE_CACHE = False
    settings.COUNT_CACHE = False
    # The hashed-name storage needs `collectstatic`; tests read files from the finders instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Nor from a collected folder, which a `collectstatic` running beside the tests
    # (`make run` in the same clone) may be rewriting while WhiteNoise scans it.
    settings.STATIC_ROOT = settings.BASE_DIR / "tests" / "sans-fichiers-collectes"


@pytest.fixture
def portal_data(db):
    """The seed fiches from fixtures/portail.json, loaded and indexed as `make run` does."""
    call_command("load_portal_data", verbosity=0)
