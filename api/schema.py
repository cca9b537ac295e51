"""OpenAPI generation.

Detail and write answers are described by the detail read shape; every operation
also documents the errors it can answer with, the concurrency headers (If-Match,
If-None-Match, ETag), so clients and the schema fuzzer know every status to expect.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

# Every error body is a JSON object: `{"detail": …}` or `{"<field>": ["<message>", …]}`.
ERRORS_OF_EVERY_OPERATION = ["400", "401", "404", "429"]
ERRORS_OF_WRITES = ["403", "409", "413"]
ERRORS_OF_VERSIONED_WRITES = ["412", "428"]


class AutoSchema(SpectacularAutoSchema):
    def _versioned(self) -> bool:
        from api.concurrency import VersionedMixin

        return isinstance(self.view, VersionedMixin)

    def get_auth(self):
        auth = super().get_auth()
        # Anonymous clients read (published records) without credentials.
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auth:
            auth.append({})
        return auth

    def get_response_serializers(self):
        view = self.view
        if view.action in ("retrieve", "create", "update", "partial_update"):
            detail = getattr(view, "detail_serializer_class", None)
            return detail or view.serializer_class
        return super().get_response_serializers()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if not self._versioned():
            return parameters
        action = self.view.action
        if action in ("update", "partial_update", "destroy"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the version you read; a stale one answers 412.",
                )
            )
        if action == "retrieve":
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="An ETag you hold; 304 if it is still current.",
                )
            )
        if action in ("retrieve", "create", "update", "partial_update"):
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[200, 201, 304],
                    required=True,
                    description="Version tag of the record; send it back in If-Match to write.",
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = list(ERRORS_OF_EVERY_OPERATION)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ERRORS_OF_WRITES
            if self.method != "POST" and self._versioned():
                codes += ERRORS_OF_VERSIONED_WRITES
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiTypes.OBJECT, code, direction=direction
                )
        if self._versioned() and self.view.action == "retrieve":
            responses["304"] = self._get_response_for_code(None, "304", direction=direction)
        return responses


def unslugged_patterns(result, generator, request, public):
    """drf-spectacular postprocessing hook: drop the ASCII `\\w` pattern from slug fields.

    Our slugs keep non-Latin letters (`владимир-путин`); JSON Schema validators read
    `\\w` as ASCII only, so the pattern would call valid slugs invalid.
    """

    def walk(node):
        if isinstance(node, dict):
            if node.get("pattern") == "^[-\\w]+$":
                del node["pattern"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
