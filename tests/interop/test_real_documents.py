"""The real ClaimReview documents in ../shared/data/claimreview/ (read at run time, never
copied): each real ClaimReview imports; the MediaReview is refused with a reason."""

from pathlib import Path

import pytest

from claims.models import Review
from interop.parse import read_document
from interop.services import CommandLine, claimreview_import

FOLDER = Path(__file__).resolve().parents[3] / "shared" / "data" / "claimreview"
FILES = sorted(FOLDER.glob("*.json")) + sorted(FOLDER.glob("*.html")) if FOLDER.is_dir() else []

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not FILES, reason=f"{FOLDER} is absent (the shared samples)"),
]


def test_every_real_claimreview_imports_and_the_media_review_is_refused():
    documents = [read_document(path.read_bytes(), name=path.name) for path in FILES]
    report = claimreview_import(documents=documents, by=CommandLine(), skip_invalid=True)
    refused = {(r["document"], r["reason"]) for r in report.rejections}
    assert refused == {
        (
            "06-schemaorg-eg0467-mediareview-NOT-claimreview.json",
            "a MediaReview is not a ClaimReview: only ClaimReviews are imported.",
        )
    }
    for name, outcome in report.files.items():
        if not name.startswith("06-"):
            assert outcome["created"] + outcome["updated"] >= 1, (name, outcome)
    # Reimporting the folder creates nothing. (Some files are two versions of one review,
    # under one URL: each import leaves the later file's version, so those count as updated.)
    again = claimreview_import(documents=documents, by=CommandLine(), skip_invalid=True)
    assert (again.created, again.rejected) == (0, 1)
    assert again.unchanged + again.updated == report.created + report.updated
    assert Review.objects.count() == report.created
