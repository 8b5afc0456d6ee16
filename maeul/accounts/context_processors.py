from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import Role

# (url name, label, roles that see it; None = every signed-in user). An app adds its own
# entries in its AppConfig (`nav`), shown before the administrators' audit entry.
NAV = [
    ("hub:home", _("Dashboard"), None),
    ("discovery:lead_list", _("Leads"), "staff"),
    ("discovery:volunteer_report", _("Report a household"), {Role.VOLUNTEER, Role.PARTNER}),
    ("visits:visit_list", _("Visits"), "staff"),
    ("cases:case_list", _("Cases"), "staff"),
    ("people:household_list", _("Households"), None),
    ("indicators:dashboard", _("Indicators"), "staff"),
    ("benefits:sweep", _("Benefit sweep"), "staff"),
    ("hub:audit", _("Audit"), {Role.ADMINISTRATOR}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    entries = NAV[:-1] + [e for c in apps.get_app_configs() for e in getattr(c, "nav", ())]
    for name, label, roles in [*entries, NAV[-1]]:
        if roles == "staff" and not user.is_hub_staff:
            continue
        if isinstance(roles, set) and user.role not in roles:
            continue
        url = reverse(name)
        items.append({"url": url, "label": label, "active": request.path == url})
    return {"nav_items": items}
