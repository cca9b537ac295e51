"""The OpenAPI description of StrictFilterBackend's own rules, added to django-filter's.

drf-spectacular's django-filter extension describes each filter's type; the backend also
refuses an empty value and one longer than MAX_VALUE_LENGTH, for every filter. This states
both on each free-form string parameter (not on choices, dates or ids, whose shape says more),
so clients and the schema fuzzer know them.
"""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension

from .filtering import MAX_VALUE_LENGTH


class StrictFilterExtension(DjangoFilterExtension):
    target_class = "api.filtering.StrictFilterBackend"
    priority = 1  # above django-filter's own extension, which matches this subclass too

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "array":  # a repeatable parameter: the rule is per value
                schema = schema["items"]
            if schema.get("type") == "string" and not {"enum", "format"} & set(schema):
                schema["minLength"] = 1
                schema["maxLength"] = min(
                    schema.get("maxLength", MAX_VALUE_LENGTH), MAX_VALUE_LENGTH
                )
        return parameters
