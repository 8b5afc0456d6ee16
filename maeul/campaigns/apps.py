from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maeul.campaigns"
    verbose_name = _("campaigns")
    #: Main-menu entries: (url name, label, roles that see them: None = every signed-in
    #: user, "staff" = hub staff, or a set of roles). Read by accounts' navigation.
    nav: list[tuple] = [
        ("campaigns:campaign_list", _("Campaigns"), "staff"),
        ("campaigns:my_targets", _("Campaign households"), {"volunteer"}),
        ("campaigns:care_households", _("My care households"), {"volunteer"}),
        ("campaigns:roster", _("Safety net"), "staff"),
    ]
