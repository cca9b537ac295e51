"""Reviews as schema.org ClaimReview documents (JSON-LD), and pages of them as a DataFeed.

Each document carries what Google's fact-check structured-data guidelines require
(`claimReviewed`, `reviewRating` with `alternateName`, `url` when the review has one) and the
recommended properties when the data exists (`author` with `name` and `url`, `datePublished`,
`itemReviewed` as a Claim with its `author`, `datePublished`, `appearance` and
`firstAppearance`). `claimReviewed` is the claim shortened to 75 characters on a word
boundary; `itemReviewed.text` keeps the whole of it, so an import loses nothing.

Rebuttals, which ClaimReview cannot express, go under `factcheck:rebuttals` (the prefix
`factcheck` is declared in the document's `@context` as `urn:factcheck:`), a list of Claims
by other speakers: `text`, `author`, `datePublished`, `appearance`, and `relation` (refutes,
disputes, corrects or contextualizes). Consumers that do not know the key ignore it.

Correction notes (claims.corrections) go under schema.org `correction`, as CorrectionComments
(`text`, `datePublished`), newest first: the review's on the ClaimReview, the claim's on
`itemReviewed`. (The import does not read them back.)
"""

from __future__ import annotations

import json

from django.db.models import OuterRef, Prefetch, TextField
from django.db.models.functions import Cast

from claims.enums import SpeakerKind
from claims.models import Appearance, Rebuttal, Review, Speaker
from claims.querysets import corrections_array
from sources.models import Outlet, Source

from .mapping import NAMESPACE, NAMESPACE_IRI, REBUTTALS_KEY, UNKNOWN_SPEAKER

SCHEMA = "https://schema.org"
CLAIM_REVIEWED_LENGTH = 75


def shorten_claim(text: str, limit: int = CLAIM_REVIEWED_LENGTH) -> str:
    """`text` if it fits in `limit` characters; else cut at the last word boundary that leaves
    room for "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def for_export(reviews, *, unpublished: bool = False):
    """What `claimreview()` reads, in three queries whatever the number of reviews: the
    reviews with reviewer, claim and speaker, and the correction notes of each review and of
    its claim (as JSON, claims.querysets.corrections_array); the claims' appearances with
    source and publisher; their rebuttals with speaker and source (the published ones, unless
    `unpublished`: the client sees unpublished records)."""
    notes = {
        "review_corrections": corrections_array(review=OuterRef("pk")),
        "claim_corrections": corrections_array(claim=OuterRef("claim")),
    }
    as_text = {name: Cast(array, TextField()) for name, array in notes.items()}
    reviews = reviews.select_related("reviewer", "claim__speaker").annotate(**as_text)
    return reviews.prefetch_related(
        Prefetch(
            "claim__appearances",
            queryset=Appearance.objects.select_related("source__outlet").order_by(
                "-is_first", "id"
            ),
        ),
        Prefetch(
            "claim__rebuttals",
            # Meta.ordering: by date stated (undated last), then id.
            queryset=Rebuttal.objects.visible(unpublished).select_related(
                "speaker", "source__outlet"
            ),
        ),
    )


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _compact(document: dict) -> dict:
    """Without the properties that have no value."""
    return {key: value for key, value in document.items() if value not in (None, "", [], {})}


def organization(outlet: Outlet) -> dict:
    return _compact({"@type": "Organization", "name": outlet.name, "url": outlet.homepage})


SPEAKER_TYPES = {
    SpeakerKind.PERSON: "Person",
    SpeakerKind.ORGANIZATION: "Organization",
    SpeakerKind.GOVERNMENT: "GovernmentOrganization",
}


def speaker_document(speaker: Speaker, job_title: str = "") -> dict | None:
    if speaker.name == UNKNOWN_SPEAKER:
        return None
    return _compact(
        {
            "@type": SPEAKER_TYPES.get(speaker.kind, "Person"),
            "name": speaker.name,
            "jobTitle": job_title or speaker.job_title,
            "sameAs": f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
            if speaker.wikidata_id
            else None,
        }
    )


def creative_work(source: Source) -> dict:
    return _compact(
        {
            "@type": "CreativeWork",
            "url": source.url,
            "headline": source.title,
            "datePublished": _date(source.published_on),
            "author": {"@type": "Person", "name": source.authors} if source.authors else None,
            "publisher": organization(source.outlet) if source.outlet else None,
        }
    )


def corrections(notes: str | None) -> list[dict]:
    """schema.org `correction`: CorrectionComments, newest first, from the notes' JSON."""
    return [
        {"@type": "CorrectionComment", "text": note["text"], "datePublished": note["published_at"]}
        for note in json.loads(notes or "[]")
    ]


def rebuttal_document(rebuttal: Rebuttal) -> dict:
    return _compact(
        {
            "@type": "Claim",
            "text": rebuttal.text,
            "author": speaker_document(rebuttal.speaker),
            "datePublished": _date(rebuttal.stated_on),
            "appearance": creative_work(rebuttal.source) if rebuttal.source else None,
            "relation": rebuttal.relation,
        }
    )


def claimreview(review: Review) -> dict:
    """The ClaimReview document of `review` (read through `for_export`)."""
    claim = review.claim
    appearances = list(claim.appearances.all())
    first = [a.source for a in appearances if a.is_first]
    others = [a.source for a in appearances if not a.is_first]
    rebuttals = [rebuttal_document(r) for r in claim.rebuttals.all()]
    rating = _compact(
        {
            "@type": "Rating",
            "alternateName": review.textual_rating or review.get_rating_display(),
            "ratingValue": review.rating_value,
            "bestRating": review.best_rating,
            "worstRating": review.worst_rating,
        }
    )
    item = _compact(
        {
            "@type": "Claim",
            "author": speaker_document(claim.speaker, claim.speaker_title),
            "datePublished": _date(claim.stated_on),
            "inLanguage": claim.language,
            "text": claim.text,
            "firstAppearance": creative_work(first[0]) if first else None,
            "appearance": [creative_work(source) for source in others],
            "correction": corrections(getattr(review, "claim_corrections", None)),
        }
    )
    context = [SCHEMA, {NAMESPACE: NAMESPACE_IRI}] if rebuttals else SCHEMA
    return _compact(
        {
            "@context": context,
            "@type": "ClaimReview",
            "url": review.url,
            "name": review.title,
            "claimReviewed": shorten_claim(claim.text),
            "reviewBody": review.summary,
            "datePublished": _date(review.published_on),
            "dateModified": _date(review.date_modified),
            "author": organization(review.reviewer),
            "reviewRating": rating,
            "itemReviewed": item,
            "correction": corrections(getattr(review, "review_corrections", None)),
            REBUTTALS_KEY: rebuttals,
        }
    )


def data_feed(documents: list[dict], **pagination) -> dict:
    """A page of ClaimReviews as a schema.org DataFeed; `pagination` (count, next, previous)
    goes beside, as on the API's other lists."""
    return {
        "@context": SCHEMA,
        "@type": "DataFeed",
        **pagination,
        "dataFeedElement": documents,
    }
