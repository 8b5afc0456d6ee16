from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.offline"
    verbose_name = _("volunteer app")
    #: Main-menu entry (read by accounts' navigation): the installable app for the phone.
    nav: list[tuple] = [
        ("offline:home", _("Phone app"), {"volunteer", "partner"}),
    ]
