"""`Claim.verdict` is kept by the database (claims/verdicts.py) through every kind of write."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction

from claims.enums import Rating, ReviewStatus
from claims.models import Claim, Review
from tests.factories import ClaimFactory, FactCheckerFactory, ReviewFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 5, 20)


def stored(claim) -> str | None:
    return Claim.objects.values_list("verdict", flat=True).get(pk=claim.pk)


def test_a_claim_without_published_reviews_has_no_verdict():
    claim = ClaimFactory()
    assert stored(claim) is None
    ReviewFactory(claim=claim, status=ReviewStatus.DRAFT)
    assert stored(claim) is None


def test_the_newest_published_review_gives_the_verdict():
    claim = ClaimFactory()
    ReviewFactory(claim=claim, rating=Rating.TRUE, published_on=DAY)
    assert stored(claim) == "true"
    ReviewFactory(claim=claim, rating=Rating.FALSE, published_on=DAY + datetime.timedelta(1))
    assert stored(claim) == "false"
    ReviewFactory(claim=claim, rating=Rating.MIXED, published_on=DAY - datetime.timedelta(1))
    assert stored(claim) == "false"  # older: no change
    ReviewFactory(claim=claim, rating=Rating.UNPROVEN, published_on=None)
    assert stored(claim) == "false"  # undated reviews come last


def test_on_the_same_day_the_later_review_wins():
    claim = ClaimFactory()
    ReviewFactory(claim=claim, rating=Rating.TRUE)
    ReviewFactory(claim=claim, rating=Rating.MISLEADING)
    assert stored(claim) == "misleading"


def test_publishing_rating_dating_and_deleting_a_review_update_the_verdict():
    claim = ClaimFactory()
    older = ReviewFactory(claim=claim, rating=Rating.TRUE, published_on=DAY)
    review = ReviewFactory(claim=claim, status=ReviewStatus.DRAFT, published_on=DAY)
    review.status = ReviewStatus.PUBLISHED
    review.save()
    assert stored(claim) == "false"
    review.rating = Rating.MOSTLY_FALSE
    review.save()
    assert stored(claim) == "mostly_false"
    review.published_on = DAY - datetime.timedelta(1)
    review.save()
    assert stored(claim) == "true"
    older.delete()
    assert stored(claim) == "mostly_false"
    review.status = ReviewStatus.DRAFT
    review.save()
    assert stored(claim) is None


def test_moving_a_review_to_another_claim_updates_both():
    first, second = ClaimFactory(), ClaimFactory()
    review = ReviewFactory(claim=first)
    review.claim = second
    review.save()
    assert (stored(first), stored(second)) == (None, "false")


def test_bulk_writes_and_raw_updates_keep_it_too():
    claim = ClaimFactory()
    checker = FactCheckerFactory()
    Review.objects.bulk_create(
        [Review(claim=claim, reviewer=checker, rating=Rating.MIXED, status="published")]
    )
    assert stored(claim) == "mixed"
    Review.objects.filter(claim=claim).update(rating=Rating.TRUE)
    assert stored(claim) == "true"
    Review.objects.filter(claim=claim).delete()
    assert stored(claim) is None


def test_a_stale_or_forged_verdict_written_to_the_claim_is_corrected():
    claim = ClaimFactory()  # loaded now: verdict None
    ReviewFactory(claim=claim.__class__.objects.get(pk=claim.pk), rating=Rating.FALSE)
    claim.text = "Edited after the review was published"
    claim.save()  # writes every column, the stale verdict too
    assert stored(claim) == "false"
    Claim.objects.filter(pk=claim.pk).update(verdict=Rating.TRUE)
    assert stored(claim) == "false"
    forged = ClaimFactory(verdict=Rating.TRUE)
    assert stored(forged) is None


def test_a_claim_with_reviews_can_be_deleted_despite_the_triggers():
    claim = ClaimFactory()
    ReviewFactory(claim=claim)
    claim.delete()
    assert not Claim.objects.exists()
    assert not Review.objects.exists()


def test_history_does_not_record_the_verdict():
    claim = ClaimFactory()
    ReviewFactory(claim=claim)
    claim.refresh_from_db()
    claim.save()
    assert "verdict" not in {f.name for f in claim.history.model.tracked_fields}
    assert claim.history.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
def test_concurrent_reviews_of_one_claim_leave_the_newest_rating():
    """A transaction adding an older review waits for one adding a newer review, then
    recomputes with the newer review in sight (without the fresh snapshot it would not)."""
    claim = ClaimFactory()
    checker = FactCheckerFactory()
    newer_added, older_done = threading.Event(), threading.Event()
    commit_newer = threading.Event()

    def add(rating, day, before_commit):
        try:
            with transaction.atomic():
                Review.objects.create(
                    claim_id=claim.pk,
                    reviewer=checker,
                    rating=rating,
                    published_on=day,
                    status=ReviewStatus.PUBLISHED,
                )
                before_commit()
        finally:
            connections.close_all()

    newer = threading.Thread(
        target=add,
        args=(Rating.FALSE, DAY, lambda: (newer_added.set(), commit_newer.wait(30))),
    )
    older = threading.Thread(
        target=add, args=(Rating.TRUE, DAY - datetime.timedelta(1), older_done.set)
    )
    newer.start()
    assert newer_added.wait(30)
    older.start()
    with connection.cursor() as cursor:  # until the older one waits for the claim's row lock
        for _ in range(300):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the second transaction never waited for the first")
    assert not older_done.is_set()
    commit_newer.set()
    newer.join(30)
    older.join(30)
    assert older_done.is_set()
    assert stored(claim) == "false"
