"""Text normalisation shared by every app: how names and addresses compare when a report is
matched to a known household, a search is run, or a reader's home address is checked against
the household read. It knows no model, so every layer may use it."""

from __future__ import annotations

import re
import unicodedata

_SPACE_PUNCT_RE = re.compile(r"[\s\-·.,()]+")


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
