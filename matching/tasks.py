"""Background tasks (django-tasks; `manage.py db_worker` runs them)."""

from django_tasks import task

from .services import vectors_update


@task()
def claim_vectors_update(claim_ids: list[int]) -> int:
    """The vectors of these claims, where missing or stale (their text changed)."""
    return vectors_update(claim_ids=claim_ids)
