"""Vectors follow the claims' texts: a task after each save, and the backfill command."""

import numpy as np
import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from claims.models import Claim
from matching.backends import get_backend
from matching.models import ClaimVector
from matching.services import stale_claims
from matching.tasks import claim_vectors_update
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def use_model(use_backend):
    use_backend("use")


def vectors():
    label = get_backend().label
    return dict(ClaimVector.objects.filter(model=label).values_list("claim_id", "fingerprint"))


def test_a_saved_text_queues_its_vector_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = ClaimFactory(text="Wages rose 3% last year.")
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs) == (
        "matching.tasks.claim_vectors_update",
        {"args": [[claim.pk]], "kwargs": {}},
    )
    assert claim_vectors_update.call([claim.pk]) == 1
    assert vectors() == {claim.pk: claim.fingerprint}
    stored = ClaimVector.objects.get(claim=claim).vector
    expected = get_backend().embed(["Wages rose 3% last year."])[0]
    assert np.allclose(np.frombuffer(bytes(stored), dtype="<f4"), expected, atol=1e-6)


def test_only_a_changed_text_is_embedded_again(django_capture_on_commit_callbacks):
    claim = ClaimFactory(text="Wages rose 3% last year.")
    assert claim_vectors_update.call([claim.pk]) == 1
    first = ClaimVector.objects.get(claim=claim).pk
    claim.context = "At a rally."
    claim.save()
    assert claim_vectors_update.call([claim.pk]) == 0  # same text: nothing to do
    claim.text = "WAGES ROSE 3% LAST YEAR!"
    claim.save()
    assert claim_vectors_update.call([claim.pk]) == 0  # same fingerprint: nothing either
    claim.text = "Wages fell 3% last year."
    claim.save()
    assert claim_vectors_update.call([claim.pk]) == 1
    assert ClaimVector.objects.get(claim=claim).pk != first
    assert vectors() == {claim.pk: Claim.objects.get(pk=claim.pk).fingerprint}


def test_a_save_that_does_not_write_the_text_queues_nothing(django_capture_on_commit_callbacks):
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        claim.save(update_fields=["context"])
    assert not DBTaskResult.objects.exists()


def queued() -> list:
    return [task.args_kwargs["args"][0] for task in DBTaskResult.objects.order_by("pk")]


def test_only_a_save_that_changes_the_text_queues_a_task(django_capture_on_commit_callbacks):
    claim = ClaimFactory(text="Wages rose 3% last year.")
    DBTaskResult.objects.all().delete()
    loaded = Claim.objects.get(pk=claim.pk)
    with django_capture_on_commit_callbacks(execute=True):
        loaded.context = "At a rally."
        loaded.save()  # every field written, the text unchanged
        loaded.text = "WAGES ROSE 3% LAST YEAR!"
        loaded.save()  # another text that folds to the same fingerprint
    assert queued() == []
    with django_capture_on_commit_callbacks(execute=True):
        loaded.text = "Wages fell 3% last year."
        loaded.save()
        Claim.objects.only("pk", "text").get(pk=claim.pk).save()  # fingerprint deferred
    assert queued() == [[claim.pk], [claim.pk]]


def test_the_backfill_embeds_what_is_missing_and_resumes(capsys):
    claims = [ClaimFactory(text=f"Statement {n} on prices.") for n in range(5)]
    # As if a first run had stopped after two claims.
    call_command("matching_backfill", batch_size=2, verbosity=0)
    assert set(vectors()) == {c.pk for c in claims}
    ClaimVector.objects.filter(claim__in=claims[2:]).delete()
    Claim.objects.filter(pk=claims[0].pk).update(text="Changed by SQL.", fingerprint=None)
    call_command("matching_backfill", batch_size=2)
    out, err = capsys.readouterr()
    assert out == f"4 vector(s) written with {get_backend().label}.\n"
    assert err.startswith(f"4 claim(s) to embed with {get_backend().label}.\n")
    assert "4/4 claims" in err and "[####" in err
    assert not stale_claims(get_backend()).exists()
    call_command("matching_backfill")
    assert capsys.readouterr().out == f"0 vector(s) written with {get_backend().label}.\n"


def test_the_backfill_fills_vectors_of_rows_bulk_created(capsys):
    rows = Claim.objects.bulk_create(
        [Claim(text=f"Claim {n}", speaker=ClaimFactory().speaker) for n in range(3)]
    )
    call_command("matching_backfill", backend="lexical", verbosity=0)
    lexical = ClaimVector.objects.filter(model="lexical 1")
    assert set(lexical.values_list("claim_id", flat=True)) >= {r.pk for r in rows}
