"""The guard in the service: a stored claim that a statement restates but for one swapped
word is no `likely` match of it, and says why; the same statement reworded without a swap
keeps its score."""

import pytest

from claims.models import Claim
from matching.backends import get_backend
from matching.services import LIKELY, claim_match, vectors_update
from tests.factories import ClaimFactory

from .conftest import INSTALLED

pytestmark = pytest.mark.django_db

STORED = "We have sent 100 billion dollars in cash to Ukraine since the start of the war."


def answer(text):
    result = claim_match(text=text, claims=Claim.objects.published(), backend=get_backend())
    return {m.claim_id: m for m in result.matches}


@pytest.mark.parametrize("backend", INSTALLED)
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "We have sent 100 billion dollars in cash to Israel since the start of the war.",
            "substitution",
        ),
        (
            "We have sent 100 billion dollars in cash to Ukraine since the start of the truce.",
            "substitution",
        ),
        (
            "We have sent ten billion dollars in cash to Ukraine since the start of the war.",
            "numbers",
        ),
        ("Hemos enviado 100.000 millones de dólares a Ucrania desde el inicio de la guerra.", None),
    ],
)
def test_a_swapped_word_is_no_likely_match(use_backend, backend, text, reason):
    use_backend(backend)
    stored = ClaimFactory(text=STORED)
    ClaimFactory(text="The harvest was the best in ten years.")
    vectors_update(backend=get_backend())
    found = answer(text).get(stored.pk)
    if reason is None:  # a translation: nothing to compare word for word
        assert found is None or found.reasons == ()
    else:
        assert found is None or (found.match != LIKELY and reason in found.reasons)
