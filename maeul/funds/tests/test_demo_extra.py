"""The demo's directory builder (maeul/demo/extra_funds.py) on a small organisation."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from maeul.demo import extra_funds
from maeul.resources.models import Agreement, Service
from tests.factories import PartnerFactory


def test_builds_agreements_and_services(gu_user, gu, dong_a):
    partners = [
        PartnerFactory(area=dong_a, kind="welfare_centre", mou_signed_on=dt.date(2024, 1, 1)),
        PartnerFactory(area=gu, kind="food_bank", mou_signed_on=None),
    ]
    org = SimpleNamespace(partners=partners, gu=gu, gu_staff=[SimpleNamespace(user=gu_user)])
    counts = extra_funds.build(seed=1, today=dt.date(2026, 11, 23), org=org, scale=1.0)
    assert counts == {"directory_services": 4, "mou_agreements": 2}
    assert Agreement.objects.count() == 2 and Service.objects.count() == 4
    assert Service.objects.filter(area=gu, kind="volunteer").exists()
