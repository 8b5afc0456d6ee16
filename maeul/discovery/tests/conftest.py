import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """django-ratelimit counts in the (per-process) cache: start every test at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_lead(official):
    from maeul.discovery.services import lead_register

    def make(*, actor=None, dong=None, **kwargs):
        actor = actor or official
        args = {
            "actor": actor,
            "source": "staff",
            "dong": dong or actor.home_area,
            "address": "망미로 1",
            "subject_name": "홍길동",
        }
        args.update(kwargs)
        return lead_register(**args)

    return make
