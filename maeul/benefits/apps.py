from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "maeul.benefits"
    label = "benefits"
    verbose_name = _("benefits")
    default_auto_field = "django.db.models.BigAutoField"
