import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages in English, for the tests that read one (the pages default to Chinese)."""
    with translation.override("en"):
        yield
