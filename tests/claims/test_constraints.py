import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.enums import Relation
from claims.models import Appearance, Claim, Rebuttal, Speaker
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    RebuttalFactory,
    ReviewFactory,
    SourceFactory,
    SpeakerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_speaker_duplicate_slug_is_rejected():
    SpeakerFactory(slug="vladimir-putin")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(slug="vladimir-putin")
    assert Speaker.objects.filter(slug="vladimir-putin").count() == 1


def test_topic_duplicate_slug_is_rejected():
    TopicFactory(slug="nato")
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicFactory(slug="nato")


@pytest.mark.parametrize("wikidata_id", ["7747", "Q", "q7747", "Q07747", "Q77 47", "P31"])
def test_malformed_wikidata_id_is_rejected_by_the_database(wikidata_id):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(wikidata_id=wikidata_id)


def test_malformed_wikidata_id_is_rejected_by_validation():
    speaker = SpeakerFactory.build(wikidata_id="X12")
    with pytest.raises(ValidationError) as excinfo:
        speaker.full_clean()
    assert excinfo.value.message_dict == {
        "wikidata_id": ["Enter a Wikidata item id: Q followed by digits, e.g. Q7747."]
    }


def test_wikidata_id_is_unique_when_present():
    SpeakerFactory(wikidata_id="Q7747")
    SpeakerFactory(wikidata_id="")
    SpeakerFactory(wikidata_id="")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(wikidata_id="Q7747")


def test_speaker_cannot_be_affiliated_to_itself():
    speaker = SpeakerFactory()
    speaker.affiliation = speaker
    with pytest.raises(IntegrityError), transaction.atomic():
        speaker.save()


def test_speaker_slug_is_made_from_the_name_also_for_non_latin_names():
    latin = Speaker(name="Vladimir Putin", kind="person")
    latin.full_clean()
    cyrillic = Speaker(name="Владимир Путин", kind="person")
    cyrillic.full_clean()
    assert (latin.slug, cyrillic.slug) == ("vladimir-putin", "владимир-путин")


def test_speaker_slug_made_from_a_taken_name_gets_a_suffix():
    SpeakerFactory(name="NATO", slug="nato")
    speaker = Speaker(name="NATO", kind="organization")
    speaker.full_clean()
    assert speaker.slug == "nato-2"


def test_duplicate_appearance_is_rejected():
    appearance = AppearanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AppearanceFactory(claim=appearance.claim, source=appearance.source)
    assert Appearance.objects.count() == 1


def test_second_first_appearance_is_rejected():
    first = AppearanceFactory(is_first=True)
    AppearanceFactory(claim=first.claim, is_first=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppearanceFactory(claim=first.claim, is_first=True)
    assert first.claim.appearances.filter(is_first=True).count() == 1


def test_first_appearances_of_different_claims_coexist():
    AppearanceFactory(is_first=True)
    AppearanceFactory(is_first=True)
    assert Appearance.objects.filter(is_first=True).count() == 2


@pytest.mark.parametrize(
    ("worst", "value", "best"),
    [(1, 6, 5), (1, 0, 5), (5, 3, 1), (3, None, 1)],
)
def test_rating_value_outside_worst_and_best_is_rejected(worst, value, best):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(worst_rating=worst, rating_value=value, best_rating=best)


@pytest.mark.parametrize(
    ("worst", "value", "best"),
    [(1, 1, 5), (1, 5, 5), (0, 3, 6), (None, 3, None), (None, None, None)],
)
def test_rating_value_within_the_scale_is_accepted(worst, value, best):
    review = ReviewFactory(worst_rating=worst, rating_value=value, best_rating=best)
    assert review.pk


def test_review_with_a_rating_off_the_scale_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(rating="pants_on_fire")


def test_claim_with_empty_text_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(text="")


def test_claim_cannot_rebut_itself():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RebuttalFactory(claim=claim, rebutting_claim=claim)


def test_speaker_answering_their_own_claim_must_correct_it():
    claim = ClaimFactory()
    rebuttal = RebuttalFactory.build(claim=claim, speaker=claim.speaker, relation=Relation.REFUTES)
    with pytest.raises(ValidationError) as excinfo:
        rebuttal.full_clean()
    assert excinfo.value.message_dict == {
        "relation": ["A speaker answering their own claim corrects it: use 'corrects'."]
    }
    rebuttal.relation = Relation.CORRECTS
    rebuttal.full_clean()
    rebuttal.save()
    assert Rebuttal.objects.get().relation == Relation.CORRECTS


def test_deleting_a_speaker_with_claims_is_refused_not_cascaded():
    claim = ClaimFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        claim.speaker.delete()
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert Speaker.objects.filter(pk=claim.speaker.pk).exists()


def test_deleting_a_speaker_who_rebutted_is_refused():
    rebuttal = RebuttalFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        rebuttal.speaker.delete()
    assert Rebuttal.objects.filter(pk=rebuttal.pk).exists()


def test_deleting_a_source_used_by_a_rebuttal_is_refused():
    rebuttal = RebuttalFactory(source=SourceFactory())
    with pytest.raises(ProtectedError), transaction.atomic():
        rebuttal.source.delete()
