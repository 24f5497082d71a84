import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Start each test in the site's default language (German), whatever ran before."""
    with translation.override("de"):
        yield
