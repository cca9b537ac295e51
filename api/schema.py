"""OpenAPI generation, for people reading the docs and for generated clients.

- Detail and write answers are described by the detail read shape.
- Request bodies are JSON only (SPECTACULAR_SETTINGS' PARSER_WHITELIST): the form parsers serve
  the browsable API, and a body declared in three media types makes generated clients' create
  and replace functions fail.
- Every operation has a description of its own: what the action does to the resource, then
  the resource's description (the viewset's docstring).
- Every operation documents the errors it can answer with, each through one shared component
  (`ValidationError` for 400, `Error` for the rest), and the concurrency headers (If-Match,
  If-None-Match, ETag) and Retry-After, so clients and the schema fuzzer know what to expect.
- Write fields that refer to other records say whether they take a slug or an id.
- Every filter parameter carries its help text, with the allowed values where there is a list.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, get_doc, get_view_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .filtering import MAX_VALUE_LENGTH

ERRORS_OF_EVERY_OPERATION = ["400", "401", "404", "429"]
ERRORS_OF_WRITES = ["403", "409", "413"]
ERRORS_OF_VERSIONED_WRITES = ["412", "428"]

ERROR_DESCRIPTIONS = {
    "400": "Bad input: the messages name each field or query parameter at fault.",
    "401": "No credentials, or a bad token (send `Authorization: Token <key>`).",
    "403": "Signed in, but without the permission this needs.",
    "404": "No such record, or not one this client may see.",
    "409": "Conflicts with existing data, or other records depend on this one.",
    "412": "If-Match is not the current ETag: read again, reapply, retry.",
    "413": "The request body is over the size limit.",
    "428": "This write needs If-Match with the ETag of the version read.",
    "429": "Too many requests: wait for Retry-After seconds.",
}

# One component per error shape, shared by every operation: a generated client has one class
# for each, not one per status per operation.
MESSAGE_OR_MESSAGES = {
    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
}
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="api.schema.ValidationError",
    schema={
        "type": "object",
        "description": (
            "Each key names a field of the body or a query parameter (`non_field_errors`: the "
            "body as a whole) and holds its messages. A request the server cannot read at all "
            "(malformed JSON, a value no database column can hold) answers `detail` instead. "
            "A field or parameter itself named `detail` or `code` holds its messages there."
        ),
        "properties": {
            "detail": MESSAGE_OR_MESSAGES,
            "code": MESSAGE_OR_MESSAGES,
        },
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
)
ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="api.schema.Error",
    schema={
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "What went wrong, for a person."},
            "code": {"type": "string", "description": "A stable code, where there is one."},
            "protected_by": {
                "type": "array",
                "items": {"type": "string"},
                "description": "409 on delete: the kinds of record that depend on this one.",
            },
        },
        "required": ["detail"],
    },
)

# What each standard action does, for the operation's own description; {name} is the model's.
ACTION_DESCRIPTIONS = {
    "list": "A page of {plural}; the query parameters filter it.",
    "create": "Create a {name}. Answers with it as a GET reads it, and its ETag.",
    "retrieve": "One {name}, with its ETag; If-None-Match with that ETag answers 304.",
    "update": (
        "Replace a {name}: send every writable field, and If-Match with the ETag you read "
        "(without it 428, with a stale one 412)."
    ),
    "partial_update": (
        "Change some fields of a {name}: send only those, and If-Match with the ETag you read "
        "(without it 428, with a stale one 412)."
    ),
    "destroy": (
        "Delete a {name}, with If-Match (the ETag you read). 409 when other records depend on it."
    ),
}


class AutoSchema(SpectacularAutoSchema):
    def _versioned(self) -> bool:
        from api.concurrency import VersionedMixin

        return isinstance(self.view, VersionedMixin) or getattr(self.view, "versioned", False)

    def _action(self) -> str | None:
        return getattr(self.view, "action", None)

    def get_auth(self):
        auth = super().get_auth()
        # Anonymous clients read (published records) without credentials.
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auth:
            auth.append({})
        return auth

    def get_description(self):
        action = self._action()
        if action not in ACTION_DESCRIPTIONS:  # an @action, or a plain view: its own docstring
            return super().get_description()
        method = getattr(type(self.view), action)
        if method.__qualname__ == f"{type(self.view).__name__}.{action}" and method.__doc__:
            return get_doc(method)  # the viewset says more about this action itself
        model = get_view_model(self.view)
        opts = model._meta
        text = ACTION_DESCRIPTIONS[action].format(
            name=opts.verbose_name, plural=opts.verbose_name_plural
        )
        if "{speaker_slug}" in self.path:
            text = "This speaker's claims: the same as `/claims/?speaker={speaker_slug}`. " + text
        resource = get_doc(self.view.__class__)
        return f"{text}\n\n{resource}" if resource else text

    def get_response_serializers(self):
        view = self.view
        if self._action() in ("retrieve", "create", "update", "partial_update"):
            detail = getattr(view, "detail_serializer_class", None)
            return detail or view.serializer_class
        return super().get_response_serializers()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        parameters.append(
            OpenApiParameter(
                "Retry-After",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=[429],
                required=True,
                description="Seconds until requests are accepted again.",
            )
        )
        if not self._versioned():
            return parameters
        action = self._action()
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
        elif getattr(self.view, "reads_need_permission", False):
            codes.append("403")  # a resource read with its model's permissions (webhooks)
        for component in (VALIDATION_ERROR, ERROR):
            self.registry.register_on_missing(component)
        for code in codes:
            if code not in responses:
                component = VALIDATION_ERROR if code == "400" else ERROR
                # Errors are JSON, whatever an operation answers on success (CSV exports),
                # unless the view answers everything in one JSON type of its own (JSON-LD).
                media_types = [getattr(self.view, "error_media_type", "application/json")]
                answer = self._get_response_for_code(
                    component.ref, code, media_types=media_types, direction=direction
                )
                responses[code] = {
                    **answer,
                    "description": ERROR_DESCRIPTIONS[code],
                }
        if self._versioned() and self._action() == "retrieve":
            responses["304"] = self._get_response_for_code(None, "304", direction=direction)
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "response" and getattr(field, "staff_only", False):
            # Left out of some clients' answers: not marked read-only, so not required there
            # (response components only: the request ones never list read-only fields).
            schema.pop("readOnly", None)
        if direction == "request":
            takes = reference_description(field)
            if takes:
                schema["description"] = " ".join(filter(None, [takes, schema.get("description")]))
        return schema


def reference_description(field) -> str | None:
    """What a write field that refers to other records takes: `Slug of a speaker.`,
    `Ids of claims.`; None for any other field."""
    many = isinstance(field, serializers.ManyRelatedField)
    relation = field.child_relation if many else field
    if isinstance(relation, serializers.SlugRelatedField):
        key = "slug" if relation.slug_field == "slug" else relation.slug_field
    elif isinstance(relation, serializers.PrimaryKeyRelatedField):
        key = "id"
    else:
        return None
    model = related_model(field)
    if model is None:
        return None
    opts = model._meta
    if many:
        return f"{key.capitalize()}s of {opts.verbose_name_plural}."
    article = "an" if opts.verbose_name[0] in "aeiou" else "a"
    return f"{key.capitalize()} of {article} {opts.verbose_name}."


def related_model(field):
    """The model a relation field points to: from its serializer's model field, else from its
    queryset (some take theirs from the request, which the schema has not got)."""
    parent = field.parent
    meta = getattr(parent, "Meta", None)
    if meta is not None and hasattr(meta, "model"):
        try:
            return meta.model._meta.get_field(field.source).related_model
        except FieldDoesNotExist:
            pass
    relation = getattr(field, "child_relation", field)
    queryset = getattr(relation, "queryset", None)
    return None if queryset is None else queryset.model


class StrictFilterExtension(DjangoFilterExtension):
    """drf-spectacular's django-filter support, for our filter backend: keeps each filter's
    help text where drf-spectacular drops it (a filter whose type is declared with
    `extend_schema_field`, such as the slug lists and true/false filters), and states the
    backend's own rules: no filter takes an empty value or one longer than MAX_VALUE_LENGTH
    (on free-form strings; choices, dates and ids say more by their shape)."""

    target_class = "api.filtering.StrictFilterBackend"
    match_subclasses = True
    priority = 1  # before drf-spectacular's own extension, which matches the backend too

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        # A filter the path gives (`path_filters`, e.g. /speakers/{speaker_slug}/claims/) is
        # no query parameter there.
        given = {
            name
            for keyword, name in getattr(auto_schema.view, "path_filters", {}).items()
            if f"{{{keyword}}}" in auto_schema.path
        }
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        return [parameter for parameter in parameters if parameter["name"] not in given]

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            bound_free_text(parameter["schema"])
            if parameter.get("description"):
                continue
            if parameter["schema"].get("type") == "boolean":  # no list of choices: true, false
                parameter["description"] = filter_field.extra.get("help_text", "")
            else:
                parameter["description"] = self._get_field_description(filter_field, None)
        return parameters


def bound_free_text(schema: dict) -> None:
    if schema.get("type") == "array":  # a repeatable parameter: the rule is per value
        schema = schema["items"]
    if schema.get("type") == "string" and not {"enum", "format"} & set(schema):
        schema["minLength"] = 1
        schema["maxLength"] = min(schema.get("maxLength", MAX_VALUE_LENGTH), MAX_VALUE_LENGTH)


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
