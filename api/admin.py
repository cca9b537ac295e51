"""API tokens in the admin: every signed-in user sees, creates and revokes their own.

DRF's token admin shows tokens only to holders of its model permissions, which editors do not
have, so a newcomer needed a shell to get a token. Here each of the add, view and delete
permissions on tokens still reaches every user's tokens (superusers hold them all); without
it, a user reaches their own token only. A token is never changed, only revoked and made anew.
"""

from django.contrib import admin
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class OwnTokenAdmin(TokenAdmin):
    readonly_fields = ["key", "created"]

    @staticmethod
    def _holds(request, action: str) -> bool:
        return request.user.has_perm(f"authtoken.{action}_tokenproxy")

    def _own(self, request, obj) -> bool:
        return obj is None or obj.user_id == request.user.pk

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        if self._holds(request, "view") or self._holds(request, "change"):
            return tokens
        return tokens.filter(user=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._own(request, obj)

    def has_add_permission(self, request):
        if self._holds(request, "add"):
            return True
        # A user has one token: making another means revoking the one they have.
        return not TokenProxy.objects.filter(user=request.user).exists()

    def has_change_permission(self, request, obj=None):
        return self._holds(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._holds(request, "delete") or self._own(request, obj)

    def get_fields(self, request, obj=None):
        # Without the add permission the new token is the user's own: no one to choose.
        choose_user = obj is None and self._holds(request, "add")
        if obj is None:
            return ["user"] if choose_user else []
        return ["user", "key", "created"]

    def save_model(self, request, obj, form, change):
        if not change and not self._holds(request, "add"):
            obj.user = request.user
        super().save_model(request, obj, form, change)
