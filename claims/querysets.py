"""Reads: which rows a user may see, and the SQL each read path needs."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils.text import slugify

from .enums import ClaimStatus, Rating, RebuttalStatus, ReviewStatus
from .sqljson import Array, Guarded, Object, Timestamp


def may_view(user, model: type[models.Model]) -> bool:
    """The admin's rule for seeing a model's rows at all (ModelAdmin.has_view_permission):
    its view permission, or its change permission, which implies it.

    An anonymous client holds no permission (the one authentication backend, ModelBackend,
    grants none to an inactive or anonymous user): it is answered without asking the
    backends, which every anonymous read would otherwise load twice."""
    if not user.is_authenticated:
        return False
    app, name = model._meta.app_label, model._meta.model_name
    return user.has_perm(f"{app}.view_{name}") or user.has_perm(f"{app}.change_{name}")


def sees_unpublished(user) -> bool:
    """Whether `user` may see unpublished claims, reviews and rebuttals: the one rule every
    read path (lists, details, nested fields, counts, history) asks.

    It is the permission to view claims (`claims.view_claim`, or `claims.change_claim`), so
    whoever the admin shows the claim list, drafts included, sees the same through the API;
    the staff flag alone (which only lets an account sign in to the admin) shows nothing.
    """
    return may_view(user, apps.get_model("claims", "Claim"))


class OfClaimQuerySet(models.QuerySet):
    """Rows with a workflow status of their own that belong to a claim (reviews, rebuttals):
    who sees them is one rule for both."""

    published_status: str

    def published(self):
        return self.filter(status=self.published_status)

    def visible(self, unpublished: bool):
        """Those who see unpublished records see every row; everyone else sees published rows
        of published claims."""
        if unpublished:
            return self
        return self.of_shown_claim(unpublished).filter(claim__status=ClaimStatus.PUBLISHED)

    def of_shown_claim(self, unpublished: bool):
        """`visible`, for the rows of a claim the client is already known to see (nested in
        the claim's own document): only the row's own status is left to check, which spares
        the document a join back to the claim for every claim (claims.documents)."""
        return self if unpublished else self.published()

    def visible_to(self, user):
        return self.visible(sees_unpublished(user))


class ReviewQuerySet(OfClaimQuerySet):
    published_status = ReviewStatus.PUBLISHED

    def newest_first(self) -> ReviewQuerySet:
        """Newest `published_on` first, undated last, then the highest id: Review.Meta.ordering,
        the order in which the newest published review gives the claim's verdict."""
        return self.order_by(*self.model._meta.ordering)

    def for_api(self) -> ReviewQuerySet:
        """With the reviewer, and `corrections_document` (`corrections_array`)."""
        return self.select_related("reviewer").annotate(
            corrections_document=Cast(corrections_array(review=OuterRef("pk")), TextField())
        )


class ClaimQuerySet(models.QuerySet):
    def published(self) -> ClaimQuerySet:
        return self.filter(status=ClaimStatus.PUBLISHED)

    def visible(self, unpublished: bool) -> ClaimQuerySet:
        """Those who see unpublished records see every claim; everyone else, published ones."""
        return self if unpublished else self.published()

    def visible_to(self, user) -> ClaimQuerySet:
        return self.visible(sees_unpublished(user))

    def for_api(self, user) -> ClaimQuerySet:
        """Everything the claim serializer reads, in a fixed number of queries:
        the claims, then one query each for topics, appearances, rebuttals, the rebuttals
        it is the answer of (`rebuts`) and reviews."""
        related = self.model._meta
        Appearance = related.get_field("appearances").related_model
        Rebuttal = related.get_field("rebuttals").related_model
        Review = related.get_field("reviews").related_model
        Topic = related.get_field("topics").related_model
        return self.select_related("speaker").prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("id", "slug")),
            Prefetch(
                "appearances",
                queryset=Appearance.objects.select_related("source__outlet"),
            ),
            Prefetch("rebuttals", queryset=Rebuttal.objects.visible_to(user).for_api(user)),
            Prefetch("rebuttal_records", queryset=Rebuttal.objects.visible_to(user).answered()),
            Prefetch("reviews", queryset=Review.objects.visible_to(user).for_api()),
            "corrections",
        )


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    """Claim.objects. `visible()` (and `visible_to(user)`) for a client who sees only
    published claims (every anonymous read) clones a queryset built once per process: building
    its filter anew was about 3% of the CPU of a claims list request (bench/README.md). The kept
    queryset is never evaluated, only cloned, so no rows are ever cached in it."""

    _published: ClaimQuerySet | None = None

    def visible(self, unpublished: bool) -> ClaimQuerySet:
        if unpublished:
            return self.all()
        if self._published is None:
            self._published = self.get_queryset().published()
        return self._published.all()

    def visible_to(self, user) -> ClaimQuerySet:
        return self.visible(sees_unpublished(user))


class AppearanceQuerySet(models.QuerySet):
    def visible(self, unpublished: bool) -> AppearanceQuerySet:
        """Those who see unpublished records see every appearance; everyone else, those of
        published claims (an appearance is part of its claim's evidence: it has no status
        of its own, see README "Workflow")."""
        return self if unpublished else self.filter(claim__status=ClaimStatus.PUBLISHED)

    def visible_to(self, user) -> AppearanceQuerySet:
        return self.visible(sees_unpublished(user))

    def for_api(self) -> AppearanceQuerySet:
        return self.select_related("source__outlet")


def corrections_array(**lookup) -> Guarded:
    """The public correction notes of a claim or a review (`claim=…` or `review=…`, an
    OuterRef), newest first, as a JSON array of {text, published_at}: the shape of
    claims.corrections.CorrectionSerializer, in the claim's document and the review's answer."""
    Correction = apps.get_model("claims", "Correction")
    corrections = Correction.objects.filter(**lookup)
    array = Array(
        corrections.values(item=Object(text=F("text"), published_at=Timestamp(F("published_at"))))
    )
    return Guarded(corrections, array)  # few claims or reviews have any


def rebutting_claim_shown(unpublished: bool) -> Q:
    """On a rebuttal: whether its rebutting claim's id may be shown, so that the id of a claim
    the client may not see (a draft) never leaks."""
    shown = Q(rebutting_claim__isnull=False)
    return shown if unpublished else shown & Q(rebutting_claim__status=ClaimStatus.PUBLISHED)


class RebuttalQuerySet(OfClaimQuerySet):
    published_status = RebuttalStatus.PUBLISHED

    def answered(self) -> RebuttalQuerySet:
        """As a claim's `rebuts` lists them: with the answered claim and its speaker, in the
        order of the answered claims' ids."""
        return self.select_related("claim__speaker").order_by("claim_id", "id")

    def for_api(self, user) -> RebuttalQuerySet:
        """Annotates `rebutting_claim_visible` (`rebutting_claim_shown`)."""
        return self.select_related("speaker", "source").annotate(
            rebutting_claim_visible=models.ExpressionWrapper(
                rebutting_claim_shown(sees_unpublished(user)), output_field=models.BooleanField()
            )
        )


class SpeakerQuerySet(models.QuerySet):
    def visible(self, unpublished: bool) -> SpeakerQuerySet:
        """Every client sees every speaker (a speaker has no workflow of its own)."""
        return self

    def with_claim_count(self, user) -> SpeakerQuerySet:
        """Annotate `claim_count`: the speaker's claims that `user` may see."""
        visible = Q() if sees_unpublished(user) else Q(claims__status=ClaimStatus.PUBLISHED)
        return self.annotate(claim_count=Count("claims", filter=visible))

    def for_api(self, user) -> SpeakerQuerySet:
        # Explicit order: Meta.ordering is dropped from GROUP BY queries.
        return self.select_related("affiliation").with_claim_count(user).order_by("name", "id")


def scorecard_counts() -> dict[str, Count]:
    """A speaker's scorecard: how many of their published claims carry each verdict (every
    rating, then `unrated`), as aggregates over those claims. `scorecard()` and the speaker's
    document (claims.documents) both count with these."""
    # Count(1): what is counted is rows (SQLite reads no column for it, unlike Count("pk")).
    one = Value(1)
    conditions = scorecard_conditions()
    return {name: Count(one, filter=condition) for name, condition in conditions.items()}


def scorecard_conditions() -> dict[str, Q]:
    """Each key of a scorecard, in order (every rating, then `unrated`), and the claims it
    counts."""
    return {
        **{rating: Q(verdict=rating) for rating in Rating.values},
        "unrated": Q(verdict__isnull=True),
    }


def scorecard_claims(speaker) -> ClaimQuerySet:
    """The claims a speaker's scorecard counts: their published ones (`speaker` may be an
    OuterRef)."""
    return apps.get_model("claims", "Claim").objects.published().filter(speaker=speaker)


def scorecard(speaker) -> dict[str, int]:
    """The speaker's scorecard, in one query, zeros included."""
    return scorecard_claims(speaker).aggregate(**scorecard_counts())


def similar_speakers(speakers: SpeakerQuerySet, name: str) -> list:
    """The speakers whose name is `name` up to case, spacing and punctuation (`NATO`, `Nato`,
    `N.A.T.O.`), in one query: what a client adding a speaker most likely meant to reuse.

    Compared through the slug of each name, in Python: SQLite folds the case of ASCII
    letters only, and our names are in any script."""
    key = slugify(name, allow_unicode=True)
    if not key:
        return []
    candidates = speakers.filter(
        Q(name__iexact=name.strip()) | Q(slug=key) | Q(slug__startswith=f"{key}-")
    ).order_by("name", "id")
    return [s for s in candidates if slugify(s.name, allow_unicode=True) == key]
