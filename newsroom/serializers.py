import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from rest_framework import serializers

from ingest.fetch import address_refusal

from .enums import Event
from .models import Delivery, Subscription


class SubscriptionSerializer(serializers.ModelSerializer):
    """A webhook subscription as read: the secret is never in it (see the create answer)."""

    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Event.choices),
        min_length=1,
        max_length=len(Event.values),
        help_text="The events to be told about.",
    )

    class Meta:
        model = Subscription
        fields = [
            "id",
            "owner",
            "target_url",
            "events",
            "description",
            "active",
            "failure_count",
            "disabled_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["failure_count", "disabled_at", "created_at", "updated_at"]

    def validate_target_url(self, value):
        """An address written as such is checked now; a host name at each delivery, after
        resolving it (newsroom.outbound)."""
        host = (urlsplit(value).hostname or "").strip("[]")
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return value
        reason = address_refusal(host, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE)
        if reason:
            raise serializers.ValidationError(f"Webhooks cannot be sent to {reason}.")
        return value

    def validate_events(self, value):
        return list(dict.fromkeys(value))


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    """The answer to a create (and to rotate-secret): the only times the secret is shown."""

    secret = serializers.CharField(
        read_only=True,
        help_text=(
            "Signs every delivery: the header X-Factcheck-Signature-256 is `sha256=` and the "
            "hex HMAC-SHA256 of the body under this secret. Shown once; keep it."
        ),
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_id",
            "event",
            "status",
            "attempts",
            "response_code",
            "last_error",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields
