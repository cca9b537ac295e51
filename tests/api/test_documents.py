"""Documents (claims/documents.py) are what the read serializers describe.

The serializers are the schema and, here, the reference: for the same rows, a claim's document
(list, detail, the speaker's claims) and a speaker's detail document equal the serializer's
output, key order included, for anonymous clients and for editors who see drafts, on every
engine the suite runs on. Generated data (hypothesis), with the thresholds that switch plans
overridden, reaches every branch: small and large results (exact and cached counts), index and
scan plans for `q`, and every `ordering` value.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from claims import documents, search, sqljson
from claims.enums import ClaimStatus, Rating, RebuttalStatus, Relation, ReviewStatus
from claims.filters import ClaimFilter
from claims.models import Claim, Correction, Review, Speaker
from claims.querysets import scorecard, sees_unpublished
from claims.serializers import ClaimSerializer, SpeakerDetailSerializer
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    OutletFactory,
    RebuttalFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def serializer_shape(serializer) -> tuple:
    """The keys a serializer writes, in order, nested objects (and list items) as (key, keys)."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    shape = []
    for name, field in serializer.fields.items():
        nested = isinstance(field, serializers.BaseSerializer) and not isinstance(
            field, serializers.ManyRelatedField
        )
        shape.append((name, serializer_shape(field)) if nested else name)
    return tuple(shape)


def document_shape(document: dict) -> tuple:
    """The keys of a document, in order, nested like serializer_shape() (a list's first item
    stands for all of them)."""
    shape = []
    for key, value in document.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = value[0]
        shape.append((key, document_shape(value)) if isinstance(value, dict) else key)
    return tuple(shape)


def rendered(data):
    return json.loads(JSONRenderer().render(data))


def serialized(user, claims=None):
    claims = Claim.objects.visible_to(user).for_api(user) if claims is None else claims
    context = {"unpublished": sees_unpublished(user)}  # staff-only fields for staff only
    return rendered(ClaimSerializer(claims, many=True, context=context).data)


def speaker_serialized(user, slug):
    speaker = Speaker.objects.for_api(user).get(slug=slug)
    speaker.scorecard = scorecard(speaker)
    return rendered(SpeakerDetailSerializer(speaker).data)


@pytest.fixture
def claims():
    """Claims that cover every branch of the shape: null outlets and sources, no rebuttals,
    draft rebutting claims, several reviews with drafts and undated ones, no topics,
    non-Latin text, timestamps with and without microseconds."""
    speaker = SpeakerFactory(name="Jane Doe", slug="jane-doe", job_title="Minister")
    other = SpeakerFactory(name="Алексей Петров", slug="aleksei-petrov")
    topics = [TopicFactory(name="Zeta", slug="zeta"), TopicFactory(name="Alpha", slug="alpha")]
    full = ClaimFactory(
        speaker=speaker,
        text='Unemployment has "halved" — and more.',
        speaker_title="Minister of Labour",
        context="Budget speech",
        stated_on=datetime.date(2021, 3, 4),
    )
    full.topics.set(topics)
    AppearanceFactory(claim=full, quote="has halved", is_first=True)
    AppearanceFactory(claim=full, source=SourceFactory(outlet=None, published_on=None), quote="")
    draft = ClaimFactory(speaker=other, text="Черновик", status=ClaimStatus.DRAFT)
    published_answer = ClaimFactory(speaker=other, text="It has not.", stated_on=None)
    RebuttalFactory(claim=full, speaker=other, rebutting_claim=draft, source=None)
    RebuttalFactory(
        claim=full,
        speaker=other,
        rebutting_claim=published_answer,
        source=SourceFactory(),
        stated_on=datetime.date(2021, 3, 5),
    )
    # A draft answer (hidden from anonymous clients), and a claim that `full` answers.
    RebuttalFactory(claim=full, speaker=other, text="Not yet public.", status=RebuttalStatus.DRAFT)
    answered = ClaimFactory(speaker=other, text="Unemployment is up.")
    RebuttalFactory(
        claim=answered, speaker=speaker, rebutting_claim=full, relation=Relation.DISPUTES
    )
    ReviewFactory(claim=full, rating=Rating.FALSE, published_on=datetime.date(2021, 1, 1))
    ReviewFactory(claim=full, rating=Rating.TRUE, published_on=None)
    ReviewFactory(claim=full, rating=Rating.MIXED, status=ReviewStatus.DRAFT)
    ReviewFactory(claim=published_answer, rating=Rating.MISLEADING, status=ReviewStatus.DRAFT)
    in_review = ClaimFactory(speaker=speaker, status=ClaimStatus.IN_REVIEW)
    ReviewFactory(claim=in_review, rating=Rating.TRUE)
    # Whole-second timestamps: ISO 8601 without a fraction.
    Claim.objects.filter(pk=published_answer.pk).update(
        created_at=datetime.datetime(2022, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    jane = Speaker.objects.get(slug="jane-doe")
    jane.affiliation = SpeakerFactory(name="Government", slug="government")
    jane.save()
    # Staff-only (the assignee) and public (correction notes, one dated to the whole second).
    Claim.objects.filter(pk=full.pk).update(assignee=UserFactory(username="desk-lead"))
    Correction.objects.create(claim=full, text="The date was wrong.")
    whole = Correction.objects.create(claim=full, text="“halved”, not “halfed”.")
    Correction.objects.filter(pk=whole.pk).update(
        published_at=datetime.datetime(2022, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )
    return full


@pytest.mark.parametrize("client_name", ["anon", "editor_client"])
def test_documents_have_the_serializers_keys_in_their_order(request, claims, client_name):
    client = request.getfixturevalue(client_name)
    claim = client.get(f"/api/v1/claims/{claims.pk}/").json()
    context = {"unpublished": client_name == "editor_client"}
    assert document_shape(claim) == serializer_shape(ClaimSerializer(context=context))
    speaker = client.get("/api/v1/speakers/jane-doe/").json()
    assert document_shape(speaker) == serializer_shape(SpeakerDetailSerializer())


@pytest.fixture(params=["as probed", "marked again"])
def json_subtypes(request, monkeypatch):
    """Documents as this SQLite builds them (claims.sqljson.keeps_subtype), and as they are
    built where JSON values lose their subtype in a subquery or a CASE: every nested value
    marked again with json(), the documents compiled anew."""
    if request.param == "marked again":
        if connection.vendor != "sqlite":
            pytest.skip("SQLite's JSON subtypes only")
        version = connection.Database.sqlite_version
        monkeypatch.setitem(sqljson._keeps_subtype, version, False)
        monkeypatch.setattr(documents, "_compiled", {})
        monkeypatch.setattr(documents, "_visible", {})
    return request.param


@pytest.mark.parametrize("client_name", ["anon", "editor_client"])
def test_documents_equal_the_serializer(request, claims, client_name, json_subtypes):
    client = request.getfixturevalue(client_name)
    user = request.getfixturevalue("editor") if client_name == "editor_client" else None
    user = user or AnonymousUser()
    expected = serialized(user)
    listed = client.get("/api/v1/claims/").json()
    assert listed["count"] == len(expected) == (5 if user.is_staff else 3)
    assert listed["results"] == expected
    for claim in expected:
        assert client.get(f"/api/v1/claims/{claim['id']}/").json() == claim
    by_speaker = client.get("/api/v1/speakers/jane-doe/claims/").json()["results"]
    assert by_speaker == [c for c in expected if c["speaker"]["slug"] == "jane-doe"]
    for slug in ("jane-doe", "aleksei-petrov", "government"):
        assert client.get(f"/api/v1/speakers/{slug}/").json() == speaker_serialized(user, slug)
    missing = client.get("/api/v1/speakers/nobody/")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "No Speaker matches the given query."},
    )


@pytest.mark.parametrize("client_name", ["anon", "editor_client"])
def test_browsable_api_renders_the_same_documents(request, claims, client_name):
    client = request.getfixturevalue(client_name)
    for url in ("/api/v1/claims/", f"/api/v1/claims/{claims.pk}/", "/api/v1/speakers/jane-doe/"):
        as_json = client.get(url)
        as_html = client.get(url, HTTP_ACCEPT="text/html")
        assert as_html.status_code == 200
        assert as_html.renderer_context["response"].data == as_json.json()
        assert "Unemployment has" in as_html.content.decode() or "jane-doe" in url
        if "results" not in as_json.json():  # a detail: the same ETag either way
            assert as_html["ETag"] == as_json["ETag"]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_slug_rename_answers_the_document_read_by_the_new_slug(editor_client, method):
    speaker = SpeakerFactory(name="Jane Doe", slug="jane-doe")
    ClaimFactory(speaker=speaker)
    tag = editor_client.get("/api/v1/speakers/jane-doe/")["ETag"]
    data = {"slug": "jane-roe", **({"name": "Jane Doe"} if method == "put" else {})}
    response = getattr(editor_client, method)(
        "/api/v1/speakers/jane-doe/", data, format="json", HTTP_IF_MATCH=tag
    )
    assert response.status_code == 200, response.content
    renamed = editor_client.get("/api/v1/speakers/jane-roe/")
    assert response.json() == renamed.json()
    assert renamed.json()["slug"] == "jane-roe"
    assert renamed.json()["claim_count"] == 1
    assert response["ETag"] == renamed["ETag"] != tag
    assert editor_client.get("/api/v1/speakers/jane-doe/").status_code == 404


def test_writes_answer_the_document_a_get_reads(editor_client):
    speaker = SpeakerFactory(slug="jane-doe")
    created = editor_client.post(
        "/api/v1/claims/", {"text": "Said.", "speaker": "jane-doe"}, format="json"
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/claims/{created.json()['id']}/"
    read = editor_client.get(url)
    assert (created.json(), created["ETag"]) == (read.json(), read["ETag"])
    ReviewFactory(claim_id=created.json()["id"], status=ReviewStatus.DRAFT)
    tag = editor_client.get(url)["ETag"]
    changed = editor_client.patch(url, {"text": "Said again."}, format="json", HTTP_IF_MATCH=tag)
    read = editor_client.get(url)
    assert (changed.json(), changed["ETag"]) == (read.json(), read["ETag"])
    assert len(read.json()["reviews"]) == 1  # the editor sees the draft review
    assert speaker.claims.get().text == "Said again."


def test_a_page_ordered_through_a_join_keeps_the_orms_order(claims):
    """An ordering on a related row's field has no ORDER BY on the claims table alone: the
    page is then read through the ORM whole, in the same order."""
    ordered = Claim.objects.order_by("speaker__name", "-id")
    assert documents.order_sql(Claim, ordered.query.order_by, connection) is None
    page = documents.fetch_page(ordered, True, 1, 4)
    assert [json.loads(text)["id"] for text in page] == [c.pk for c in ordered[1:4]]


def test_pages_keep_their_links_and_out_of_range_pages(anon):
    ClaimFactory.create_batch(5)
    body = anon.get("/api/v1/claims/", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 5
    assert body["next"].endswith("/api/v1/claims/?page=3&page_size=2")
    assert body["previous"].endswith("/api/v1/claims/?page_size=2")
    assert len(body["results"]) == 2
    missing = anon.get("/api/v1/claims/", {"page": 4, "page_size": 2})
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Invalid page."}
    assert anon.get("/api/v1/claims/not-a-number/").status_code == 404


# --- generated data ----------------------------------------------------------------------------

WORDS = ["alpha", "Beta", "gamma", "al", "delta"]
DATES = [None, datetime.date(2020, 1, 1), datetime.date(2020, 1, 1), datetime.date(2021, 6, 1)]
ORDERINGS = [None, *(value for value, _ in ClaimFilter.base_filters["ordering"].field.choices)]
ORDERINGS = [value for value in ORDERINGS if value != ""]
SEARCHES = [None, "alpha", "beta gamma", "ALPHA -delta", "gamma or delta", '"beta gamma"']

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
reviews = st.lists(
    st.tuples(
        st.sampled_from(ReviewStatus.values),
        st.sampled_from(Rating.values),
        st.sampled_from(DATES),
    ),
    max_size=3,
)
claim_specs = st.lists(
    st.fixed_dictionaries(
        {
            "speaker": st.integers(0, 2),
            "status": st.sampled_from(ClaimStatus.values),
            "stated_on": st.sampled_from(DATES),
            "text": texts,
            "whole_second": st.booleans(),
            "topics": st.lists(st.integers(0, 2), max_size=2, unique=True),
            "appearances": st.lists(st.tuples(st.booleans(), texts), max_size=2),
            "rebuttals": st.lists(
                st.tuples(st.integers(0, 7) | st.none(), st.booleans(), st.sampled_from(DATES)),
                max_size=2,
            ),
            "reviews": reviews,
        }
    ),
    min_size=1,
    max_size=7,
)


def build_world(specs):
    speakers = [
        SpeakerFactory(name=name, affiliation=None)
        for name in ("Alpha Minister", "Беta Office", "Zed")
    ]
    speakers[0].affiliation = speakers[2]
    speakers[0].save()
    topics = [TopicFactory(name=name) for name in ("Zeta", "alpha", "Mid")]
    outlet = OutletFactory()
    claims = []
    for spec in specs:
        claim = ClaimFactory(
            speaker=speakers[spec["speaker"]],
            status=spec["status"],
            stated_on=spec["stated_on"],
            text=spec["text"],
        )
        claim.topics.set([topics[i] for i in spec["topics"]])
        for index, (with_outlet, quote) in enumerate(spec["appearances"]):
            source = SourceFactory(outlet=outlet if with_outlet else None)
            AppearanceFactory(claim=claim, source=source, quote=quote, is_first=index == 1)
        for status, rating, published_on in spec["reviews"]:
            ReviewFactory(claim=claim, status=status, rating=rating, published_on=published_on)
        if spec["whole_second"]:
            Claim.objects.filter(pk=claim.pk).update(
                created_at=datetime.datetime(2022, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
            )
        claims.append(claim)
    for claim, spec in zip(claims, specs, strict=True):
        for rebutting, with_source, stated_on in spec["rebuttals"]:
            rebutting_claim = claims[rebutting % len(claims)] if rebutting is not None else None
            if rebutting_claim == claim:
                rebutting_claim = None
            speaker = speakers[(spec["speaker"] + 1) % 3]
            RebuttalFactory(
                claim=claim,
                speaker=speaker,
                relation=Relation.REFUTES,
                rebutting_claim=rebutting_claim,
                source=SourceFactory() if with_source else None,
                stated_on=stated_on,
            )
    return speakers


def reference(user, *, q=None, ordering=None, speaker=None) -> list[dict]:
    """The serializer's list, filtered and ordered as the API promises (`q` best first with
    its score when there is no ordering, undated claims last in either direction, newest id
    first among equals)."""
    claims = Claim.objects.visible_to(user).for_api(user)
    if speaker:
        claims = claims.filter(speaker__slug=speaker)
    if q:
        query = search.parse(q)
        claims = claims.filter(search.condition(query))
        if not ordering:
            claims = claims.annotate(score=search.score(query)).order_by("-score", "-id")
    if ordering:
        field = F(ordering.lstrip("-"))
        first = (
            field.desc(nulls_last=True) if ordering.startswith("-") else field.asc(nulls_last=True)
        )
        claims = claims.order_by(first, "-id")
    return serialized(user, claims)


def listed(client, url, params, page_size) -> tuple[int, list]:
    """Every page of a list, followed through `next`."""
    response = client.get(url, {**params, "page_size": page_size})
    assert response.status_code == 200, response.content
    body = response.json()
    count, results = body["count"], body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        assert body["count"] == count
        results += body["results"]
    return count, results


def newest_published_rating(claim) -> str | None:
    """The verdict rule, as the ORM states it: the newest published review's rating."""
    newest = Review.objects.published().filter(claim=claim).newest_first().first()
    return newest.rating if newest else None


@pytest.mark.parametrize("exact_count_limit", [0, 2, 1000])
def test_documents_equal_the_serializer_on_generated_data(editor, exact_count_limit):
    clients = {"anon": (APIClient(), AnonymousUser())}
    editor_client = APIClient()
    editor_client.force_authenticate(editor)
    clients["editor"] = (editor_client, editor)

    @hypothesis_settings(
        max_examples=6,
        deadline=None,
        # No shrinking: each example builds its rows anew, which makes shrinking take minutes;
        # a failure is reported as generated.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        specs=claim_specs,
        page_size=st.sampled_from([1, 3, 100]),
        q=st.sampled_from(SEARCHES),
    )
    def check(specs, page_size, q):
        caches["per_process"].clear()
        with transaction.atomic():
            speakers = build_world(specs)
            for claim in Claim.objects.all():
                assert claim.verdict == newest_published_rating(claim)
            for client, user in clients.values():
                for ordering in ORDERINGS:
                    params = {k: v for k, v in {"q": q, "ordering": ordering}.items() if v}
                    expected = reference(user, q=q, ordering=ordering)
                    count, results = listed(client, "/api/v1/claims/", params, page_size)
                    assert (count, results) == (len(expected), expected), params
                for claim in reference(user):
                    assert client.get(f"/api/v1/claims/{claim['id']}/").json() == claim
                for speaker in speakers:
                    expected = reference(user, q=q, speaker=speaker.slug)
                    url = f"/api/v1/speakers/{speaker.slug}/claims/"
                    params = {"q": q} if q else {}
                    assert listed(client, url, params, page_size) == (len(expected), expected)
                    detail = client.get(f"/api/v1/speakers/{speaker.slug}/").json()
                    assert detail == speaker_serialized(user, speaker.slug)
            transaction.set_rollback(True)

    with override_settings(EXACT_COUNT_LIMIT=exact_count_limit):
        check()
