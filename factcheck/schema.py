"""OpenAPI generation: detail and write answers are described by the detail read shape."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def get_response_serializers(self):
        view = self.view
        if view.action in ("retrieve", "create", "update", "partial_update"):
            detail = getattr(view, "detail_serializer_class", None)
            return detail or view.serializer_class
        return super().get_response_serializers()
