"""Ingested articles and the statements proposed from them, waiting for an editor's decision.

An Article is one report read once: the Source it made (or found again), the text the proposals'
spans index into, and a hash of that text so that the same report ingested again is found
instead of read twice. A Proposal is one statement found in it, with its speaker (one already
on file, or a name and job title to create), and, once an editor has decided, the records that
decision created.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from api.concurrency import Versioned
from claims.enums import Relation, SpeakerKind
from claims.models import Appearance, Claim, Rebuttal, Speaker
from sources.models import Source
from sources.validators import validate_not_in_future

from .enums import ProposalState, StatementKind
from .querysets import ArticleQuerySet, ProposalQuerySet


class Article(models.Model):
    """A report as it was ingested. Its Source holds the public metadata; this keeps what the
    proposals need (the text they point into) and what makes ingestion idempotent."""

    source = models.OneToOneField(Source, on_delete=models.PROTECT, related_name="ingested")
    source_created = models.BooleanField(
        default=False, help_text="Whether ingestion created the source (else it was on file)."
    )
    url = models.URLField(
        max_length=1000, blank=True, help_text="The URL given or fetched, after redirects."
    )
    content_hash = models.CharField(
        max_length=64,
        unique=True,
        help_text="SHA-256 of the text with its white space collapsed: the same report twice.",
    )
    title = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=35, blank=True, help_text="Detected or declared.")
    text = models.TextField(help_text="The article text the proposals' spans index into.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who ingested it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="article_created_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="article_text_not_empty"),
            models.CheckConstraint(condition=~Q(content_hash=""), name="article_hash_not_empty"),
        ]

    def __str__(self):
        return self.title or f"Article #{self.pk}"


class Proposal(Versioned):
    """A statement proposed from an article: its verbatim words, where they are, who said them
    and when, and whether it answers another proposal of the same article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="proposals")
    position = models.PositiveIntegerField(help_text="Order in the article, from 1.")
    quote = models.TextField(max_length=10_000, help_text="The verbatim words: text[start:end].")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=StatementKind.choices)
    text = models.TextField(
        max_length=10_000, help_text="The claim's text when accepted: the quote unless edited."
    )
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A speaker on file; when empty, accepting creates one from the name below.",
    )
    speaker_name = models.CharField(max_length=200, help_text="The name the article gives.")
    speaker_job_title = models.CharField(max_length=200, blank=True)
    speaker_kind = models.CharField(
        max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.PERSON
    )
    stated_on = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    confidence = models.FloatField()
    answers = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_by",
        help_text="The proposal of the same article this one rebuts.",
    )
    relation = models.CharField(max_length=20, choices=Relation.choices, blank=True)
    state = models.CharField(
        max_length=20, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    # Likely matches among stored claims: filled by claim matching (issue 12), not here.
    matches = models.ManyToManyField(Claim, through="ProposalMatch", blank=True, related_name="+")
    # What the editor's decision made.
    claim = models.ForeignKey(
        Claim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        help_text="The claim accepting created, or the one it was merged into.",
    )
    speaker_created = models.BooleanField(default=False)
    appearance = models.ForeignKey(
        Appearance, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rebuttal = models.ForeignKey(
        Rebuttal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The rebuttal recording that this statement answers another.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position"]
        indexes = [models.Index(fields=["state"], name="proposal_state_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="proposal_position_unique"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="proposal_span_order"),
            models.CheckConstraint(condition=~Q(quote=""), name="proposal_quote_not_empty"),
            models.CheckConstraint(condition=~Q(text=""), name="proposal_text_not_empty"),
            models.CheckConstraint(
                condition=Q(state__in=ProposalState.values), name="proposal_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="proposal_confidence_range",
            ),
            models.CheckConstraint(
                condition=~Q(answers=F("pk")), name="proposal_not_answering_itself"
            ),
            models.CheckConstraint(
                condition=Q(answers__isnull=True) | ~Q(relation=""),
                name="proposal_answer_has_relation",
            ),
        ]

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else self.quote[:59] + "…"
        return f"{self.speaker_name}: “{quote}”"


class ProposalMatch(models.Model):
    """A stored claim that a proposal may repeat, and how alike the two are (claim matching
    fills these; the editor then merges instead of creating a duplicate)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="match_rows")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["proposal", "-score", "claim_id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "claim"], name="proposal_match_once")
        ]

    def __str__(self):
        return f"Proposal #{self.proposal_id} ~ claim #{self.claim_id} ({self.score:.2f})"
