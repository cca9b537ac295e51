"""Webhook subscriptions and the log of their deliveries."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sources.validators import validate_http_url

from .enums import DeliveryStatus, Event


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def validate_events(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Give a non-empty list of event names.")
    unknown = sorted({str(name) for name in value} - set(Event.values))
    if unknown:
        raise ValidationError(
            f"Unknown events: {', '.join(unknown)}; known: {', '.join(Event.values)}."
        )


class Subscription(models.Model):
    """A partner system told, by a signed POST, about the events it chose."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    target_url = models.URLField(
        "target URL", max_length=1000, validators=[validate_http_url], help_text="Where to POST."
    )
    # Kept in clear: signing needs it. Shown once when the subscription is created.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    events = models.JSONField(
        default=list, validators=[validate_events], help_text="Event names, e.g. claim.published"
    )
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    failure_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Consecutive failed attempts; reset by a success."
    )
    disabled_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When repeated failures switched it off."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["active"], name="subscription_active_idx")]

    def __str__(self):
        return f"{self.target_url} ({', '.join(self.events)})"

    def wants(self, event: str) -> bool:
        return self.active and event in self.events


class Delivery(models.Model):
    """One event sent to one subscription: its payload and how sending it went."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The event's id, the same in every subscription's delivery of it: receivers deduplicate
    # on it, since delivery is at least once.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status"], name="delivery_status_idx"),
            models.Index(fields=["created_at"], name="delivery_created_idx"),
            models.Index(fields=["event_id"], name="delivery_event_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="delivery_once_per_subscription"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.event_id} → #{self.subscription_id} ({self.status})"
