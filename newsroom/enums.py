from django.db import models


class Event(models.TextChoices):
    """What a webhook subscription can be told about. Every event concerns a published
    record: nothing in draft or in review ever produces one."""

    CLAIM_PUBLISHED = "claim.published", "A claim was published"
    REVIEW_PUBLISHED = "review.published", "A review of a published claim was published"
    CLAIM_VERDICT_CHANGED = "claim.verdict_changed", "A published claim's verdict changed"
    CLAIM_CORRECTED = "claim.corrected", "A published claim was corrected"
    CLAIM_UNPUBLISHED = "claim.unpublished", "A claim was unpublished"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"
