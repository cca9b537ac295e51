"""Who may call what: the API's default permission, one Django permission for an action, and
the authentication backend that answers `user.has_perm()`."""

from django.contrib.auth import backends
from django.contrib.auth.models import Permission
from django.db.models import Q
from rest_framework import permissions
from rest_framework.permissions import BasePermission


class ModelBackend(backends.ModelBackend):
    """Django's, loading a user's permissions (their own and their groups') in one query
    instead of two. Every signed-in read asks one (claims.querysets.sees_unpublished)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            held = (
                Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
                .values_list("content_type__app_label", "codename")
                .distinct()
            )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in held}
        return user_obj._perm_cache


class ModelPermissionsOrAnonReadOnly(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """DRF's, without building the view's queryset for a method that needs no permission.

    DRF calls `view.get_queryset()` on every request only to learn the model; for a read
    (`perms_map` lists no permission for GET, HEAD or OPTIONS) the answer is the same for any
    model, so a read skips it. Writes are checked exactly as before."""

    def has_permission(self, request, view):
        if self.perms_map.get(request.method, None) == []:
            user = request.user
            return bool(user and (user.is_authenticated or not self.authenticated_users_only))
        return super().has_permission(request, view)


class HasModelPermission(BasePermission):
    """The user is signed in and holds one Django permission, e.g. `claims.add_appearance`.

    For actions whose permission is not the view's own model's (an appearance is
    added through the claim endpoint). Anonymous clients get 401, others 403.
    """

    permission: str = ""

    @classmethod
    def of(cls, permission: str) -> type["HasModelPermission"]:
        return type(f"Has_{permission.replace('.', '_')}", (cls,), {"permission": permission})

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.permission))
