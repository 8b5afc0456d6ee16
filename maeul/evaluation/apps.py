from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.evaluation"
    #: Main-menu entries: (url name, label, roles that see them: None = every signed-in
    #: user, "staff" = hub staff, or a set of roles). Read by accounts' navigation.
    nav: list[tuple] = [
        ("evaluation:effects", _("Effects"), "staff"),
    ]
