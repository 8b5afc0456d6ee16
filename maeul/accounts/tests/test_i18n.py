"""Korean first, English too: the UI defaults to Korean and switches to English."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_default_to_korean_without_a_language_preference(official):
    browser = Client()  # no Accept-Language header
    html = browser.get("/login/").content.decode()
    assert '<html lang="ko">' in html and "로그인" in html
    browser.force_login(official)
    assert "복지허브 대시보드" in browser.get("/").content.decode()


def test_language_switch_to_english_and_back(official):
    browser = Client()
    browser.force_login(official)
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Hub dashboard" in browser.get("/").content.decode()
    browser.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert "복지허브 대시보드" in browser.get("/").content.decode()


@pytest.mark.parametrize(
    "path", ["/leads/", "/visits/", "/cases/", "/households/", "/indicators/", "/benefits/sweep/"]
)
def test_staff_pages_render_in_korean(official, path):
    browser = Client()
    browser.force_login(official)
    html = browser.get(path).content.decode()
    assert '<html lang="ko">' in html
    assert "대시보드" in html  # the navigation is translated on every page


def po_entries(text: str) -> list[dict]:
    """Entries of a .po file: {msgctxt, msgid, msgid_plural, msgstr: [..], fuzzy}."""
    import ast

    entries, entry, key = [], None, None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"msgstr": {}, "fuzzy": False}
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            key, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
        if key.startswith("msgstr"):
            index = int(key[7:-1]) if "[" in key else 0
            entry["msgstr"][index] = entry["msgstr"].get(index, "") + value
        else:
            entry[key] = entry.get(key, "") + value
    return entries


def test_every_catalogue_is_complete_and_compiled():
    """No message of a shipped catalogue is untranslated or fuzzy, and the compiled .mo holds
    exactly what the .po says."""
    import gettext
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    catalogues = sorted(root.glob("maeul/**/locale/ko/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 9
    for po in catalogues:
        with open(po.with_suffix(".mo"), "rb") as handle:
            compiled = gettext.GNUTranslations(handle)._catalog
        for entry in po_entries(po.read_text(encoding="utf-8")):
            if entry["msgid"] == "":
                continue  # the header
            label = f"{po.relative_to(root)}: {entry['msgid'][:50]!r}"
            assert not entry["fuzzy"], f"fuzzy: {label}"
            assert all(entry["msgstr"].values()), f"untranslated: {label}"
            msgid = entry["msgid"]
            if "msgctxt" in entry:
                msgid = f"{entry['msgctxt']}\x04{msgid}"
            if "msgid_plural" in entry:
                assert compiled.get((msgid, 0)) == entry["msgstr"][0], f"not compiled: {label}"
            else:
                assert compiled.get(msgid) == entry["msgstr"][0], f"not compiled: {label}"
