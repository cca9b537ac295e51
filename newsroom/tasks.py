"""Background tasks (django-tasks; `manage.py db_worker` runs them)."""

from django_tasks import task

from .services import delivery_attempt


@task()
def deliver(delivery_id: int) -> str:
    """One attempt at a webhook delivery (newsroom.services.delivery_attempt)."""
    return delivery_attempt(delivery_id=delivery_id)
