from django.contrib import admin

from . import admin_claims  # noqa: F401  the claim page, with its likely matches
from .models import ClaimVector


@admin.register(ClaimVector)
class ClaimVectorAdmin(admin.ModelAdmin):
    list_display = ["claim", "model", "computed_at"]
    list_filter = ["model"]
    list_select_related = ["claim"]
    raw_id_fields = ["claim"]
    readonly_fields = ["claim", "model", "fingerprint", "vector", "computed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
