"""The vocabulary of the access matrix (tests/test_access_matrix.py), shared with the apps'
own rule files.

An app adds its URLs' rules in `maeul/<app>/tests/access_rules.py`:

- `RULES: dict[str, Rule]` — URL name → rule (required for every URL the app serves);
- `PARAMS: dict[str, str]` — route parameter → object kind, for new parameters
  (e.g. `{"campaign_id": "campaign"}`);
- `build(scope: dict, *, dong, actor, partner, marker) -> None` — optional: adds the app's
  objects (ids by kind) to a scope built by tests/scenario.py, through the app's services, with
  `marker` in every text field of the other gu's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MARKER = "타구비밀"  # appears only in the other gu's records
ROLES = [
    "official",
    "nurse",
    "gu_user",
    "admin_user",
    "volunteer",
    "partner_user",
    "council_member",
    "dong_head",
    "anonymous",
]
#: Hub staff: every staff page is theirs. The head of dong A (`dong_head`) is hub staff of
#: dong A like the official, so every rule that names STAFF names the dong head too; what
#: the head may not read of a household (health notes, notes on violence) is people.policy's
#: field rule, not a page of its own. Rules that name roles one by one (a report read by the
#: official who asked for it) leave the dong head out, and the matrix still checks that the
#: dong head sees nothing of another gu and gets 404 for its objects.
STAFF = {"official", "nurse", "gu_user", "admin_user", "dong_head"}
EVERYONE = set(ROLES) - {"anonymous"}


@dataclass(frozen=True)
class Rule:
    obj: str | None = None  # the object kind the path takes (household, lead, visit, …)
    readers: frozenset[str] = field(default_factory=frozenset)  # roles that open own-scope objects
    public: bool = False
    method: str = "GET"
    params: str = ""  # query string for GET


def rule(obj=None, readers=(), **kwargs) -> Rule:
    return Rule(obj=obj, readers=frozenset(readers), **kwargs)


PUBLIC = rule(public=True)
LIST = rule(readers=EVERYONE)  # every signed-in role gets its own scoped list
STAFF_PAGE = rule(readers=STAFF)
