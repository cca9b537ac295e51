from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.concurrency import VersionedMixin
from api.permissions import HasModelPermission
from api.viewsets import ModelViewSet, ReadWriteSerializerMixin

from .fastpath import ProjectedClaimReadMixin, ProjectedSpeakerReadMixin, speaker_id_or_404
from .filters import ClaimFilter, RebuttalFilter, ReviewFilter, SpeakerFilter
from .history import HistoryMixin
from .models import Claim, Rebuttal, Review, Speaker, Topic
from .querysets import scorecard, similar_speakers
from .serializers import (
    AppearanceSerializer,
    AppearanceWriteSerializer,
    ClaimSerializer,
    ClaimWriteSerializer,
    RebuttalSerializer,
    RebuttalWriteSerializer,
    ReviewSerializer,
    ReviewWriteSerializer,
    SpeakerCreatedSerializer,
    SpeakerDetailSerializer,
    SpeakerRefSerializer,
    SpeakerSerializer,
    SpeakerWriteSerializer,
    TopicSerializer,
)
from .services import appearance_create, claim_save, review_save


class SpeakerViewSet(
    ProjectedSpeakerReadMixin, VersionedMixin, ReadWriteSerializerMixin, ModelViewSet
):
    """People, organisations and governments, looked up by slug. The detail adds a scorecard."""

    serializer_class = SpeakerSerializer
    write_serializer_class = SpeakerWriteSerializer
    filterset_class = SpeakerFilter
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    detail_serializer_class = SpeakerDetailSerializer

    def get_queryset(self):
        return Speaker.objects.for_api(self.request.user)

    def detail_data(self, speaker):
        speaker.scorecard = scorecard(Claim.objects.published().filter(speaker=speaker))
        return super().detail_data(speaker)

    @extend_schema(responses={201: SpeakerCreatedSerializer})
    def create(self, request, *args, **kwargs):
        """Create a speaker. Answers 201 with it as a GET reads it, its ETag, and the speakers
        already on file under the same name (`similar_speakers`), so a duplicate shows."""
        response = super().create(request, *args, **kwargs)
        created = response.data
        others = Speaker.objects.exclude(slug=created["slug"])
        similar = SpeakerRefSerializer(similar_speakers(others, created["name"]), many=True)
        # The ETag stays that of the speaker as a GET reads it.
        response.data = {**created, "similar_speakers": similar.data}
        return response


class ClaimViewSet(
    HistoryMixin,
    ProjectedClaimReadMixin,
    VersionedMixin,
    ReadWriteSerializerMixin,
    ModelViewSet,
):
    """Claims with their speaker, appearances, rebuttals, reviews and verdict.

    Also served as `/speakers/{slug}/claims/`, which is `/claims/?speaker={slug}`.
    """

    serializer_class = ClaimSerializer
    write_serializer_class = ClaimWriteSerializer
    filterset_class = ClaimFilter

    speaker = None  # the speaker's id, set by list() when served as /speakers/{slug}/claims/

    def get_queryset(self):
        user = self.request.user
        claims = Claim.objects.visible_to(user)
        if not self.projected(self.request):  # the fast path's SQL reads the related rows
            claims = claims.for_api(user)
        if self.speaker is not None:
            claims = claims.filter(speaker=self.speaker)
        return claims

    def list(self, request, *args, **kwargs):
        if "speaker_slug" in kwargs:
            self.speaker = speaker_id_or_404(kwargs["speaker_slug"])
        return super().list(request, *args, **kwargs)

    def get_written_queryset(self):
        return Claim.objects.for_api(self.request.user)

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    def perform_update(self, serializer):
        claim_save(
            claim=serializer.instance,
            changes=dict(serializer.validated_data),
            by=self.request.user,
        )

    @extend_schema(request=AppearanceWriteSerializer, responses={201: AppearanceSerializer})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[HasModelPermission.of("claims.add_appearance")],
        filterset_class=None,
    )
    def appearances(self, request, pk=None):
        """Record that this claim appears in a source, with the verbatim quote."""
        claim = self.get_object()
        context = {
            **self.get_serializer_context(),
            "read_fields": AppearanceSerializer.Meta.fields,  # not the claim's
        }
        serializer = AppearanceWriteSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        appearance = appearance_create(claim=claim, **serializer.validated_data)
        return Response(AppearanceSerializer(appearance).data, status=status.HTTP_201_CREATED)


class RebuttalViewSet(HistoryMixin, VersionedMixin, ReadWriteSerializerMixin, ModelViewSet):
    """Answers to claims by other speakers (or the speaker's own correction)."""

    serializer_class = RebuttalSerializer
    write_serializer_class = RebuttalWriteSerializer
    filterset_class = RebuttalFilter

    def get_queryset(self):
        user = self.request.user
        return Rebuttal.objects.visible_to(user).for_api(user).order_by("-id")

    def get_written_queryset(self):
        return Rebuttal.objects.for_api(self.request.user)


class ReviewViewSet(HistoryMixin, VersionedMixin, ReadWriteSerializerMixin, ModelViewSet):
    """Fact-check verdicts (schema.org ClaimReview)."""

    serializer_class = ReviewSerializer
    write_serializer_class = ReviewWriteSerializer
    filterset_class = ReviewFilter

    def get_queryset(self):
        return Review.objects.visible_to(self.request.user).for_api().newest_first()

    def get_written_queryset(self):
        return Review.objects.for_api()

    def perform_update(self, serializer):
        review_save(
            review=serializer.instance,
            changes=dict(serializer.validated_data),
            by=self.request.user,
        )


class TopicViewSet(VersionedMixin, ModelViewSet):
    """Subjects claims are filed under, looked up by slug."""

    serializer_class = TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    filterset_fields = []

    def get_queryset(self):
        return Topic.objects.order_by("name", "id")
