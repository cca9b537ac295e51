"""Bulk export of claims: what each client may see, the list's filters, constant memory."""

import csv
import io
import json
import tracemalloc

import pytest
from django.core.management import call_command

from claims.enums import ClaimStatus
from claims.models import Claim
from newsroom.exports import claim_rows, csv_lines
from tests.factories import ClaimFactory, SpeakerFactory, TopicFactory

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def claims():
    speaker = SpeakerFactory(slug="ada", name="Ada")
    public = ClaimFactory(speaker=speaker, text='She said "no", then yes.', context="On TV")
    public.topics.add(TopicFactory(slug="tax"), TopicFactory(slug="budget"))
    other = ClaimFactory(text="Other speaker.")
    draft = ClaimFactory(speaker=speaker, text="A draft.", status=ClaimStatus.DRAFT)
    return public, other, draft


def test_csv_export_streams_published_claims_to_anonymous_clients(client, claims):
    public, other, _ = claims
    response = client.get("/api/v1/exports/claims.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="claims.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert rows == [
        {
            "id": str(public.pk),
            "text": 'She said "no", then yes.',
            "speaker": "ada",
            "speaker_name": "Ada",
            "speaker_title": "",
            "stated_on": "2020-05-16",
            "context": "On TV",
            "language": "en",
            "topics": "budget;tax",
            "status": "published",
            "verdict": "",
            "created_at": public.created_at.isoformat(),
            "updated_at": public.updated_at.isoformat(),
        },
        {
            **rows[1],
            "id": str(other.pk),
            "text": "Other speaker.",
            "topics": "",
            "context": "",
        },
    ]


def test_jsonl_export_with_the_lists_filters(client, claims):
    public, _, _ = claims
    response = client.get("/api/v1/exports/claims.jsonl?speaker=ada")
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    lines = body(response).splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "id": public.pk,
            "text": 'She said "no", then yes.',
            "speaker": "ada",
            "speaker_name": "Ada",
            "speaker_title": "",
            "stated_on": "2020-05-16",
            "context": "On TV",
            "language": "en",
            "topics": ["budget", "tax"],
            "status": "published",
            "verdict": None,
            "created_at": public.created_at.isoformat(),
            "updated_at": public.updated_at.isoformat(),
        }
    ]


def test_editors_export_drafts_too(client, editor, claims):
    client.force_login(editor)
    response = client.get("/api/v1/exports/claims.jsonl?status=draft")
    assert [json.loads(line)["text"] for line in body(response).splitlines()] == ["A draft."]


def test_anonymous_clients_never_export_drafts(client, claims):
    response = client.get("/api/v1/exports/claims.jsonl?status=draft")
    assert body(response) == ""


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("speakr=ada", {"speakr"}),
        ("stated_after=yesterday", {"stated_after"}),
        ("verdict=wonderful", {"verdict"}),
    ],
)
def test_bad_filters_are_a_json_400(client, claims, query, errors):
    response = client.get(f"/api/v1/exports/claims.csv?{query}", headers={"Accept": "text/csv"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == errors


def test_export_command_writes_a_file_with_progress(tmp_path, claims, capsys):
    public, _, _ = claims
    out = tmp_path / "claims.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), "--filter", "speaker=ada")
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [public.pk]
    assert "1 claims exported" in capsys.readouterr().err


def test_export_command_refuses_a_bad_filter(claims):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="stated_after"):
        call_command("export", "--filter", "stated_after=soon")


def test_fifty_thousand_claims_export_in_flat_memory():
    """The peak of memory allocated while streaming 50,000 claims stays within what a few
    pages take, far below what holding the export would (tracemalloc, not time)."""
    speaker = SpeakerFactory()
    text = "A claim of some length, repeated to make rows the size of real ones. " * 3
    # In batches: one INSERT of 50,000 rows, each indexed for search by a trigger, can outlast
    # the statement timeout on a busy machine.
    Claim.objects.bulk_create(
        (
            Claim(text=f"{n} {text}", speaker=speaker, status=ClaimStatus.PUBLISHED)
            for n in range(50_000)
        ),
        batch_size=2_000,
    )
    claims = Claim.objects.published()

    def peak(count: int) -> tuple[int, int]:
        tracemalloc.start()
        size = 0
        for line in csv_lines(claim_rows(claims.filter(pk__lte=first + count - 1), page=1000)):
            size += len(line)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, top

    first = claims.order_by("id").values_list("id", flat=True)[0]
    small_size, small_peak = peak(5_000)
    full_size, full_peak = peak(50_000)
    assert full_size > 9 * small_size  # ten times the output ...
    assert full_peak < 1.5 * small_peak  # ... in the same memory
    assert full_peak < full_size / 5
