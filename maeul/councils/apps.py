from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.councils"
    #: Main-menu entries: (url name, label, roles that see them: None = every signed-in
    #: user, "staff" = hub staff, or a set of roles). Read by accounts' navigation.
    verbose_name = _("councils")
    nav: list[tuple] = [
        ("councils:index", _("Councils"), "staff"),
        ("councils:index", _("My council"), {"cssc_member"}),
        ("councils:zones", _("Support zones"), "staff"),
    ]
