"""Background tasks (django-tasks; `manage.py db_worker` runs them)."""

from django_tasks import task

from .services import proposal_matches_update, vectors_update


@task()
def claim_vectors_update(claim_ids: list[int]) -> int:
    """The vectors of these claims, where missing or stale (their text changed)."""
    return vectors_update(claim_ids=claim_ids)


@task()
def article_proposal_matches(article_id: int) -> int:
    """The likely matches among stored claims of an ingested article's proposals."""
    return proposal_matches_update(article_id=article_id)
