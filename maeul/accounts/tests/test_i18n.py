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


def test_every_catalogue_is_complete():
    """No message of a shipped catalogue is left untranslated or fuzzy."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    for po in root.glob("maeul/**/locale/ko/LC_MESSAGES/django.po"):
        text = po.read_text(encoding="utf-8")
        assert "#, fuzzy" not in text.split("\n\n", 1)[1], f"fuzzy entries in {po}"
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{mo} is not compiled"
        result = (
            subprocess.run(["msgattrib", "--untranslated", str(po)], capture_output=True, text=True)
            if Path("/usr/bin/msgattrib").exists()
            else None
        )
        if result is not None:
            assert "msgid" not in result.stdout.replace('msgid ""', "", 1), f"untranslated in {po}"
