import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """The foundation remembers sent outbox e-mails in the cache by outbox id; ids repeat per test."""
    cache.clear()
    yield
    cache.clear()
