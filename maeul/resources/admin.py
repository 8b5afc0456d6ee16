"""Admin of the hub's reference tables, editable: partner institutions and local resources
have no service with a rule or an event to bypass (nothing in maeul writes them but this admin
and the demo). The resource indicator counts `resource_discovered` timeline events, not rows
of this table, so a resource added here is not counted until a service records its
discovery."""

from django.contrib import admin

from maeul.resources.models import PartnerInstitution, Resource

admin.site.register(PartnerInstitution, list_display=("name", "kind", "area", "mou_signed_on"))
admin.site.register(Resource, list_display=("name", "kind", "dong", "amount", "discovered_on"))
