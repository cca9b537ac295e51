"""Claim matching: which stored claims state the same thing as a text, and the vectors that
answer it.

`claim_match` writes nothing: exact repeats come from the fingerprint index, paraphrases
(also across languages) from the cosine of sentence vectors in this process's matrix
(matching.index), and a guard (matching.guard) lowers candidates whose numbers, negation,
direction or opposites differ, or in which one word was swapped for another.
`vectors_update` computes the vectors that are missing or stale; the task worker runs it for
claims just saved (matching.hooks), and `manage.py matching_backfill` for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from claims.fingerprint import fingerprint
from claims.models import Claim

from . import guard
from .backends import Backend, get_backend
from .index import index_for
from .models import ClaimVector

EXACT, LIKELY, POSSIBLE = "exact", "likely", "possible"
# Scores are the backend's cosine mapped onto one scale: the backend's `possible` threshold
# becomes 0.5 and its `likely` threshold 0.8, so a score means the same whichever model
# answered. A guarded candidate can be no more than possible, and loses GUARD_PENALTY more.
LIKELY_SCORE, POSSIBLE_SCORE = 0.8, 0.5
GUARD_PENALTY = 0.15
# 1 is kept for exact repeats: a paraphrase, however close, scores below.
BELOW_EXACT = 0.999
# A claim by the speaker the text is attributed to ranks a little higher among equals.
SPEAKER_BONUS = 0.03
# Candidates read from the matrix before visibility and the guard: more than any limit, so
# that drafts hidden from the client and guarded claims leave enough behind.
CANDIDATES = 200


@dataclass(frozen=True)
class Match:
    claim_id: int
    score: float
    match: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    backend: str
    matches: list[Match]


def calibrated(cosine: float, thresholds: dict[str, float]) -> float:
    """The backend's cosine on the shared [0, 1] scale (piecewise linear through the
    backend's thresholds)."""
    possible, likely = thresholds["possible"], thresholds["likely"]
    if cosine >= likely:
        value = LIKELY_SCORE + (1 - LIKELY_SCORE) * (cosine - likely) / (1 - likely)
    elif cosine >= possible:
        value = POSSIBLE_SCORE + (LIKELY_SCORE - POSSIBLE_SCORE) * (cosine - possible) / (
            likely - possible
        )
    else:
        value = POSSIBLE_SCORE * max(cosine, 0.0) / possible
    return min(max(value, 0.0), 1.0)


def band(score: float) -> str | None:
    if score >= LIKELY_SCORE:
        return LIKELY
    if score >= POSSIBLE_SCORE:
        return POSSIBLE
    return None


def claim_match(
    *,
    text: str,
    claims,
    speaker_id: int | None = None,
    limit: int = 10,
    exclude_id: int | None = None,
    backend: Backend | None = None,
) -> MatchResult:
    """The claims of `claims` (a queryset: the caller's visibility) most likely to state what
    `text` states, best first, at most `limit`, each with a score in [0, 1] and a band:
    `exact` (same fingerprint), `likely`, `possible` (nothing below possible is returned).

    Two queries: the newest vector's id (to keep the process matrix current; one more when
    vectors changed since), then the candidates among `claims`. Writes nothing.
    """
    backend = backend or get_backend()
    index = index_for(backend.label, backend.dim, claims.db)
    index.refresh()
    query = backend.embed([text])[0]
    cosines = dict(index.search(query, CANDIDATES))
    printed = fingerprint(text)
    found = claims.filter(Q(pk__in=list(cosines)) | Q(fingerprint=printed))
    if exclude_id is not None:
        found = found.exclude(pk=exclude_id)
    rows = found.order_by().values_list("pk", "text", "fingerprint", "speaker_id")
    thresholds = backend.thresholds
    matches = []
    for pk, claim_text, claim_print, claim_speaker in rows:
        if claim_print == printed:
            matches.append(Match(pk, 1.0, EXACT))
            continue
        score = calibrated(cosines[pk], thresholds)
        if speaker_id is not None and claim_speaker == speaker_id:
            score += SPEAKER_BONUS
        score = min(score, BELOW_EXACT)
        # The guard only lowers a score: one already below `possible` is dropped without it.
        reasons = tuple(guard.reasons(text, claim_text)) if score >= POSSIBLE_SCORE else ()
        if reasons:
            score = max(min(score, LIKELY_SCORE - 0.01) - GUARD_PENALTY, 0.0)
        found_band = band(score)
        if found_band is not None:
            matches.append(Match(pk, round(score, 4), found_band, reasons))
    matches.sort(key=lambda m: (-m.score, m.claim_id))
    return MatchResult(backend.label, matches[:limit])


def stale_claims(backend: Backend, claims=None):
    """Claims without a vector of `backend`'s model for their current text."""
    claims = Claim.objects.all() if claims is None else claims
    current = ClaimVector.objects.filter(
        claim=OuterRef("pk"), model=backend.label, fingerprint=OuterRef("fingerprint")
    )
    return claims.filter(~Exists(current))


def vectors_update(
    *,
    claim_ids: Iterable[int] | None = None,
    backend: Backend | None = None,
    batch_size: int = 128,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Compute the vectors that are missing or stale (of these claims, or of all), batch by
    batch in id order; returns how many were written.

    Effects: per batch, one transaction that deletes the claims' old vectors of this model
    and inserts the new ones (new rows, so that every process's matrix sees them: index.py).
    A claim whose fingerprint is still NULL (written by raw SQL or a bulk update) gets it
    first. Interrupted, it resumes where it stopped: finished batches are committed, and
    only claims still without a current vector are read again. `progress(n)` is called
    after each batch with the number written in it.
    """
    backend = backend or get_backend()
    unprinted = Claim.objects.filter(fingerprint__isnull=True)
    if claim_ids is not None:
        claim_ids = list(claim_ids)
        unprinted = unprinted.filter(pk__in=claim_ids)
    for claim in unprinted.only("pk", "text").iterator():
        Claim.objects.filter(pk=claim.pk).update(fingerprint=fingerprint(claim.text))
    pending = stale_claims(backend)
    if claim_ids is not None:
        pending = pending.filter(pk__in=claim_ids)
    written, last = 0, 0
    while True:
        rows = list(
            pending.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "text", "fingerprint")[:batch_size]
        )
        if not rows:
            return written
        vectors = backend.embed([text for _, text, _ in rows]).astype("<f4")
        with transaction.atomic():
            ids = [pk for pk, _, _ in rows]
            ClaimVector.objects.filter(model=backend.label, claim_id__in=ids).delete()
            ClaimVector.objects.bulk_create(
                ClaimVector(
                    claim_id=pk, model=backend.label, fingerprint=printed, vector=v.tobytes()
                )
                for (pk, _, printed), v in zip(rows, vectors, strict=True)
            )
        written += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(len(rows))


@transaction.atomic
def proposal_matches_update(*, article_id: int, backend: Backend | None = None) -> int:
    """Fill the likely matches (score ≥ 0.8, exact repeats included) of an ingested article's
    pending proposals, among the published claims (a proposal's matches are shown to every
    user who may ingest, not all of whom see drafts); returns how many were recorded.

    Effects: replaces the ProposalMatch rows of those proposals; writes nothing else.
    """
    from ingest.enums import ProposalState
    from ingest.models import Proposal, ProposalMatch

    proposals = list(
        Proposal.objects.filter(article_id=article_id, state=ProposalState.PENDING).order_by("pk")
    )
    rows = []
    for proposal in proposals:
        result = claim_match(text=proposal.text, claims=Claim.objects.published(), backend=backend)
        rows += [
            ProposalMatch(proposal=proposal, claim_id=m.claim_id, score=m.score)
            for m in result.matches
            if m.score >= LIKELY_SCORE
        ]
    ProposalMatch.objects.filter(proposal__in=proposals).delete()
    ProposalMatch.objects.bulk_create(rows)
    return len(rows)
