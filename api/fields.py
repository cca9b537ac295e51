"""Serializer fields the apps share."""

from django.core.validators import MaxLengthValidator
from rest_framework import serializers


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """A list of references (`many=True`) with at most `max_length` items, each looked up once.

    DRF's ManyRelatedField looks up every item it is given, one query each, before any
    validator runs: 120,000 copies of one slug cost 120,000 queries. This refuses a list longer
    than the bound before looking anything up (400: "Ensure this field has no more than N
    elements."), and looks up a repeated value only once: `["nato", "nato"]` is `["nato"]`.
    """

    default_error_messages = {
        "max_length": "Ensure this field has no more than {max_length} elements.",
    }

    def __init__(self, child_relation=None, *, max_length: int, **kwargs):
        self.max_length = max_length
        super().__init__(child_relation, **kwargs)
        # Never fails after the check in to_internal_value; it states the bound as maxItems
        # in the OpenAPI document.
        self.validators.append(MaxLengthValidator(max_length))

    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(distinct(data))


def distinct(items: list) -> list:
    """`items` without repeats, in their first order; an unhashable item (a nested list or
    object, which the child field refuses) is kept as it is."""
    seen, kept = set(), []
    for item in items:
        try:
            if item in seen:
                continue
            seen.add(item)
        except TypeError:
            pass
        kept.append(item)
    return kept
