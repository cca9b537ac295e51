"""What every serializer that takes a request body shares: strict about what it is sent, and
one clear message for each thing wrong with it.

- A field the body may not hold is a 400 naming it, as an unknown query parameter is (a
  misspelt field would otherwise be dropped without a word). The fields of the answer's read
  shape (`id`, `verdict`…) and the record's other server-set fields (`version`,
  `created_by`) are tolerated and ignored, so a client may send back what it read.
- A JSON value of the wrong type (`0` for a text, `"5"` for a number) is a 400, not converted.
- A value outside a list of choices is answered with the list.
- A date in the right shape that is no date (`2015-02-30`) is named as such, not as a wrong
  format.
- A slug or URL field reports one message where the model's validator and DRF's own would
  each report theirs (a URL validator marked with `checks_url = True` replaces DRF's).
"""

import datetime
import re

from django.core import validators as django_validators
from django.db import models
from django.http import QueryDict
from rest_framework import serializers

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Sent by the browsable API's HTML forms along with the fields.
_FORM_ONLY = {"csrfmiddlewaretoken"}


class DateField(serializers.DateField):
    """An ISO date; `2015-02-30` is "not a date", where DRF would call it the wrong format."""

    default_error_messages = {"no_such_date": "{input} is not a date: {reason}."}

    def to_internal_value(self, value):
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                datetime.date.fromisoformat(value.strip())
            except ValueError as error:
                self.fail("no_such_date", input=value.strip(), reason=error)
        return super().to_internal_value(value)


def clarify(field: serializers.Field) -> None:
    """List the valid choices in a choice field's message; drop the validators that repeat
    another's message in other words."""
    if isinstance(field, serializers.ManyRelatedField):
        return
    if isinstance(field, serializers.ChoiceField):
        valid = ", ".join(str(choice) for choice in field.choices)
        field.error_messages["invalid_choice"] = (
            '"{input}" is not a valid choice. Valid choices: ' + valid.replace("{", "{{") + "."
        )
    if isinstance(field, serializers.SlugField):
        # DRF's SlugField checks the same pattern as the model field's validator.
        repeated = (django_validators.validate_slug, django_validators.validate_unicode_slug)
        field.validators = [v for v in field.validators if v not in repeated]
    if isinstance(field, serializers.URLField) and any(
        getattr(v, "checks_url", False) for v in field.validators
    ):
        # The model's own URL validator (marked `checks_url`) is the stricter of the two.
        field.validators = [
            v for v in field.validators if not isinstance(v, django_validators.URLValidator)
        ]


def json_name(value) -> str:
    """The JSON type of a parsed JSON value, as a message names it."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def json_type(field: serializers.Field) -> str | None:
    """The JSON type a field takes, named as json_name names it; None: not checked here."""
    if isinstance(field, serializers.ManyRelatedField | serializers.ListField):
        return "a list"
    if isinstance(field, serializers.BooleanField):
        return "true or false"
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return "a whole number"
    text = (
        serializers.CharField,
        serializers.ChoiceField,
        serializers.DateField,
        serializers.DateTimeField,
        serializers.SlugRelatedField,
    )
    if isinstance(field, text):
        return "a string"
    return None


class StrictInputMixin:
    """For a Serializer or ModelSerializer that validates request bodies (see the module).

    The view may pass `read_fields` in the context: names in its answer's shape, which a body
    may hold and which are ignored."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
    }

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            clarify(field)
        return fields

    def to_internal_value(self, data):
        refused = {**self._wrong_types(data), **self._unknown_fields(data)}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if refused and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **refused}) from error
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value

    def _wrong_types(self, data) -> dict[str, list[str]]:
        """JSON values of the wrong type. DRF would take `0` for a text or `"5"` for a number
        and store the conversion; in JSON a client can say what it means. (Form data, which
        the browsable API sends, is all text: converted as DRF does.)"""
        if isinstance(data, QueryDict) or not hasattr(data, "keys"):
            return {}
        errors = {}
        for name, field in self.fields.items():
            value = data.get(name)
            if field.read_only or value is None:
                continue  # absent, or null: the field's own rules decide
            expected = json_type(field)
            if expected is not None and json_name(value) != expected:
                errors[name] = [f"Expected {expected}, got {json_name(value)}."]
        return errors

    def _unknown_fields(self, data) -> dict[str, list[str]]:
        if not hasattr(data, "keys"):
            return {}  # not an object: DRF answers that itself
        known = set(self.fields) | set(self.context.get("read_fields", ()))
        meta = getattr(self, "Meta", None)
        if meta is not None and hasattr(meta, "model"):
            # The record's own server-set fields (`version`, `created_by`…) are ignored too.
            known |= {f.name for f in meta.model._meta.get_fields() if f.concrete}
        if isinstance(data, QueryDict):
            known |= _FORM_ONLY
        unknown = sorted(set(data.keys()) - known)
        if not unknown:
            return {}
        writable = ", ".join(name for name, field in self.fields.items() if not field.read_only)
        return {name: [f"Unknown field. Allowed here: {writable}."] for name in unknown}


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    pass


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    pass
