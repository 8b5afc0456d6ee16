"""Identifiers at rest: authenticated encryption (Fernet, from `cryptography`) of resident
registration numbers, a keyed blind index (HMAC-SHA256) for exact look-up, and the
normalisation used to match a report to a known household.

Keys come from settings (`MAEUL_FIELD_KEYS`, newest first; `MAEUL_BLIND_INDEX_KEY`), which read
them from the environment. Decryption tries every key, so data written under an older key
still reads after a new key is put first; `rotate` re-encrypts under the newest.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

_RRN_RE = re.compile(r"^(\d{6})-?(\d{7})$")
_SPACE_PUNCT_RE = re.compile(r"[\s\-·.,()]+")


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys])


def _cipher() -> MultiFernet:
    return _fernet(tuple(settings.MAEUL_FIELD_KEYS))


def encrypt(value: str) -> str:
    return _cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _cipher().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key."""
    return _cipher().rotate(token.encode()).decode()


def normalise_rrn(value: str) -> str | None:
    """`YYMMDD-NNNNNNN` for a well-formed registration number, else None."""
    match = _RRN_RE.match(value.strip())
    if not match:
        return None
    return f"{match.group(1)}-{match.group(2)}"


def blind_index(rrn: str) -> str:
    """Keyed, deterministic digest of a normalised registration number for exact look-up."""
    key = settings.MAEUL_BLIND_INDEX_KEY.encode()
    return hmac.new(key, rrn.encode(), hashlib.sha256).hexdigest()


def normalise_name(name: str) -> str:
    """Names compare without spaces and case ('김 영희' = '김영희')."""
    return _SPACE_PUNCT_RE.sub("", unicodedata.normalize("NFC", name)).casefold()


def normalise_address(address: str) -> str:
    """Addresses compare without spaces and punctuation, and without the city/gu prefix that
    reporters write or leave out ('부산광역시 수영구 망미번영로 12' = '망미번영로12')."""
    text = unicodedata.normalize("NFC", address)
    text = re.sub(r"^\s*(부산(광역시)?|busan)\s*", "", text, flags=re.I)
    text = re.sub(r"^\s*(수영구|suyeong-gu)\s*", "", text, flags=re.I)
    return _SPACE_PUNCT_RE.sub("", text).casefold()
