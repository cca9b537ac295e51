from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.demo import CLAIMS, SOURCE
from claims.enums import ClaimStatus, Relation
from claims.models import Appearance, Claim, Rebuttal, Review, Speaker, Topic
from sources.models import Outlet, Source

pytestmark = pytest.mark.django_db

# The article is not part of this repository: it sits in the shared folder beside a checkout,
# where CI has it. Without it, only the comparison with the article's text is skipped.
SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "reuters-2015-01-26-nato-ukraine.txt"


def counts():
    models = [Outlet, Source, Speaker, Topic, Claim, Appearance, Rebuttal, Review]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_data_loads_twice_without_duplicates():
    call_command("load_demo", verbosity=0)
    first = counts()
    call_command("load_demo", verbosity=0)
    assert (
        counts()
        == first
        == {
            "Outlet": 1,
            "Source": 1,
            "Speaker": 6,
            "Topic": 2,
            "Claim": 8,
            "Appearance": 8,
            "Rebuttal": 2,
            "Review": 0,
        }
    )


def test_demo_data_holds_the_putin_claim_rebutted_by_stoltenberg_in_the_reuters_report():
    call_command("load_demo", verbosity=0)
    claim = Claim.objects.get(speaker__slug="vladimir-putin")
    rebuttal = claim.rebuttals.get()
    assert (
        rebuttal.speaker.slug,
        rebuttal.text,
        rebuttal.relation,
        rebuttal.source.title,
        rebuttal.source.outlet.slug,
        rebuttal.rebutting_claim.speaker.slug,
        rebuttal.rebutting_claim.text,
    ) == (
        "jens-stoltenberg",
        "There is no NATO legion. The foreign forces in Ukraine are Russian.",
        Relation.REFUTES,
        "NATO criticises Russia, backs Ukraine at emergency meeting",
        "reuters",
        "jens-stoltenberg",
        "There is no NATO legion. The foreign forces in Ukraine are Russian.",
    )
    assert "NATO legion" in claim.text
    assert claim.status == ClaimStatus.PUBLISHED


def test_demo_speakers_and_source_match_the_article():
    call_command("load_demo", verbosity=0)
    speakers = {
        s.slug: (s.name, s.kind, s.job_title, s.affiliation.slug if s.affiliation else None)
        for s in Speaker.objects.select_related("affiliation")
    }
    assert speakers == {
        "vladimir-putin": ("Vladimir Putin", "person", "President of Russia", "russia"),
        "jens-stoltenberg": ("Jens Stoltenberg", "person", "Secretary-General", "nato"),
        "ihor-dolhov": ("Ihor Dolhov", "person", "Ukraine's Ambassador to NATO", "ukraine"),
        "nato": ("NATO", "organization", "", None),
        "russia": ("Russia", "government", "", None),
        "ukraine": ("Ukraine", "government", "", None),
    }
    source = Source.objects.select_related("outlet").get()
    assert (
        source.title,
        source.authors,
        source.dateline,
        str(source.published_on),
        source.medium,
        source.outlet.name,
    ) == (SOURCE["title"], "Adrian Croft", "BRUSSELS", "2015-01-26", "article", "Reuters")


@pytest.mark.skipif(
    not SEED.is_file(), reason=f"the seed article is not beside this checkout ({SEED})"
)
def test_every_demo_claim_is_published_with_a_verbatim_first_appearance():
    call_command("load_demo", verbosity=0)
    article = SEED.read_text(encoding="utf-8")
    assert SOURCE["title"] in article
    for appearance in Appearance.objects.select_related("claim"):
        assert appearance.is_first
        assert appearance.quote in article, appearance.quote
        assert appearance.claim.status == ClaimStatus.PUBLISHED
    assert Appearance.objects.count() == len(CLAIMS)
    for rebuttal in Rebuttal.objects.all():
        # A rebuttal's text is the statement, ending in a full stop where the article's
        # quotation runs on with 'he said'.
        assert rebuttal.text.rstrip(".") in article


def test_loading_the_demo_again_adds_nothing_to_the_edit_history():
    call_command("load_demo", verbosity=0)
    tracked = [Outlet, Source, Speaker, Topic, Claim, Appearance, Rebuttal]
    first = {model.__name__: model.history.count() for model in tracked}
    first["topics"] = Claim.topics.through.objects.count()
    call_command("load_demo", verbosity=0)
    again = {model.__name__: model.history.count() for model in tracked}
    again["topics"] = Claim.topics.through.objects.count()
    assert again == first
    assert first["Claim"] >= 8
