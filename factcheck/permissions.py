"""The API's default permission (its own module: DRF imports it while loading its views)."""

from rest_framework import permissions


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
