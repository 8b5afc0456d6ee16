"""Blind-spot screening: crisis signals, features, the rule and the model, ranked and explained lists that become leads."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.screening"
    verbose_name = _("blind-spot screening")
    #: Main-menu entries: (url name, label, roles that see them: None = every signed-in
    #: user, "staff" = hub staff, or a set of roles). Read by accounts' navigation.
    nav: list[tuple] = [("screening:run", _("Blind-spot screening"), "staff")]
