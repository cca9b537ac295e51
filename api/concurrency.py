"""Optimistic concurrency over the API: ETags on detail answers, If-Match on writes."""

import hashlib
import json

from django.db import transaction
from django.http import HttpResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "This write needs an If-Match header with the ETag of the version you read."
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record changed since you read it (its ETag no longer matches If-Match). "
        "Read it again, reapply your change, and retry."
    )
    default_code = "precondition_failed"


def etag_for(version: int, data) -> str:
    """A strong ETag: the row's version counter, plus a digest of the payload built from the
    same row, so nested changes (a new review on a claim) change it too. The digest is of
    the payload's canonical JSON, so the serializer path and the database-built JSON path
    (claims.fastpath) give the same tag."""
    payload = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.blake2b(payload.encode(), digest_size=6).hexdigest()
    return f'"{version}-{digest}"'


def parse_etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


class VersionedMixin:
    """Detail answers carry an ETag; PUT, PATCH and DELETE need a matching If-Match.

    Without If-Match a write is refused with 428, with a stale one 412, so no client can
    overwrite a version it has not seen. The row is locked while the ETag is compared and
    the write made, and the write bumps `version`.
    """

    detail_serializer_class = None  # the GET detail shape, when not `serializer_class`

    def detail_data(self, instance):
        """The detail payload a GET answers with (viewsets may add to the instance first)."""
        serializer_class = self.detail_serializer_class or self.serializer_class
        return serializer_class(instance, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():  # a conflicting insert rolls back whole, and answers 409
            self.perform_create(serializer)
            fresh = self.get_queryset().get(pk=serializer.instance.pk)
            data = self.detail_data(fresh)
        tag = etag_for(fresh.version, data)
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": tag})

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return self.detail_response(request, instance.version, self.detail_data(instance))

    def detail_response(self, request, version: int, data, body: bytes | None = None):
        """The detail answer with its ETag, or 304 if If-None-Match holds that ETag.
        `body`: the payload already rendered as JSON (the fast read path), else None."""
        tag = etag_for(version, data)
        if_none_match = request.headers.get("If-None-Match", "")
        if if_none_match.strip() == "*" or tag in parse_etags(if_none_match):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        if body is not None:
            return HttpResponse(body, content_type="application/json", headers={"ETag": tag})
        return Response(data, headers={"ETag": tag})

    def get_current_for_write(self, request):
        """Lock the row, then check If-Match against its current ETag; returns the row."""
        header = request.headers.get("If-Match", "").strip()
        if not header:
            raise PreconditionRequired()
        instance = self.get_object()  # 404 for a row that is missing or not visible
        model = type(instance)
        list(model._default_manager.select_for_update().filter(pk=instance.pk).values("pk"))
        instance = self.get_object()  # re-read under the lock: the state the write replaces
        current = etag_for(instance.version, self.detail_data(instance))
        if header != "*" and current not in parse_etags(header):
            raise PreconditionFailed()
        return instance

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_current_for_write(request)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            serializer.save(version=instance.version + 1)
            fresh = self.get_object()
            data = self.detail_data(fresh)
        return Response(data, headers={"ETag": etag_for(fresh.version, data)})

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_current_for_write(request)
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)
