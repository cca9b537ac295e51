from django.db import models


class ProposalState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    MERGED = "merged", "Merged into a claim"


class StatementKind(models.TextChoices):
    DIRECT = "direct", "Direct speech"
    REPORTED = "reported", "Reported speech"
