"""Vectors follow claims' texts wherever a claim is saved (API, admin, ingestion, import,
demo), without the web request paying for a model: after a save that changes the text (its
fingerprint) commits, a task is queued for the worker, which computes the vector unless a
current one is stored by then. In the
same way, an ingested article's proposals get their likely matches among stored claims
(ingest's ProposalMatch) from the worker once the article is committed.

A receiver, not a call in claims.services: claims does not import the apps built on it, and
claims are saved through several paths besides its services. Rows written without save()
(bulk_create, raw SQL) are left to `manage.py matching_backfill`.
"""

from django.db import transaction
from django.db.models.signals import post_save

from claims.models import Claim
from ingest.models import Article


def claim_saved(sender, instance, update_fields=None, raw=False, using=None, **kwargs):
    if raw or (update_fields is not None and "text" not in update_fields):
        return
    if not getattr(instance, "fingerprint_changed", True):  # the same text, folded
        return
    from .tasks import claim_vectors_update

    pk = instance.pk
    transaction.on_commit(lambda: claim_vectors_update.enqueue([pk]), using=using)


def article_created(sender, instance, created=False, raw=False, using=None, **kwargs):
    if raw or not created:
        return
    from .tasks import article_proposal_matches

    pk = instance.pk
    transaction.on_commit(lambda: article_proposal_matches.enqueue(pk), using=using)


def connect():
    post_save.connect(claim_saved, sender=Claim, dispatch_uid="matching.claim_saved")
    post_save.connect(article_created, sender=Article, dispatch_uid="matching.article_created")
