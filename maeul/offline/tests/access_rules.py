"""Access rules of the volunteer's phone app (see tests/access.py). The manifest and the
service worker hold no personal data and are fetched before and after a session; the pages
and the JSON endpoints are for volunteers and partner contacts."""

from __future__ import annotations

from tests.access import PUBLIC, rule

APP_USERS = {"volunteer", "partner_user"}

RULES = {
    "offline:home": rule(readers=APP_USERS),
    "offline:report": rule(readers=APP_USERS),
    "offline:care": rule(readers=APP_USERS),
    "offline:service_worker": PUBLIC,
    "offline:manifest": PUBLIC,
    "offline:session": rule(readers=APP_USERS),
    # POSTs with an empty body: 400 for her, 403 for anyone else; another gu's household 404.
    "offline:report_send": rule(method="POST"),
    "offline:care_visit_send": rule("household", method="POST"),
}
