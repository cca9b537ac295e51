from rest_framework.permissions import BasePermission


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
