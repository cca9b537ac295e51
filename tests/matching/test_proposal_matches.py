"""An ingested article's proposals get their likely matches among the published claims."""

import pytest
from django_tasks_db.models import DBTaskResult

from claims.enums import ClaimStatus
from ingest.models import Proposal
from ingest.services import article_ingest
from matching.services import vectors_update
from matching.tasks import article_proposal_matches
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

NO_LEGION = "There is no NATO legion. The foreign forces in Ukraine are Russian."
REPORT = (
    "BRUSSELS (Reuters) - NATO's chief spoke on Monday.\n\n"
    f'"{NO_LEGION[:-1]}," NATO Secretary-General Jens Stoltenberg told reporters.\n\n'
    '"The harvest was the best in ten years," Ida Vorn, the farm minister, said.'
)


def test_ingesting_queues_the_matches_which_the_worker_fills(
    editor, admin_client, use_backend, django_capture_on_commit_callbacks
):
    use_backend("use")
    stored = ClaimFactory(text=NO_LEGION)
    draft = ClaimFactory(text=NO_LEGION, status=ClaimStatus.DRAFT)
    vectors_update()
    with django_capture_on_commit_callbacks(execute=True):
        ingested = article_ingest(by=editor, text=REPORT, title="NATO meeting")
    article = ingested.article
    task = DBTaskResult.objects.get(task_path="matching.tasks.article_proposal_matches")
    assert task.args_kwargs == {"args": [article.pk], "kwargs": {}}
    assert article_proposal_matches.call(article.pk) == 1
    legion = Proposal.objects.get(article=article, text__contains="NATO legion")
    body = admin_client.get(f"/api/v1/proposals/{legion.pk}/").json()
    assert body["matches"] == [{"claim": stored.pk, "score": 1.0}]  # not the draft
    assert draft.pk not in [m["claim"] for m in body["matches"]]
    harvest = Proposal.objects.get(article=article, text__contains="harvest")
    assert admin_client.get(f"/api/v1/proposals/{harvest.pk}/").json()["matches"] == []
