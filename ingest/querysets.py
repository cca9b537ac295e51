from __future__ import annotations

from django.db import models
from django.db.models import Count, Prefetch, Q


class ArticleQuerySet(models.QuerySet):
    def for_api(self) -> ArticleQuerySet:
        """Everything the article serializer reads, in a fixed number of queries: the articles
        with their source and outlet, then one query for the proposals (with their speakers)
        and one for the proposals' matches."""
        from .models import Proposal

        proposals = Proposal.objects.select_related("speaker").prefetch_related("match_rows")
        return self.select_related("source__outlet").prefetch_related(
            Prefetch("proposals", queryset=proposals)
        )

    def with_counts(self) -> ArticleQuerySet:
        """Proposals per state, for lists, newest first (a grouped query ignores the model's
        ordering, so it is given again)."""
        from .enums import ProposalState

        return self.annotate(
            proposal_count=Count("proposals"),
            pending_count=Count("proposals", filter=Q(proposals__state=ProposalState.PENDING)),
        ).order_by("-created_at", "-id")


class ProposalQuerySet(models.QuerySet):
    def for_api(self) -> ProposalQuerySet:
        return self.select_related("speaker").prefetch_related("match_rows")
