from django.apps import AppConfig


class TallyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.tally"
    verbose_name = "tally"
