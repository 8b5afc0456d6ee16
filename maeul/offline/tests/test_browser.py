"""The volunteer app in Chromium on a phone-sized screen, with the network switched off and on:
a report written without signal waits on the phone, is sent when the network returns (one
lead, however often it is sent), survives an ended session, and logging out clears the phone.
Playwright drives Debian's Chromium as the browser tests in tests/e2e do."""

from __future__ import annotations

import re

import pytest

from maeul.discovery.models import Lead
from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="ko-KR", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(45_000)  # a loaded 2-core CI machine
    page.base = live_server.url
    yield page
    context.close()


def count(page) -> str:
    return page.locator("[data-outbox-count]").first.inner_text()


def outbox_keys(page) -> list[str]:
    return page.evaluate(
        """() => new Promise((resolve) => {
             const r = indexedDB.open("maeul-offline");
             r.onsuccess = () => {
               const all = r.result.transaction("outbox").objectStore("outbox").getAllKeys();
               all.onsuccess = () => { r.result.close(); resolve(all.result); };
             };
           })"""
    )


def wait_until_app_is_kept(page) -> None:
    """The worker is active and holds the app's three pages (asked for by register.js; asked
    again every 10 s here, as reopening the app would, should a fetch have failed)."""
    kept = """async () => {
        const cache = await caches.open("maeul-offline-pages");
        const kept = (await cache.keys()).map((r) => new URL(r.url).pathname);
        return ["/offline/", "/offline/report/", "/offline/care/"]
          .every((path) => kept.includes(path));
      }"""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for attempt in range(120):
        if page.evaluate(kept):
            return
        if attempt % 20 == 19:
            page.evaluate(
                """() => navigator.serviceWorker.ready.then((r) => r.active.postMessage(
                     {type: "warm", user: document.getElementById("offline-app").dataset.user}))"""
            )
        page.wait_for_timeout(500)
    raise AssertionError("the worker did not keep the app's pages")


def write_report(page, who: str) -> None:
    page.fill("#id_subject_name", who)
    page.fill("#id_address", "망미로 12, 302호")
    page.fill("#id_description", "며칠째 우편물이 쌓여 있고 인기척이 없음")
    page.check("input[name=urgency][value=high]")
    page.click("form.offline-form button[type=submit]")


def wait_count(page, n: int) -> None:
    page.wait_for_function(
        "n => document.querySelector('[data-outbox-count]').textContent === String(n)", arg=n
    )


def test_offline_report_waits_is_sent_once_and_logout_clears_the_phone(
    phone, volunteer, password, dong_a
):
    page = phone
    login(page, volunteer.username, password)
    page.goto(f"{page.base}/offline/report/")
    wait_until_app_is_kept(page)

    # Signal lost: the report is kept on the phone, with its key, and shown as waiting.
    page.context.set_offline(True)
    page.wait_for_selector("#net-status.off")
    assert page.locator("#net-status").inner_text().startswith("오프라인")
    write_report(page, "302호 할머니")
    wait_count(page, 1)
    assert "이 휴대폰에 저장했습니다" in page.locator("#app-notice").inner_text()
    item = page.locator(".outbox-item")
    assert "302호 할머니 · 망미로 12, 302호" in item.inner_text()
    assert "며칠째" not in item.inner_text()  # the list shows who and where, nothing more
    assert "보내기 대기: 1건" in page.locator("[data-outbox-summary]").inner_text()
    [key] = outbox_keys(page)
    assert Lead.objects.count() == 0

    # The network returns: the "online" event sends it, and the phone forgets it at once.
    page.context.set_offline(False)
    wait_count(page, 0)
    assert "복지센터로 보냈습니다" in page.locator("#app-notice").inner_text()
    assert outbox_keys(page) == []
    lead = Lead.objects.get()
    assert (lead.reported_by_id, lead.subject_name, lead.urgency) == (
        volunteer.pk,
        "302호 할머니",
        "high",
    )

    # The same key sent again (an answer lost on the way): the same lead, no second one.
    again = page.evaluate(
        """async ([key, dong]) => {
             const root = document.getElementById("offline-app");
             const r = await fetch("/offline/api/reports/", {
               method: "POST",
               headers: {"Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf},
               body: JSON.stringify({key, subject_name: "302호 할머니", dong,
                 address: "망미로 12, 302호", urgency: "high",
                 description: "며칠째 우편물이 쌓여 있고 인기척이 없음"}),
             });
             return [r.status, await r.json()];
           }""",
        [key, dong_a.pk],
    )
    assert again == [200, {"lead_id": lead.pk, "status": "duplicate"}]
    assert Lead.objects.count() == 1

    # Without signal the app opens from the phone (the worker's copy), the report waiting.
    page.context.set_offline(True)
    write_report(page, "경비실 옆 할아버지")
    wait_count(page, 1)
    page.goto(f"{page.base}/offline/")
    assert page.locator("h1").inner_text() == "마을 자원봉사 앱"
    wait_count(page, 1)
    page.wait_for_selector("#net-status.off")  # its try to send failed
    shot(page, "offline-phone-report-waiting")
    assert Lead.objects.count() == 1

    # The session ends meanwhile: a clear message, the report stays on the phone.
    page.context.clear_cookies(name="sessionid")
    page.context.set_offline(False)
    page.wait_for_selector("#app-notice.expired")  # the next retry
    assert "로그인이 만료되었습니다" in page.locator("#app-notice").inner_text()
    assert count(page) == "1" and Lead.objects.count() == 1
    shot(page, "offline-phone-session-ended")
    # Logged in again, the app sends it.
    page.click("#app-notice a")
    page.fill("#id_username", volunteer.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/offline/$"))
    wait_count(page, 0)
    assert Lead.objects.count() == 2

    # Logging out with a report still waiting: a warning, then the phone is cleared.
    # The server unreachable, for the page and for the worker's Background Sync alike.
    page.context.route("**/offline/api/reports/", lambda route: route.abort())
    page.goto(f"{page.base}/offline/report/")
    wait_until_app_is_kept(page)
    write_report(page, "세 번째 제보")
    page.wait_for_selector(".outbox-item")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.click("form[data-offline-logout] button")
    page.wait_for_url(re.compile(r"/login/"))
    assert "로그아웃하면 휴대폰에서 지워집니다" in dialogs[0]
    left = page.evaluate(
        """async () => ({
             dbs: (await indexedDB.databases()).map((db) => db.name),
             caches: await caches.keys(),
           })"""
    )
    assert "maeul-offline" not in left["dbs"]
    assert not [name for name in left["caches"] if name.startswith("maeul-offline-pages")]
    assert Lead.objects.count() == 2


def test_offline_care_visit_is_recorded_once_and_the_app_is_installable(
    phone, volunteer, password, dong_a
):
    from maeul.visits.models import Visit
    from tests.factories import HouseholdFactory

    household = HouseholdFactory(dong=dong_a, head="홀로순")
    household.care_volunteers.add(volunteer)
    page = phone
    login(page, volunteer.username, password)
    page.goto(f"{page.base}/offline/care/")
    wait_until_app_is_kept(page)
    # What Chromium checks before it offers to install the app (manifest, icons, worker).
    cdp = page.context.new_cdp_session(page)
    # (A Playwright context is incognito, where Chromium offers no install; nothing else.)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []

    page.context.set_offline(True)
    page.wait_for_selector("#net-status.off")
    page.fill(f"#notes-{household.pk}", "식사 잘 하심")
    page.click(".care-list button[type=submit]")
    wait_count(page, 1)
    assert "홀로순" in page.locator(".outbox-item").inner_text()
    page.goto(f"{page.base}/offline/report/")  # and a report, both waiting (from the cache)
    assert page.locator("h1").inner_text() == "도움이 필요한 가구 제보"
    write_report(page, "302호 할머니")
    wait_count(page, 2)
    shot(page, "offline-phone-two-waiting")
    assert not Visit.objects.exists()

    page.context.set_offline(False)
    wait_count(page, 0)
    visit = Visit.objects.get()
    assert (visit.household_id, visit.kind, visit.outcome, visit.notes) == (
        household.pk,
        "care",
        "met",
        "식사 잘 하심",
    )
    assert Lead.objects.count() == 1


def put_raw_items(page, items: list[dict]) -> None:
    """Writes items into the phone's outbox as the app would have (from any page of the site)."""
    page.evaluate(
        """(items) => new Promise((resolve, reject) => {
             const r = indexedDB.open("maeul-offline", 1);
             r.onupgradeneeded = () => r.result.createObjectStore("outbox", {keyPath: "key"});
             r.onsuccess = () => {
               const tx = r.result.transaction("outbox", "readwrite");
               items.forEach((item) => tx.objectStore("outbox").put(item));
               tx.oncomplete = () => { r.result.close(); resolve(); };
               tx.onerror = () => reject(tx.error);
             };
           })""",
        items,
    )


def stored_items(page) -> list[dict]:
    return page.evaluate(
        """() => new Promise((resolve) => {
             const r = indexedDB.open("maeul-offline");
             r.onsuccess = () => {
               const all = r.result.transaction("outbox").objectStore("outbox").getAll();
               all.onsuccess = () => { r.result.close(); resolve(all.result); };
             };
           })"""
    )


class SyncTrigger:
    """Fires the worker's Background Sync as the browser does when the network returns
    (Chromium reacts to the machine's own network, which a test cannot switch; DevTools'
    ServiceWorker.dispatchSyncEvent delivers the very same event)."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.registrations: dict[str, str] = {}
        self.cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: self.registrations.update(
                {r["scopeURL"]: r["registrationId"] for r in event["registrations"]}
            ),
        )
        self.cdp.send("ServiceWorker.enable")

    def fire(self, base: str) -> None:
        scope = f"{base}/offline/"
        for _ in range(100):
            if scope in self.registrations:
                break
            self.cdp.send("Runtime.evaluate", {"expression": "1"})  # let events arrive
        self.cdp.send(
            "ServiceWorker.dispatchSyncEvent",
            {
                "origin": base,
                "registrationId": self.registrations[scope],
                "tag": "maeul-outbox",
                "lastChance": False,
            },
        )


def wait_db(check, seconds: float = 45) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the server did not get it")
        time.sleep(0.25)


def test_background_sync_sends_the_queue_with_the_app_closed_once(
    phone, volunteer, password, dong_a
):
    page = phone
    login(page, volunteer.username, password)
    page.goto(f"{page.base}/offline/report/")
    wait_until_app_is_kept(page)

    page.context.set_offline(True)
    page.wait_for_selector("#net-status.off")
    write_report(page, "지하 1층 어르신")
    wait_count(page, 1)
    tags = page.evaluate("navigator.serviceWorker.ready.then((r) => r.sync.getTags())")
    assert tags == ["maeul-outbox"]  # the sync is registered with the item
    [item] = stored_items(page)
    assert item["user"] == str(volunteer.pk)
    assert Lead.objects.count() == 0

    # The app is closed (another page of the site stays open, to look at the phone); the
    # network returns; the worker alone sends the report.
    context = page.context
    page.close()
    context.set_offline(False)
    other = context.new_page()
    other.goto(f"{phone.base}/login/")
    sync = SyncTrigger(other)
    sync.fire(phone.base)
    wait_db(lambda: Lead.objects.count() == 1)
    lead = Lead.objects.get()
    assert (lead.reported_by_id, lead.subject_name) == (volunteer.pk, "지하 1층 어르신")
    other.wait_for_function(
        """() => new Promise((resolve) => {
             const r = indexedDB.open("maeul-offline");
             r.onsuccess = () => {
               const c = r.result.transaction("outbox").objectStore("outbox").count();
               c.onsuccess = () => { r.result.close(); resolve(c.result === 0); };
             };
           })"""
    )

    # The answer lost on the way: the item is still on the phone and the worker sends it
    # again with its key: the server answers with the same lead, and the phone forgets it.
    put_raw_items(other, [item])
    sync.fire(phone.base)
    wait_db(lambda: not stored_items(other))
    assert Lead.objects.count() == 1


def test_a_second_account_on_a_shared_phone_neither_sees_nor_sends_the_first_ones_queue(
    phone, volunteer, password, dong_a
):
    from maeul.accounts.models import Role
    from tests.factories import UserFactory

    second = UserFactory(username="volunteer_a2", role=Role.VOLUNTEER, home_area=dong_a)
    page = phone
    login(page, volunteer.username, password)
    page.goto(f"{page.base}/offline/report/")
    wait_until_app_is_kept(page)
    # Her report cannot go (no signal where she is) ...
    page.context.set_offline(True)
    page.wait_for_selector("#net-status.off")
    write_report(page, "첫 번째 봉사자의 제보")
    wait_count(page, 1)
    # ... and she leaves the phone without logging out; her session ends. Another volunteer
    # signs in on it.
    page.context.clear_cookies()
    page.context.set_offline(False)
    login(page, second.username, password)
    page.goto(f"{page.base}/offline/")
    wait_until_app_is_kept(page)
    page.wait_for_selector("#net-status.on")
    # He sees nothing of hers, and neither his page nor the worker's sync sends it.
    assert count(page) == "0"
    assert "첫 번째" not in page.locator("#offline-app").inner_text()
    SyncTrigger(page).fire(page.base)
    page.evaluate("() => new Promise((r) => setTimeout(r, 1500))")
    assert Lead.objects.count() == 0
    [kept] = stored_items(page)  # still on the phone, hers, until it expires
    assert kept["user"] == str(volunteer.pk)
    # His own report goes at once, under his name.
    page.goto(f"{page.base}/offline/report/")
    write_report(page, "두 번째 봉사자의 제보")
    wait_db(lambda: Lead.objects.filter(reported_by=second).count() == 1)
    assert not Lead.objects.filter(reported_by=volunteer).exists()
    # She signs in again on the phone: hers is sent, under her name, once.
    page.context.clear_cookies()
    login(page, volunteer.username, password)
    page.goto(f"{page.base}/offline/")
    wait_count(page, 0)
    wait_db(lambda: Lead.objects.filter(reported_by=volunteer).count() == 1)
    assert Lead.objects.get(reported_by=volunteer).subject_name == "첫 번째 봉사자의 제보"
    assert Lead.objects.count() == 2


def test_items_past_their_time_are_deleted_from_the_phone_unsent(
    phone, volunteer, password, dong_a
):
    import datetime as dt

    from maeul.offline.views import OUTBOX_TTL

    page = phone
    login(page, volunteer.username, password)
    page.goto(f"{page.base}/offline/")
    wait_until_app_is_kept(page)
    now = dt.datetime.now(dt.UTC)

    def item(key: str, written: dt.datetime, expires: dt.datetime | None) -> dict:
        data = {
            "key": key,
            "kind": "report",
            "url": "/offline/api/reports/",
            "payload": {
                "subject_name": key,
                "dong": str(dong_a.pk),
                "address": "망미로 1",
                "description": "오래된 제보",
                "urgency": "normal",
                "written_at": written.isoformat(),
            },
            "label": key,
            "user": str(volunteer.pk),
            "written_at": written.isoformat(),
        }
        if expires:
            data["expires_at"] = expires.isoformat()
        return data

    old = now - dt.timedelta(seconds=OUTBOX_TTL + 60)
    page.context.set_offline(True)
    put_raw_items(
        page,
        [
            item("00000000-0000-4000-8000-000000000001", old, now - dt.timedelta(minutes=1)),
            # written by an older app version (no expires_at): written_at + the TTL counts
            item("00000000-0000-4000-8000-000000000002", old, None),
            item(
                "00000000-0000-4000-8000-000000000003",
                now - dt.timedelta(hours=1),
                now + dt.timedelta(hours=71),
            ),
        ],
    )
    page.goto(f"{page.base}/offline/")  # opened again (from the worker's copy, no signal)
    wait_count(page, 1)
    assert [i["key"] for i in stored_items(page)] == ["00000000-0000-4000-8000-000000000003"]
    page.context.set_offline(False)
    wait_count(page, 0)
    assert list(Lead.objects.values_list("subject_name", flat=True)) == [
        "00000000-0000-4000-8000-000000000003"
    ]
