"""The benchmark's data generator, on a small scale: deterministic, skewed, loadable."""

import pytest

from bench.generate import BUSIEST_SHARE, Generator
from claims.models import Appearance, Claim, Rebuttal, Review, Speaker

pytestmark = pytest.mark.django_db

CLAIMS = 1000


def test_generator_loads_skewed_claims_through_the_models():
    manifest = Generator(CLAIMS, seed=1).run(out=None)
    assert Claim.objects.count() == CLAIMS
    per_speaker = Claim.objects.filter(speaker__slug="speaker-1").count()
    # The busiest speaker holds about 5% of all claims; everyone else far fewer.
    assert 0.5 * BUSIEST_SHARE * CLAIMS < per_speaker < 1.5 * BUSIEST_SHARE * CLAIMS
    assert per_speaker > max(
        Claim.objects.filter(speaker=s).count() for s in Speaker.objects.exclude(slug="speaker-1")
    )
    assert (
        0.1 * CLAIMS
        < Claim.objects.filter(rebuttals__isnull=False).distinct().count()
        < 0.3 * CLAIMS
    )
    assert Appearance.objects.count() > CLAIMS and Review.objects.count() > CLAIMS / 4
    assert Rebuttal.objects.exists()
    assert Claim.objects.exclude(status="published").exists()
    rare = Claim.objects.filter(text__icontains=manifest["rare_term"]).count()
    frequent = Claim.objects.filter(text__icontains=manifest["frequent_term"]).count()
    assert 0 < rare < frequent
    assert manifest["typical_speaker"] != manifest["busiest_speaker"]


def test_generator_is_deterministic():
    first = Generator(50, seed=3)
    second = Generator(50, seed=3)
    assert first.words[:50] == second.words[:50]
    assert first.sentence(5, 9) == second.sentence(5, 9)
