from api.concurrency import VersionedMixin
from api.viewsets import ModelViewSet, ReadWriteSerializerMixin

from .filters import SourceFilter
from .models import Outlet, Source
from .serializers import OutletSerializer, SourceSerializer, SourceWriteSerializer


class OutletViewSet(VersionedMixin, ModelViewSet):
    """Publishers and fact-checking organisations, looked up by slug."""

    serializer_class = OutletSerializer
    lookup_field = "slug"
    filterset_fields = []

    def get_queryset(self):
        return Outlet.objects.order_by("name", "id")


class SourceViewSet(VersionedMixin, ReadWriteSerializerMixin, ModelViewSet):
    """Documents in which statements appear. Writes take the outlet's slug."""

    serializer_class = SourceSerializer
    write_serializer_class = SourceWriteSerializer
    filterset_class = SourceFilter

    def get_queryset(self):
        return Source.objects.select_related("outlet")
