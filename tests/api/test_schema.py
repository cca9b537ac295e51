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
        "ordering",
        "page",
        "page_size",
    }


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
