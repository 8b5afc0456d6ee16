"""Writes of the area tree: sphere links (a central dong's team works the linked dongs).

Areas is the bottom layer and knows nothing of roles: the caller (the evaluation's planning
service) checks that the actor may plan the gu's hubs; these functions keep the links
consistent — dongs of one gu, no dong linked to itself, one open link per linked dong, no
chains — and the hubs' recorded type with them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maeul.areas.models import Area, Hub, SphereLink
from maeul.errors import DomainError, NotFound


def _dong(area_id: int) -> Area:
    area = Area.objects.filter(pk=area_id, level=Area.Level.DONG).first()
    if area is None:
        raise NotFound()
    return area


def _sync_hub(linked: Area, central: Area | None) -> None:
    """The linked dong's hub is sphere-type with the central dong's hub while a link stands."""
    central_hub = Hub.objects.filter(dong=central).first() if central else None
    Hub.objects.filter(dong=linked).update(
        hub_type=Hub.HubType.SPHERE if central else Hub.HubType.BASIC, central_hub=central_hub
    )


@transaction.atomic
def sphere_links_create(
    *, actor: Any, central_id: int, linked_ids: list[int], starts_on: dt.date | None
) -> list[SphereLink]:
    """Link dongs to a central dong from `starts_on` (today or later). All or nothing."""
    if starts_on is None:
        raise DomainError("starts_on_required", _("Give the date the link starts."))
    if starts_on < timezone.localdate():
        raise DomainError(
            "starts_on_past", _("A link starts today or later: access is not granted backwards.")
        )
    central = _dong(central_id)
    if not linked_ids:
        raise DomainError("linked_required", _("Choose at least one dong to link."))
    linked = [_dong(i) for i in dict.fromkeys(linked_ids)]
    if central.parent_id is None:
        raise NotFound()
    # One gu's links are written one at a time (the checks below read the open links).
    list(Area.objects.select_for_update().filter(pk=central.parent_id))
    open_links = SphereLink.objects.filter(
        ends_on__isnull=True, central_dong__parent=central.parent
    )
    if open_links.filter(linked_dong=central).exists():
        raise DomainError(
            "central_is_linked",
            _("%(dong)s is itself linked to a central dong; end that link first.")
            % {"dong": central.display_name},
        )
    created = []
    for dong in linked:
        if dong.parent_id != central.parent_id:
            raise DomainError(
                "other_gu", _("%(dong)s is not in the same gu.") % {"dong": dong.display_name}
            )
        if dong.pk == central.pk:
            raise DomainError("self_link", _("A dong cannot be linked to itself."))
        if open_links.filter(linked_dong=dong).exists():
            raise DomainError(
                "already_linked",
                _("%(dong)s is already linked to a central dong; end that link first.")
                % {"dong": dong.display_name},
            )
        if open_links.filter(central_dong=dong).exists():
            raise DomainError(
                "linked_is_central",
                _("%(dong)s is the central dong of a sphere; it cannot be linked to another.")
                % {"dong": dong.display_name},
            )
        created.append(
            SphereLink.objects.create(
                central_dong=central, linked_dong=dong, starts_on=starts_on, created_by=actor
            )
        )
        _sync_hub(dong, central)
    return created


@transaction.atomic
def sphere_link_end(*, actor: Any, link_id: int, gu_id: int) -> SphereLink:
    """End a link today: from now the central dong's team no longer works the linked dong's
    households. Only a link between the dongs of `gu_id` (else NotFound); an ended one stays
    as it was."""
    link = (
        SphereLink.objects.select_for_update()
        .select_related("central_dong", "linked_dong")
        .filter(pk=link_id, central_dong__parent_id=gu_id)
        .first()
    )
    if link is None:
        raise NotFound()
    if link.ends_on is not None:
        raise DomainError("already_ended", _("This link has already ended."))
    today = timezone.localdate()
    link.ends_on = max(today, link.starts_on)
    link.ended_by = actor
    link.ended_at = timezone.now()
    link.save(update_fields=["ends_on", "ended_by", "ended_at"])
    _sync_hub(link.linked_dong, None)
    return link
