"""The sign-in backend: Django's ModelBackend, reading on every request, in the user's one
query, what every scoped read starts from (`accounts.scope.dong_ids_of`): the user's home
area, and whether their dong has a standing sphere link (areas.SphereLink). Most dongs have
none, and their staff's pages then skip the query for the linked dongs: two queries fewer on
every page."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from maeul.accounts.models import User
from maeul.areas.models import SphereLink

#: The attribute `get_user` sets: False when the home area is the central dong of no standing
#: sphere link (`dong_ids_of` then needs no query for linked dongs).
SPHERE_FLAG = "sphere_links_standing"


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = (
                User._default_manager.select_related("home_area")
                .annotate(
                    **{
                        SPHERE_FLAG: Exists(
                            SphereLink.objects.active().filter(
                                central_dong_id=OuterRef("home_area")
                            )
                        )
                    }
                )
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
