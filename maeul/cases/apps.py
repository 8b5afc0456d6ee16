from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.cases"
    #: Main-menu entries (see accounts' navigation): the partner portal's referrals.
    nav: list[tuple] = [("cases:referral_list", _("Referrals"), {"partner"})]
