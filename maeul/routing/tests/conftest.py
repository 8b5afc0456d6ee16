import pytest


@pytest.fixture(autouse=True)
def short_searches(settings):
    """The pages plan with a short search in tests (the service's default is 2 s)."""
    settings.ROUTING_TIME_LIMIT = 0.3
