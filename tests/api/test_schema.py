import jsonschema
import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_document_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns every generator warning into a SchemaGenerationError.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    paths = set(schema["paths"])
    assert {
        "/api/v1/speakers/",
        "/api/v1/speakers/{slug}/",
        "/api/v1/speakers/{speaker_slug}/claims/",
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/claims/{id}/appearances/",
        "/api/v1/rebuttals/",
        "/api/v1/reviews/",
        "/api/v1/sources/",
        "/api/v1/outlets/",
        "/api/v1/topics/",
    } <= paths
    claim_filters = {p["name"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert claim_filters == {
        "speaker",
        "speaker_kind",
        "affiliation",
        "topic",
        "verdict",
        "status",
        "language",
        "stated_after",
        "stated_before",
        "source",
        "outlet",
        "rebutted_by",
        "has_rebuttal",
        "has_review",
        "q",
        "assignee",
        "ordering",
        "page",
        "page_size",
    }
    # The path gives the speaker: the same filters, less that one.
    nested = schema["paths"]["/api/v1/speakers/{speaker_slug}/claims/"]["get"]["parameters"]
    assert {p["name"] for p in nested} == claim_filters - {"speaker"} | {"speaker_slug"}


def test_schema_endpoint_serves_openapi_3(anon):
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_docs_page_loads_nothing_from_another_host(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html and "//unpkg" not in html and "jsdelivr" not in html


@pytest.fixture(scope="module")
def document():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_request_bodies_are_json_only(document):
    bodies = {
        (path, method): sorted(operation["requestBody"]["content"])
        for path, method, operation in operations(document)
        if "requestBody" in operation
    }
    assert len(bodies) >= 20
    assert set(map(tuple, bodies.values())) == {("application/json",)}


def test_every_operation_has_a_description_of_its_own(document):
    descriptions = [operation.get("description", "") for *_, operation in operations(document)]
    assert all(descriptions)
    assert len(set(descriptions)) == len(descriptions)


def test_every_query_parameter_is_described_with_its_allowed_values(document):
    parameters = {
        (path, parameter["name"]): parameter
        for path, _, operation in operations(document)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }
    assert not [key for key, parameter in parameters.items() if not parameter.get("description")]
    claims = {name: p for (path, name), p in parameters.items() if path == "/api/v1/claims/"}
    assert claims["speaker"]["schema"] == {
        "type": "array",
        "items": {"type": "string", "minLength": 1, "maxLength": 200},
    }
    assert claims["speaker"]["description"] == (
        "Speaker slug (see /api/v1/speakers/); repeat for several (either matches). A value "
        "that is no slug is looked up among the speakers' aliases, up to case (`?speaker="
        "Владимир Путин`); an alias of several speakers is a 400 naming their slugs."
    )
    assert claims["topic"]["description"].startswith("Topic slug")
    assert (claims["has_review"]["schema"], claims["has_review"]["description"]) == (
        {"type": "boolean"},
        "Has a review the client may see.",
    )
    assert claims["status"]["schema"]["enum"] == ["draft", "in_review", "published"]


def test_write_fields_say_whether_they_take_a_slug_or_an_id(document):
    schemas = document["components"]["schemas"]
    described = {
        (name, field): schemas[name]["properties"][field]["description"]
        for name, field in [
            ("ClaimWriteRequest", "speaker"),
            ("ClaimWriteRequest", "topics"),
            ("RebuttalWriteRequest", "claim"),
            ("RebuttalWriteRequest", "source"),
            ("ReviewWriteRequest", "reviewer"),
            ("AppearanceWriteRequest", "source"),
            ("SourceWriteRequest", "outlet"),
        ]
    }
    assert described == {
        ("ClaimWriteRequest", "speaker"): "Slug of a speaker.",
        ("ClaimWriteRequest", "topics"): (
            "Slugs of topics. At most 20; a repeated slug counts once."
        ),
        ("RebuttalWriteRequest", "claim"): "Id of a claim.",
        ("RebuttalWriteRequest", "source"): "Id of a source.",
        ("ReviewWriteRequest", "reviewer"): "Slug of an outlet.",
        ("AppearanceWriteRequest", "source"): "Id of a source.",
        ("SourceWriteRequest", "outlet"): "Slug of an outlet.",
    }


def test_errors_share_one_component_per_shape(document):
    errors = {}
    for _, _, operation in operations(document):
        for status, response in operation["responses"].items():
            if status >= "400":
                # JSON, or JSON-LD for the ClaimReview documents (interop)
                (content,) = response["content"].values()
                errors.setdefault(status, set()).add(content["schema"]["$ref"])
    assert errors == {
        "400": {"#/components/schemas/ValidationError"},
        # a ClaimReview import whose refused entries stopped it: the report (interop)
        "422": {"#/components/schemas/ImportReport"},
        **{
            status: {"#/components/schemas/Error"}
            for status in ["401", "403", "404", "409", "412", "413", "428", "429"]
        },
    }


def test_creating_a_speaker_is_documented_with_its_namesakes(document):
    created = document["paths"]["/api/v1/speakers/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SpeakerCreated"
    }
    properties = document["components"]["schemas"]["SpeakerCreated"]["properties"]
    assert properties["similar_speakers"]["items"] == {"$ref": "#/components/schemas/SpeakerRef"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["detail", "code"])
def test_a_parameter_named_like_the_error_keys_answers_what_the_document_says(document, anon, name):
    """A 400 for an unknown `?detail=` holds its messages under `detail`, as a list."""
    response = anon.get(f"/api/v1/claims/?{name}=x")
    assert response.status_code == 400
    assert list(response.json()) == [name]
    schema = document["components"]["schemas"]["ValidationError"]
    jsonschema.validate(response.json(), schema)
    jsonschema.validate({"detail": "Malformed JSON."}, schema)
