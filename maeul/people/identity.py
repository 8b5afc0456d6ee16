"""Identifiers at rest: authenticated encryption (Fernet, from `cryptography`) of resident
registration numbers and a keyed blind index (HMAC-SHA256) for exact look-up. The name and
address normalisation used to match a report to a known household is `maeul.text`.

Keys come from settings (`MAEUL_FIELD_KEYS`, newest first; `MAEUL_BLIND_INDEX_KEY`), which read
them from the environment. Decryption tries every key, so data written under an older key
still reads after a new key is put first; `rotate` re-encrypts under the newest.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

_RRN_RE = re.compile(r"^(\d{6})-?(\d{7})$")


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
