"""What the API's viewsets share beyond DRF: throttles before permissions, separate read and
write shapes, and the router."""

from rest_framework import viewsets
from rest_framework.routers import DefaultRouter

from .throttling import ThrottleFirstMixin, throttled_first


class ModelViewSet(ThrottleFirstMixin, viewsets.ModelViewSet):
    """DRF's, counting refused requests against the rate limits (api.throttling)."""


class Router(DefaultRouter):
    """DRF's, whose API root counts refused requests too."""

    APIRootView = throttled_first(DefaultRouter.APIRootView)


class ReadWriteSerializerMixin:
    """Validate writes with `write_serializer_class`; answer with `serializer_class`.

    Writes take references by key (a speaker's slug); reads nest them. VersionedMixin
    answers every write with the row read back through `get_queryset()`, so the answer
    has the same shape and annotations as a GET.
    """

    write_serializer_class = None
    write_actions = ("create", "update", "partial_update")

    def get_serializer_class(self):
        if self.action in self.write_actions and self.write_serializer_class is not None:
            return self.write_serializer_class
        return super().get_serializer_class()
