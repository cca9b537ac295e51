from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from api.concurrency import VersionCheckedAdminMixin

from .models import Outlet, Source


@admin.register(Outlet)
class OutletAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "homepage"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "homepage"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "outlet", "published_on", "medium", "language", "authors"]
    list_filter = ["medium", "language", "outlet__kind"]
    list_select_related = ["outlet"]
    search_fields = ["title", "url", "authors", "outlet__name"]
    autocomplete_fields = ["outlet"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["title", "outlet", "url", "authors", "published_on", "dateline"]}),
        ("Details", {"fields": ["medium", "language", "archived_url", "excerpt"]}),
    ]
