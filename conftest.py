"""Test set-up shared by every app: fast hashing, jobs run inline, a clean cache per test."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test.utils import override_settings
from django.utils import translation

# Browser tests of every app share one harness: the `page` fixture and its helpers.
pytest_plugins = ["cercles.core.tests.browser"]

TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    # Tests send many emails to the in-memory outbox; the rate limit has tests of its own.
    "EMAIL_RATE_LIMIT": 0,
    # Coordinators of the tests are logged in without a second factor; the requirement has
    # tests of its own (core/tests/security/test_accounts.py).
    "MFA_REQUIRED_FOR_COORDINATORS": False,
    # No collectstatic needed to render pages in tests.
    "STORAGES": {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    static = tmp_path_factory.mktemp("static")  # whitenoise warns when STATIC_ROOT is missing
    with override_settings(MEDIA_ROOT=str(media), STATIC_ROOT=str(static), **TEST_SETTINGS):
        from huey.contrib.djhuey import HUEY

        # Jobs run inline in tests; on Redis they still pass through the real storage.
        HUEY.immediate = True
        yield


def _clear_own_cache_keys():
    """Clear this worker's cache keys only: parallel workers may share one Redis database."""
    if hasattr(cache, "delete_pattern"):  # django-redis: the keys under this worker's prefix
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _clean_cache():
    _clear_own_cache_keys()
    yield


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    transactional_marker = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return bool(transactional_marker) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _migration_data_for_transactional_tests(request):
    """Transactional tests (browser tests) empty the tables after them, themes of the data
    migrations included: put those back before each such test."""
    if _is_transactional(request):
        request.getfixturevalue("_django_db_helper")
        from cercles.taxonomy.services import ensure_sdg_themes

        ensure_sdg_themes()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (French), whatever the previous one left."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
