from django.contrib import admin

from maeul.resources.models import PartnerInstitution, Resource

admin.site.register(PartnerInstitution, list_display=("name", "kind", "area", "mou_signed_on"))
admin.site.register(Resource, list_display=("name", "kind", "dong", "amount", "discovered_on"))
