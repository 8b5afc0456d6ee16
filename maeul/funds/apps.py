from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.funds"
    #: Main-menu entries: (url name, label, roles that see them: None = every signed-in
    #: user, "staff" = hub staff, or a set of roles). Read by accounts' navigation.
    nav: list[tuple] = [
        ("funds:directory", _("Directory"), "staff"),
        ("funds:funds", _("Funds"), "staff"),
    ]
