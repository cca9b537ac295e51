"""Webhook subscriptions with their delivery log, and CSV import of speakers, sources, claims."""

from django.contrib import admin, messages
from django.utils.html import format_html
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from claims.models import Claim, Speaker
from sources.models import Source

from .models import Delivery, Subscription
from .resources import ClaimResource, SourceResource, SpeakerResource


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["target_url", "owner", "events_shown", "active", "failure_count", "created_at"]
    list_filter = ["active"]
    search_fields = ["target_url", "description", "owner__username"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    readonly_fields = [
        "failure_count",
        "disabled_at",
        "created_at",
        "updated_at",
        "deliveries_link",
    ]
    fields = [
        "owner",
        "target_url",
        "events",
        "description",
        "active",
        "failure_count",
        "disabled_at",
        "created_at",
        "deliveries_link",
    ]

    @admin.display(description="events")
    def events_shown(self, obj):
        return ", ".join(obj.events)

    @admin.display(description="delivery log")
    def deliveries_link(self, obj):
        if obj.pk is None:
            return "-"
        return format_html(
            '<a href="../../../delivery/?subscription__id__exact={}">Deliveries</a>', obj.pk
        )

    def save_model(self, request, obj, form, change):
        created = obj.pk is None
        if obj.active and change and "active" in form.changed_data:
            obj.failure_count = 0  # switched back on: count afresh
            obj.disabled_at = None
        super().save_model(request, obj, form, change)
        if created:
            # The only time the secret is shown; it signs every delivery (README, "Webhooks").
            messages.warning(
                request, f"The signing secret of this subscription, shown once: {obj.secret}"
            )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only."""

    list_display = [
        "event",
        "event_id",
        "subscription",
        "status",
        "attempts",
        "response_code",
        "created_at",
        "last_attempt_at",
    ]
    list_filter = ["status", "event"]
    search_fields = ["=event_id", "subscription__target_url"]
    list_select_related = ["subscription"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- CSV import ---------------------------------------------------------------------------------
# The claims and sources apps' admins, with django-import-export's "Import" button (upload,
# preview of each row's change and errors, confirm) added here rather than in those apps:
# importing is this app's job. Each class is the registered admin, subclassed and registered
# again in its place, so everything else about those pages stays as the apps define it.


def _with_import(model, resource, permissions: tuple[str, ...]):
    base = type(admin.site.get_model_admin(model))

    class ImportAdmin(ImportMixin, base):
        resource_classes = [resource]
        import_formats = [CSV]

        def has_import_permission(self, request):
            opts = self.opts
            return all(
                request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
                for action in permissions
            )

    ImportAdmin.__name__ = ImportAdmin.__qualname__ = f"{base.__name__}WithImport"
    admin.site.unregister(model)
    admin.site.register(model, ImportAdmin)


_with_import(Speaker, SpeakerResource, ("add", "change"))
_with_import(Source, SourceResource, ("add", "change"))
_with_import(Claim, ClaimResource, ("add",))
