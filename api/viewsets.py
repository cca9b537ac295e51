"""What the API's viewsets share beyond DRF: throttles before permissions, separate read and
write shapes, and the router."""

from rest_framework import viewsets
from rest_framework.routers import DefaultRouter

from .throttling import ThrottleFirstMixin, throttled_first


class ModelViewSet(ThrottleFirstMixin, viewsets.ModelViewSet):
    """DRF's, counting refused requests against the rate limits (api.throttling)."""


class Router(DefaultRouter):
    """DRF's, whose API root counts refused requests too, and also lists `root_links`
    (name in the root → URL name), for endpoints outside the router (feeds, exports)."""

    APIRootView = throttled_first(DefaultRouter.APIRootView)

    def __init__(self, *args, root_links: dict[str, str] | None = None, **kwargs):
        self.root_links = root_links or {}
        super().__init__(*args, **kwargs)

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        links = {prefix: list_name.format(basename=name) for prefix, _, name in self.registry}
        return self.APIRootView.as_view(api_root_dict={**links, **self.root_links})


class ReadWriteSerializerMixin:
    """Validate writes with `write_serializer_class`; answer with `serializer_class`.

    Writes take references by key (a speaker's slug); reads nest them. VersionedMixin
    answers every write with the row read back through `get_queryset()`, so the answer
    has the same shape and annotations as a GET.
    """

    write_serializer_class = None
    write_actions = ("create", "update", "partial_update")

    def get_serializer_context(self):
        # A body may hold the answer's read-only fields (a client sending back what it read):
        # they are ignored, where any other field the write serializer lacks is a 400.
        read = [self.serializer_class, getattr(self, "detail_serializer_class", None)]
        names = {name for shape in read if shape for name in shape.Meta.fields}
        return {**super().get_serializer_context(), "read_fields": names}

    def get_serializer_class(self):
        if self.action in self.write_actions and self.write_serializer_class is not None:
            return self.write_serializer_class
        return super().get_serializer_class()
