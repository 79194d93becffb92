import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read messages in English (the Chinese catalogue is checked on its own)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
