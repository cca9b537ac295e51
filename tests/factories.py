"""factory_boy factories: the smallest valid row, related rows created as needed."""

import datetime

import factory
from django.contrib.auth import get_user_model

from claims.enums import ClaimStatus, Rating, RebuttalStatus, Relation, ReviewStatus, SpeakerKind
from claims.models import Appearance, Claim, Rebuttal, Review, Speaker, Topic
from sources.enums import Medium, OutletKind
from sources.models import Outlet, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    kind = OutletKind.NEWSPAPER
    country = "GB"


class FactCheckerFactory(OutletFactory):
    name = factory.Sequence(lambda n: f"Fact Checker {n}")
    slug = factory.Sequence(lambda n: f"fact-checker-{n}")
    kind = OutletKind.FACT_CHECKER


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report number {n}")
    url = factory.Sequence(lambda n: f"https://news.example/reports/{n}")
    outlet = factory.SubFactory(OutletFactory)
    authors = "A. Reporter"
    published_on = datetime.date(2020, 5, 17)
    medium = Medium.ARTICLE


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    kind = SpeakerKind.PERSON


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Statement number {n} about the economy.")
    speaker = factory.SubFactory(SpeakerFactory)
    stated_on = datetime.date(2020, 5, 16)
    status = ClaimStatus.PUBLISHED


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    quote = factory.LazyAttribute(lambda a: a.claim.text)
    is_first = False


class RebuttalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rebuttal

    claim = factory.SubFactory(ClaimFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    text = "That is not so."
    relation = Relation.REFUTES
    # Published, as the claims and reviews here are: a test means a draft when it says so.
    status = RebuttalStatus.PUBLISHED


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    claim = factory.SubFactory(ClaimFactory)
    reviewer = factory.SubFactory(FactCheckerFactory)
    rating = Rating.FALSE
    textual_rating = "False"
    published_on = datetime.date(2020, 5, 20)
    status = ReviewStatus.PUBLISHED


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ingest.Article"

    source = factory.SubFactory(SourceFactory)
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    title = factory.LazyAttribute(lambda a: a.source.title)
    language = "en"
    text = '"The harbour is open," Ida Vorn said.'


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ingest.Proposal"

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    quote = "The harbour is open"
    start = 1
    end = 20
    kind = "direct"
    text = "The harbour is open"
    speaker_name = "Ida Vorn"
    confidence = 0.9


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsroom.Subscription"

    owner = factory.SubFactory(UserFactory)
    target_url = "https://partner.example/hooks"
    events = factory.LazyFunction(
        lambda: [
            "claim.published",
            "review.published",
            "claim.verdict_changed",
            "claim.corrected",
            "claim.unpublished",
        ]
    )
