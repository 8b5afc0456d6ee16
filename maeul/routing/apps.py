"""Daily rounds: each staff member's visits for a day or a week, optimised with PyVRP, on a map."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.routing"
    verbose_name = _("rounds")
    #: Main-menu entries: (url name, label, roles that see them: None = every signed-in
    #: user, "staff" = hub staff, or a set of roles). Read by accounts' navigation.
    nav: list[tuple] = [
        ("routing:plan", _("Rounds"), "staff"),
        ("routing:area_map", _("Area map"), "staff"),
    ]
