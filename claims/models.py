from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from api.concurrency import Versioned
from sources.models import Outlet, Source
from sources.validators import (
    COUNTRY_CODE_PATTERN,
    LANGUAGE_TAG_PATTERN,
    WIKIDATA_ID_PATTERN,
    unique_slug,
    validate_aliases,
    validate_country_code,
    validate_http_url,
    validate_language_tag,
    validate_not_in_future,
    validate_wikidata_id,
)

from .enums import ClaimStatus, Rating, RebuttalStatus, Relation, ReviewStatus, SpeakerKind
from .fingerprint import FingerprintField
from .querysets import (
    AppearanceQuerySet,
    ClaimManager,
    RebuttalQuerySet,
    ReviewQuerySet,
    SpeakerQuerySet,
)


class Speaker(Versioned):
    """A person, organisation or government that makes claims or rebuts them."""

    name = models.CharField(max_length=200)
    aliases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_aliases],
        help_text='Other spellings and scripts of the name, e.g. ["Владимир Путин"].',
    )
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, blank=True)
    kind = models.CharField(max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    job_title = models.CharField(max_length=200, blank=True, help_text='e.g. "Secretary-General"')
    affiliation = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The organisation or government the speaker belongs to.",
    )
    country = models.CharField(
        max_length=2, blank=True, validators=[validate_country_code], help_text="ISO 3166-1 alpha-2"
    )
    description = models.TextField(max_length=5_000, blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[validate_wikidata_id]
    )

    objects = SpeakerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["kind"], name="speaker_kind_idx"),
            models.Index(fields=["country"], name="speaker_country_idx"),
            models.Index(fields=["name"], name="speaker_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="speaker_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=WIKIDATA_ID_PATTERN),
                name="speaker_wikidata_id_format",
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="speaker_wikidata_id_unique_when_present",
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=COUNTRY_CODE_PATTERN),
                name="speaker_country_iso_alpha2",
            ),
            models.CheckConstraint(
                condition=~Q(affiliation=F("pk")), name="speaker_not_affiliated_to_self"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.slug and self.name:
            self.slug = unique_slug(Speaker, self.name)
        if self.pk and self.affiliation_id == self.pk:
            raise ValidationError({"affiliation": "A speaker cannot be affiliated to itself."})


class Topic(Versioned):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_empty")]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.slug and self.name:
            self.slug = unique_slug(Topic, self.name)


class Claim(Versioned):
    """A statement made by a speaker, moving through draft → in review → published."""

    text = models.TextField(max_length=10_000, help_text="The statement, as made.")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="claims")
    speaker_title = models.CharField(
        max_length=200, blank=True, help_text="The speaker's role when the claim was made."
    )
    stated_on = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    context = models.TextField(
        max_length=5_000,
        blank=True,
        help_text='Where and how: "remarks to students in St Petersburg".',
    )
    language = models.CharField(
        max_length=35, default="en", validators=[validate_language_tag], help_text="BCP-47 tag"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    # NULL, not "": no verdict, as the API says it (null) and as the triggers compute it.
    verdict = models.CharField(  # noqa: DJ001
        max_length=20,
        choices=Rating.choices,
        null=True,
        blank=True,
        editable=False,
        help_text="Rating of the newest published review; the database keeps it (verdicts.py).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Exact repeats (claim matching): kept by the field on every ORM write. Nullable, so that
    # SQLite adds the column in place (a table rebuild would drop the verdict triggers).
    fingerprint = FingerprintField(
        source="text", help_text="SHA-256 of the text with case, punctuation and forms folded."
    )
    # Staff only: never in an anonymous answer, export or feed (claims/documents.py).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,  # claim_assignee_idx
        related_name="assigned_claims",
        help_text="The editor working on this claim.",
    )

    objects = ClaimManager()
    # The verdict is derived from reviews, which have their own history; so is the fingerprint
    # from the text.
    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=["verdict", "fingerprint"])

    class Meta:
        ordering = [F("stated_on").desc(nulls_last=True), "-id"]
        # Editing a claim and making it public are separate trusts: see the admin's actions.
        permissions = [
            ("publish_claim", "Can publish and unpublish claims"),
            ("publish_unreviewed_claim", "Can publish claims that were never in review"),
        ]
        indexes = [
            models.Index(fields=["speaker", "-stated_on", "-id"], name="claim_speaker_stated_idx"),
            models.Index(fields=["-stated_on", "-id"], name="claim_stated_idx"),
            models.Index(fields=["status"], name="claim_status_idx"),
            # A speaker's scorecard counts verdicts from this index alone.
            models.Index(fields=["speaker", "status", "verdict"], name="claim_scorecard_idx"),
            models.Index(fields=["language"], name="claim_language_idx"),
            models.Index(fields=["created_at"], name="claim_created_idx"),
            models.Index(fields=["updated_at"], name="claim_updated_idx"),
            models.Index(fields=["fingerprint"], name="claim_fingerprint_idx"),
            # Most claims (imports above all) are nobody's: they cost this index nothing.
            models.Index(
                fields=["assignee"],
                condition=Q(assignee__isnull=False),
                name="claim_assignee_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(
                condition=Q(language__regex=LANGUAGE_TAG_PATTERN), name="claim_language_bcp47"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{text} (#{self.pk})" if self.pk else text


class Appearance(Versioned):
    """A claim appears in a source, in these verbatim words."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="appearances")
    quote = models.TextField(
        max_length=10_000, blank=True, help_text="The verbatim words in that source."
    )
    is_first = models.BooleanField(
        "first known appearance", default=False, help_text="At most one per claim."
    )

    objects = AppearanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_first", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="appearance_once_per_source"),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(is_first=True),
                name="appearance_one_first_per_claim",
                violation_error_message="This claim already has a first appearance.",
            ),
        ]

    def __str__(self):
        # The admin's inline caption: whose words, where. (Inlines and lists select the
        # related rows; the claim is the page's own.)
        return f"{self.claim.speaker} in “{self.source.title}”"


class Rebuttal(Versioned):
    """Another speaker's answer to a claim (or the speaker's own correction of it)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="rebuttals")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="rebuttals")
    text = models.TextField(max_length=10_000, help_text="The rebutting statement.")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="rebuttals"
    )
    stated_on = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    relation = models.CharField(max_length=20, choices=Relation.choices, default=Relation.REFUTES)
    rebutting_claim = models.ForeignKey(
        Claim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rebuttal_records",
        help_text="The rebutting statement's own claim record, so it can be fact-checked too.",
    )
    status = models.CharField(
        max_length=20, choices=RebuttalStatus.choices, default=RebuttalStatus.DRAFT
    )

    objects = RebuttalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [F("stated_on").asc(nulls_last=True), "id"]
        # What a claim's readers see of its answers: a trust of its own, as for claims.
        permissions = [("publish_rebuttal", "Can publish and unpublish rebuttals")]
        indexes = [
            models.Index(fields=["relation"], name="rebuttal_relation_idx"),
            models.Index(fields=["status"], name="rebuttal_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="rebuttal_text_not_empty"),
            models.CheckConstraint(
                condition=~Q(rebutting_claim=F("claim")), name="rebuttal_not_of_itself"
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values), name="rebuttal_relation_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RebuttalStatus.values), name="rebuttal_status_valid"
            ),
        ]

    def __str__(self):
        where = f" in “{self.source.title}”" if self.source_id else ""
        return f"{self.get_relation_display()}, by {self.speaker}{where}"

    def clean(self):
        own_claim = self.claim_id and self.speaker_id and self.claim.speaker_id == self.speaker_id
        if own_claim and self.relation != Relation.CORRECTS:
            raise ValidationError(
                {"relation": "A speaker answering their own claim corrects it: use 'corrects'."}
            )
        if self.claim_id and self.rebutting_claim_id == self.claim_id:
            raise ValidationError({"rebutting_claim": "A claim cannot rebut itself."})


class Review(Versioned):
    """A fact-checker's verdict on a claim, aligned with schema.org ClaimReview."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The fact-checking organisation.",
    )
    rating = models.CharField(max_length=20, choices=Rating.choices)
    textual_rating = models.CharField(
        max_length=200, blank=True, help_text='The reviewer\'s own label, verbatim: "Pants on Fire"'
    )
    rating_value = models.IntegerField(null=True, blank=True)
    best_rating = models.IntegerField(null=True, blank=True)
    worst_rating = models.IntegerField(null=True, blank=True)
    summary = models.TextField(max_length=10_000, blank=True)
    url = models.URLField(max_length=1000, blank=True, validators=[validate_http_url])
    # Nullable without a default, so that SQLite adds the column in place: rebuilding the table
    # would drop the triggers that keep Claim.verdict (claims/verdicts.py).
    title = models.CharField(  # noqa: DJ001
        max_length=500,
        null=True,
        blank=True,
        help_text="The fact-check's headline (ClaimReview `name`).",
    )
    published_on = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    date_modified = models.DateField(
        null=True,
        blank=True,
        validators=[validate_not_in_future],
        help_text="When the reviewer last changed the fact-check (ClaimReview `dateModified`).",
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )

    objects = ReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        # A published verdict counts in scorecards: publishing is a trust of its own, as for claims.
        permissions = [("publish_review", "Can publish and unpublish reviews")]
        indexes = [
            models.Index(
                fields=["claim", "status", "-published_on"], name="review_claim_status_idx"
            ),
            models.Index(fields=["rating"], name="review_rating_idx"),
            models.Index(fields=["status"], name="review_status_idx"),
            models.Index(fields=["published_on"], name="review_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__in=Rating.values), name="review_rating_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    (
                        Q(rating_value__isnull=True)
                        | Q(best_rating__isnull=True)
                        | Q(rating_value__lte=F("best_rating"))
                    )
                    & (
                        Q(rating_value__isnull=True)
                        | Q(worst_rating__isnull=True)
                        | Q(worst_rating__lte=F("rating_value"))
                    )
                    & (
                        Q(best_rating__isnull=True)
                        | Q(worst_rating__isnull=True)
                        | Q(worst_rating__lte=F("best_rating"))
                    )
                ),
                name="review_rating_value_within_scale",
                violation_error_message="Ratings must satisfy worst ≤ value ≤ best.",
            ),
        ]

    def __str__(self):
        return f"{self.get_rating_display()}, by {self.reviewer}"


class ClaimNote(models.Model):
    """A staff-only note on a claim: never in an anonymous answer, export, feed or history."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(max_length=5_000)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="claimnote_text_not_empty")
        ]

    def __str__(self):
        when = f", {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""
        return f"Note by {self.author or 'a former account'}{when}"


class Correction(models.Model):
    """A public note that a published claim or review was corrected (schema.org `correction`).

    Belongs to exactly one of a claim or a review; written by claims.corrections."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    text = models.TextField(max_length=2_000, help_text="What was corrected, for readers.")
    published_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
            models.CheckConstraint(
                condition=(Q(claim__isnull=False) & Q(review__isnull=True))
                | (Q(claim__isnull=True) & Q(review__isnull=False)),
                name="correction_of_claim_or_review",
            ),
        ]

    def __str__(self):
        return f"Correction: {self.text[:60]}"
