from django.db import models


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"
    GOVERNMENT = "government", "Government"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class RebuttalStatus(models.TextChoices):
    """A rebuttal is published apart from its claim: an answer added to a published claim
    stays hidden until someone with the publish permission publishes it."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Relation(models.TextChoices):
    REFUTES = "refutes", "Refutes"
    DISPUTES = "disputes", "Disputes"
    CORRECTS = "corrects", "Corrects"
    CONTEXTUALIZES = "contextualizes", "Contextualizes"


class Rating(models.TextChoices):
    """The normalised verdict scale; a reviewer's own label is kept verbatim beside it."""

    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    UNPROVEN = "unproven", "Unproven"
    MISLEADING = "misleading", "Misleading"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
