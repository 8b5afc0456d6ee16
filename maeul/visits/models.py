from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """An on-visit counselling session (or a volunteer's care visit), planned for a day and
    then recorded. Joint visits have several members."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("initial counselling")
        FOLLOW_UP = "follow_up", _("follow-up")
        HEALTH = "health", _("health visit")
        CARE = "care", _("care visit (safety net)")

    class Team(models.TextChoices):
        HUB = "hub", _("hub welfare team")
        NURSE = "nurse", _("visiting nurse")
        GU = "gu", _("gu integrated-case team")
        SAFETY_NET = "safety_net", _("safety net")
        PARTNER = "partner", _("partner institution")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    class Outcome(models.TextChoices):
        MET = "met", _("met")
        NOT_HOME = "not_home", _("not at home")
        REFUSED = "refused", _("refused")
        MOVED = "moved", _("moved away")

    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, related_name="visits"
    )
    dong = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        "discovery.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INITIAL)
    team = models.CharField(_("team"), max_length=12, choices=Team.choices, default=Team.HUB)
    planned_on = models.DateField(_("date"))
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="visits")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    observed_needs = models.JSONField(_("observed needs"), default=list, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "id"]
        indexes = [
            models.Index(fields=["household", "planned_on"]),
            models.Index(fields=["dong", "planned_on", "status"]),
            # the visit lists' order, newest first (visits.selectors.visit_list_ids): a page of
            # ids read from the index instead of sorting every visit of the gu
            models.Index(F("planned_on").desc(), F("id").desc(), name="visits_visit_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.planned_on} {self.get_kind_display()}"
