import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _polish_addresses():
    """Each test starts in Polish, so get_absolute_url() gives the Polish address.

    A request to an /en/ page leaves English active in the thread (LocaleMiddleware
    activates the language and nothing resets it), which would leak into the next test.
    """
    with translation.override("pl"):
        yield
