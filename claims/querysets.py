"""Reads: which rows a user may see, and the annotations read paths share."""

from __future__ import annotations

from django.db import models
from django.db.models import F, OuterRef, Subquery

from .enums import ClaimStatus, ReviewStatus


class ReviewQuerySet(models.QuerySet):
    def published(self) -> ReviewQuerySet:
        return self.filter(status=ReviewStatus.PUBLISHED)

    def visible_to(self, user) -> ReviewQuerySet:
        """Staff see every review; everyone else sees published reviews of published claims."""
        if user.is_staff:
            return self
        return self.published().filter(claim__status=ClaimStatus.PUBLISHED)

    def newest_first(self) -> ReviewQuerySet:
        return self.order_by(F("published_on").desc(nulls_last=True), "-id")


class ClaimQuerySet(models.QuerySet):
    def published(self) -> ClaimQuerySet:
        return self.filter(status=ClaimStatus.PUBLISHED)

    def visible_to(self, user) -> ClaimQuerySet:
        """Staff see every claim; everyone else sees published claims only."""
        return self if user.is_staff else self.published()

    def with_verdict(self) -> ClaimQuerySet:
        """Annotate `verdict`: the normalised rating of the newest published review, or None."""
        newest = (
            self.model._meta.get_field("reviews")
            .related_model.objects.published()
            .filter(claim=OuterRef("pk"))
            .newest_first()
            .values("rating")[:1]
        )
        return self.annotate(verdict=Subquery(newest))
