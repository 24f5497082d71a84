import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated_cache_and_language():
    """Each test starts in German with an empty cache.

    The outbox remembers sent mails in the cache by outbox id (ids repeat between tests),
    and a request in English leaves English active for the next test's reverse().
    """
    cache.clear()
    with translation.override(settings.LANGUAGE_CODE):
        yield
    cache.clear()
