"""Atom feeds of published claims and reviews (django.contrib.syndication), under /feeds/.

Only what anonymous clients may read: the feeds ask the same visibility rule as the API
(claims.querysets, for an anonymous user), whoever requests them. Each feed is a fixed number
of queries: its object (speaker, topic) if any, then its items with what they show joined in.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.enums import Rating
from claims.models import Claim, Review, Speaker, Topic

ITEMS = 50
PUBLIC = AnonymousUser()


def public_claims():
    """Published claims, the most recently changed first (Atom orders entries by `updated`)."""
    return Claim.objects.visible_to(PUBLIC).select_related("speaker").order_by("-updated_at", "-id")


class ClaimFeed(Feed):
    feed_type = Atom1Feed
    title = "Claims"
    subtitle = "Newly published or updated claims, with their verdicts."

    def link(self, obj=None):
        return reverse("claim-list")

    def items(self, obj=None):
        return public_claims()[:ITEMS]

    def item_title(self, claim):
        return f"{claim.speaker.name}: {claim.text[:120]}"

    def item_description(self, claim):
        verdict = claim.get_verdict_display() if claim.verdict else "not yet rated"
        return f"{claim.text}\n\nVerdict: {verdict}."

    def item_link(self, claim):
        return reverse("claim-detail", args=[claim.pk])

    def item_updateddate(self, claim):
        return claim.updated_at

    def item_pubdate(self, claim):
        return claim.created_at

    def item_author_name(self, claim):
        return claim.speaker.name

    def item_categories(self, claim):
        return [claim.verdict] if claim.verdict else []


class SpeakerClaimFeed(ClaimFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Speaker, slug=slug)

    def title(self, speaker):
        return f"Claims by {speaker.name}"

    def link(self, speaker):
        return reverse("speaker-claims", args=[speaker.slug])

    def items(self, speaker):
        return public_claims().filter(speaker=speaker)[:ITEMS]


class TopicClaimFeed(ClaimFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"Claims about {topic.name}"

    def link(self, topic):
        return reverse("claim-list") + f"?topic={topic.slug}"

    def items(self, topic):
        return public_claims().filter(topics=topic)[:ITEMS]


class VerdictClaimFeed(ClaimFeed):
    def get_object(self, request, rating):
        if rating not in Rating.values:
            raise Http404("No such verdict.")
        return Rating(rating)

    def title(self, rating):
        return f"Claims rated {rating.label}"

    def link(self, rating):
        return reverse("claim-list") + f"?verdict={rating.value}"

    def items(self, rating):
        return public_claims().filter(verdict=rating.value)[:ITEMS]


class ReviewFeed(Feed):
    feed_type = Atom1Feed
    title = "Fact-checks"
    subtitle = "Newly published reviews of published claims."

    def link(self):
        return reverse("review-list")

    def items(self):
        reviews = Review.objects.visible_to(PUBLIC).newest_first()
        return reviews.select_related("reviewer", "claim__speaker")[:ITEMS]

    def item_title(self, review):
        rating = review.textual_rating or review.get_rating_display()
        return f"{review.reviewer.name}: {rating} — {review.claim.speaker.name}"

    def item_description(self, review):
        return f"{review.claim.text}\n\n{review.summary}".strip()

    def item_link(self, review):
        return reverse("review-detail", args=[review.pk])

    def item_pubdate(self, review):
        return review.published_on and _midnight(review.published_on)

    def item_author_name(self, review):
        return review.reviewer.name

    def item_categories(self, review):
        return [review.rating]


def _midnight(day):
    import datetime

    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
