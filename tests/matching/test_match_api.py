"""POST /api/v1/claims/match/ and GET /api/v1/claims/{id}/similar/ on the demo data (the
Reuters report: Putin's NATO-legion claim, Stoltenberg's refutation, NATO's statement that it
has no plans to intervene…), with each installed backend."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.enums import ClaimStatus
from claims.models import Claim
from matching.backends import get_backend
from matching.services import vectors_update
from tests.factories import ClaimFactory, SpeakerFactory

from .conftest import INSTALLED, MODELS

pytestmark = pytest.mark.django_db

MATCH = "/api/v1/claims/match/"
LEGION = "A NATO legion is fighting alongside Ukraine government troops in the east of the country."


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return {claim.text: claim for claim in Claim.objects.all()}


def embed_all():
    vectors_update(backend=get_backend())


def listed(client, claim):
    """The claim as the claim list shows it (the list of its speaker's claims)."""
    body = client.get("/api/v1/claims/", {"speaker": claim.speaker.slug, "page_size": 100})
    [document] = [c for c in body.json()["results"] if c["id"] == claim.pk]
    return document


@pytest.mark.parametrize("backend", MODELS)
@pytest.mark.parametrize(
    "text",
    [
        "Putin said NATO has a legion fighting for Kiev",
        "Путин заявил, что на стороне Киева воюет легион НАТО",
    ],
    ids=["english-report", "russian-paraphrase"],
)
def test_match_finds_the_nato_legion_claim(anon, demo, use_backend, backend, text):
    use_backend(backend)
    embed_all()
    legion = demo[LEGION]
    response = anon.post(MATCH, {"text": text}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["backend"] == get_backend().label
    top = body["results"][0]
    assert top["claim"] == listed(anon, legion)
    assert top["match"] in ("likely", "possible")
    assert 0 <= top["score"] <= 1
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= r["score"] < 1 for r in body["results"])  # 1 is for exact repeats


@pytest.mark.parametrize("backend", INSTALLED)
def test_no_plans_to_intervene_is_not_a_likely_match_of_the_legion_claim(
    anon, demo, use_backend, backend
):
    use_backend(backend)
    embed_all()
    body = anon.post(MATCH, {"text": "NATO has no plans to intervene militarily"}, format="json")
    bands = {r["claim"]["id"]: r["match"] for r in body.json()["results"]}
    assert bands.get(demo[LEGION].pk) != "likely"


@pytest.mark.parametrize("backend", MODELS)
def test_no_plans_to_intervene_finds_natos_statement_first(anon, demo, use_backend, backend):
    use_backend(backend)
    embed_all()
    body = anon.post(MATCH, {"text": "NATO has no plans to intervene militarily"}, format="json")
    top = body.json()["results"][0]
    assert top["claim"]["speaker"]["slug"] == "nato"
    assert top["match"] in ("likely", "possible")


@pytest.mark.parametrize("backend", INSTALLED)
def test_an_exact_repeat_is_exact_whatever_the_case_quotes_and_spaces(
    anon, demo, use_backend, backend
):
    use_backend(backend)
    embed_all()
    stoltenberg = demo["There is no NATO legion. The foreign forces in Ukraine are Russian."]
    repeat = "THERE IS NO «NATO» LEGION —\u00a0the foreign forces in Ukraine are Russian!"
    body = anon.post(MATCH, {"text": repeat, "limit": 1}, format="json").json()
    assert body == {
        "backend": get_backend().label,
        "results": [{"score": 1.0, "match": "exact", "claim": listed(anon, stoltenberg)}],
    }


def test_without_a_model_the_lexical_backend_answers_and_says_so(anon, demo, use_backend):
    use_backend("lexical")
    embed_all()
    text = "a NATO legion is fighting alongside Ukraine's government troops in eastern Ukraine"
    body = anon.post(MATCH, {"text": text}, format="json").json()
    assert body["backend"] == "lexical 1"
    assert body["results"][0]["claim"]["id"] == demo[LEGION].pk


@pytest.mark.parametrize("backend", INSTALLED)
def test_a_draft_is_never_matched_for_anonymous_clients_but_is_for_staff(
    anon, editor_client, use_backend, backend
):
    use_backend(backend)
    speaker = SpeakerFactory()
    draft = ClaimFactory(speaker=speaker, text=LEGION, status=ClaimStatus.DRAFT)
    in_review = ClaimFactory(speaker=speaker, text=LEGION + "!", status=ClaimStatus.IN_REVIEW)
    public = ClaimFactory(speaker=speaker, text="The harvest was the best in ten years.")
    embed_all()
    for client, expected in [
        (anon, set()),
        (editor_client, {draft.pk, in_review.pk}),
    ]:
        body = client.post(MATCH, {"text": LEGION}, format="json").json()
        found = {r["claim"]["id"] for r in body["results"]}
        assert found & {draft.pk, in_review.pk} == expected
        assert "legion" not in str([r for r in body["results"] if r["claim"]["id"] == public.pk])
    # Nor through a draft's own similar claims, nor among a public claim's.
    assert anon.get(f"/api/v1/claims/{draft.pk}/similar/").status_code == 404
    similar = anon.get(f"/api/v1/claims/{public.pk}/similar/").json()["results"]
    assert {r["claim"]["id"] for r in similar} & {draft.pk, in_review.pk} == set()
    staff = editor_client.get(f"/api/v1/claims/{draft.pk}/similar/").json()["results"]
    assert staff[0] == {
        "score": 1.0,
        "match": "exact",
        "claim": editor_client.get(f"/api/v1/claims/{in_review.pk}/").json(),
    }


@pytest.mark.parametrize("backend", INSTALLED)
def test_similar_excludes_the_claim_itself(anon, demo, use_backend, backend):
    use_backend(backend)
    embed_all()
    legion = demo[LEGION]
    body = anon.get(f"/api/v1/claims/{legion.pk}/similar/", {"limit": 3}).json()
    assert body["backend"] == get_backend().label
    ids = [r["claim"]["id"] for r in body["results"]]
    assert legion.pk not in ids
    assert len(ids) <= 3


@pytest.mark.parametrize("backend", INSTALLED)
@pytest.mark.parametrize("copies", [1, 3])
def test_match_makes_a_fixed_number_of_queries(anon, use_backend, backend, copies):
    use_backend(backend)
    speaker = SpeakerFactory(slug="jane-doe")
    for n in range(copies):
        ClaimFactory(speaker=speaker, text=LEGION + "!" * n)
    embed_all()
    anon.post(MATCH, {"text": LEGION}, format="json")  # loads this process's matrix
    with CaptureQueriesContext(connection) as queries:
        response = anon.post(MATCH, {"text": LEGION, "speaker": "jane-doe"}, format="json")
    assert [r["match"] for r in response.json()["results"]] == ["exact"] * copies
    # The speaker by slug; the newest vector's id (is the matrix current?); the candidates
    # among the visible claims; their list documents.
    assert len(queries) == 4, [q["sql"] for q in queries]


@pytest.mark.parametrize("backend", INSTALLED)
@pytest.mark.parametrize("copies", [1, 3])
def test_similar_makes_a_fixed_number_of_queries(anon, use_backend, backend, copies):
    use_backend(backend)
    claims = [ClaimFactory(text=LEGION + "!" * n) for n in range(copies + 1)]
    embed_all()
    url = f"/api/v1/claims/{claims[0].pk}/similar/"
    anon.get(url)
    with CaptureQueriesContext(connection) as queries:
        body = anon.get(url).json()
    assert len(body["results"]) == copies
    # The claim; the newest vector's id; the candidates; their list documents.
    assert len(queries) == 4, [q["sql"] for q in queries]


def test_the_matrix_follows_new_and_changed_vectors(anon, use_backend):
    use_backend("use")
    first = ClaimFactory(text="The harvest was the best in ten years.")
    embed_all()
    assert anon.post(MATCH, {"text": LEGION}, format="json").json()["results"] == []
    first.text = LEGION
    first.save()
    embed_all()  # as the worker does after the save (tests/matching/test_vectors.py)
    results = anon.post(MATCH, {"text": LEGION}, format="json").json()["results"]
    assert [(r["claim"]["id"], r["match"]) for r in results] == [(first.pk, "exact")]
    second = ClaimFactory(text="NATO has a legion fighting alongside Ukrainian troops.")
    embed_all()
    results = anon.post(MATCH, {"text": LEGION}, format="json").json()["results"]
    assert [r["claim"]["id"] for r in results] == [first.pk, second.pk]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"text": ["This field is required."]}),
        ({"text": ""}, {"text": ["This field may not be blank."]}),
        ({"text": None}, {"text": ["This field may not be null."]}),
        (
            {"text": "x" * 100_000},
            {"text": ["Ensure this field has no more than 10000 characters."]},
        ),
        ({"text": 5}, {"text": ["Expected a string, got a whole number."]}),
        ({"text": ["a"]}, {"text": ["Expected a string, got a list."]}),
        ({"text": "a", "limit": "5"}, {"limit": ["Expected a whole number, got a string."]}),
        (
            {"text": "a", "limit": 0},
            {"limit": ["Ensure this value is greater than or equal to 1."]},
        ),
        ({"text": "a", "limit": 51}, {"limit": ["Ensure this value is less than or equal to 50."]}),
        (
            {"text": "a", "speaker": "nobody"},
            {"speaker": ["Object with slug=nobody does not exist."]},
        ),
        ({"text": "a", "speaker": 7}, {"speaker": ["Expected a string, got a whole number."]}),
        ({"text": "a", "language": "not a tag"}, None),
        (
            {"text": "a", "verdict": "false"},
            {"verdict": ["Unknown field. Allowed here: text, speaker, language, limit."]},
        ),
    ],
)
def test_bad_bodies_answer_400_naming_the_field(anon, body, errors):
    response = anon.post(MATCH, body, format="json")
    assert response.status_code == 400, response.content
    if errors is None:
        assert list(response.json()) == ["language"]
    else:
        assert response.json() == errors


def test_a_body_that_is_no_object_answers_400(anon):
    response = anon.post(MATCH, ["text"], format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"limit": "x"}, {"limit": ["A valid integer is required."]}),
        ({"limit": "0"}, {"limit": ["Ensure this value is greater than or equal to 1."]}),
        ({"page": "2"}, {"page": ["Unknown field. Allowed here: limit."]}),
    ],
)
def test_bad_similar_parameters_answer_400(anon, query, errors):
    claim = ClaimFactory()
    response = anon.get(f"/api/v1/claims/{claim.pk}/similar/", query)
    assert (response.status_code, response.json()) == (400, errors)


def test_similar_of_an_unknown_claim_is_404(anon):
    assert anon.get("/api/v1/claims/999999/similar/").status_code == 404


@pytest.mark.parametrize("backend", INSTALLED)
@pytest.mark.parametrize(
    "text",
    [
        "\x00",
        "NATO\x00legion",
        "!!!",
        "   ",
        "🙂" * 500,
        "'); drop table claims_claim; --",
        "x" * 10_000,
    ],
    ids=["nul", "nul-inside", "punctuation", "spaces", "emoji", "sql", "longest"],
)
def test_odd_texts_are_answered_not_refused_with_a_500(anon, use_backend, backend, text):
    use_backend(backend)
    ClaimFactory(text=LEGION)
    embed_all()
    response = anon.post(MATCH, {"text": text}, format="json")
    if "\x00" in text:
        assert response.json() == {"text": ["Null characters are not allowed."]}
    elif not text.strip():
        assert response.json() == {"text": ["This field may not be blank."]}
    else:
        assert response.status_code == 200, response.content
        assert response.json()["backend"] == get_backend().label
        assert all(r["match"] != "exact" for r in response.json()["results"])
    assert Claim.objects.count() == 1


def test_matching_is_throttled_like_every_read(anon, settings, use_backend):
    use_backend("lexical")
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = rest | {"DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": None}}
    claim = ClaimFactory()
    answers = [
        anon.post(MATCH, {"text": "prices"}, format="json").status_code,
        anon.get(f"/api/v1/claims/{claim.pk}/similar/").status_code,
        anon.post(MATCH, {"text": "prices"}, format="json").status_code,
    ]
    assert answers == [200, 200, 429]
