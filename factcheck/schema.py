"""OpenAPI generation: answers of write actions are described by the read serializer."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def get_response_serializers(self):
        view = self.view
        if getattr(view, "write_serializer_class", None) and view.action in view.write_actions:
            return view.serializer_class
        return super().get_response_serializers()
