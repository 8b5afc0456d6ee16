"""Registration numbers: encrypted at rest, found by blind index, readable after key rotation."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from maeul.errors import DomainError
from maeul.people.identity import blind_index, decrypt, normalise_rrn
from maeul.people.models import Resident
from maeul.people.services import household_register
from maeul.text import normalise_address, normalise_name

pytestmark = pytest.mark.django_db


def test_registration_number_is_encrypted_and_found_by_blind_index(official, dong_a):
    household = household_register(
        actor=official,
        dong=dong_a,
        address="망미번영로 12",
        head_name="이순자",
        head_rrn="480312-2345678",
    )
    head = household.members.get()
    assert "480312" not in head.rrn_encrypted
    assert head.rrn == "480312-2345678"
    assert head.rrn_masked == "480312-2******"
    assert Resident.objects.get(rrn_index=blind_index("480312-2345678")) == head


def test_malformed_registration_number_is_refused_and_nothing_saved(official, dong_a):
    with pytest.raises(DomainError) as error:
        household_register(
            actor=official,
            dong=dong_a,
            address="망미번영로 12",
            head_name="이순자",
            head_rrn="48-03",
        )
    assert error.value.code == "invalid_rrn"
    assert not Resident.objects.exists()


def test_old_data_still_reads_after_key_rotation(settings, official, dong_a):
    old_key = settings.MAEUL_FIELD_KEYS[0]
    household = household_register(
        actor=official,
        dong=dong_a,
        address="망미번영로 12",
        head_name="이순자",
        head_rrn="480312-2345678",
    )
    new_key = Fernet.generate_key().decode()
    settings.MAEUL_FIELD_KEYS = [new_key, old_key]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))
    settings.MAEUL_FIELD_KEYS = [new_key]  # the old key is gone
    head = household.members.get()
    assert head.rrn == "480312-2345678"
    assert Resident.objects.get(rrn_index=blind_index("480312-2345678")) == head
    settings.MAEUL_FIELD_KEYS = [old_key]
    with pytest.raises(InvalidToken):
        decrypt(Resident.objects.get(pk=head.pk).rrn_encrypted)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("4803122345678", "480312-2345678"),
        (" 480312-2345678 ", "480312-2345678"),
        ("4803-12", None),
    ],
)
def test_normalise_rrn(raw, expected):
    assert normalise_rrn(raw) == expected


def test_names_and_addresses_match_without_spaces_and_city_prefix():
    assert normalise_name("김 영희") == normalise_name("김영희")
    assert normalise_address("부산광역시 수영구 망미번영로 12") == normalise_address("망미번영로12")
