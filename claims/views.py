import json

from django.core.exceptions import ValidationError
from django.db import connections
from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.concurrency import VersionedMixin, etag_of_text
from api.filtering import PATH_GIVES_IT, filters_given
from api.permissions import HasModelPermission
from api.viewsets import ModelViewSet, ReadWriteSerializerMixin

from . import documents, search
from .corrections import claim_update, review_update
from .counts import CountedList
from .filters import ClaimFilter, RebuttalFilter, ReviewFilter, SpeakerFilter
from .history import HistoryMixin
from .models import Appearance, Claim, Rebuttal, Review, Speaker, Topic
from .notes import NoteSerializer, NoteWriteSerializer, StaffNotesPermission, note_add, notes_of
from .querysets import sees_unpublished, similar_speakers
from .serializers import (
    AppearanceChangeSerializer,
    AppearanceDetailSerializer,
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
from .services import (
    appearance_create,
    appearance_delete,
    appearance_save,
    claim_create,
    claim_delete,
    rebuttal_create,
    rebuttal_save,
    review_create,
    review_delete,
)


class DocumentMixin:
    """Rows answered with their documents (claims.documents): the detail (JSON, and the
    browsable API rendering the same document), the answers to writes, and every ETag,
    If-Match included. The read serializers only describe the shape, for the schema.

    A detail is looked up among the rows of `document_model` the client sees
    (`visible(unpublished)`, as `get_queryset()` gives them), filtered as the list would be
    when the query string names filters."""

    document_model = None

    def unpublished(self) -> bool:
        """Whether the client sees unpublished records, in documents as everywhere."""
        if not hasattr(self, "_unpublished"):  # asked once per request (a view per request)
            self._unpublished = sees_unpublished(self.request.user)
        return self._unpublished

    def wants_json(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) == "json"

    def lookup_value(self, model):
        """The URL's lookup value as the lookup field takes it; a 404 when it cannot be one."""
        field = (
            model._meta.pk
            if self.lookup_field == "pk"
            else model._meta.get_field(self.lookup_field)
        )
        try:
            return field.to_python(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except ValidationError:
            raise self.not_found(model) from None

    def not_found(self, model) -> Http404:
        return Http404(f"No {model._meta.object_name} matches the given query.")

    def retrieve(self, request, *args, **kwargs):
        model = self.document_model
        if filters_given(request, self):  # the row must also pass them (DRF's rule)
            queryset = self.filter_queryset(self.get_queryset())
            value = self.lookup_value(model)
            found = documents.fetch_one(queryset, self.unpublished(), **{self.lookup_field: value})
        else:  # no queryset to build: its SQL is compiled once per kind of client
            value = self.lookup_value(model)
            found = documents.fetch_visible(model, self.unpublished(), **{self.lookup_field: value})
        if found is None:
            raise self.not_found(model)
        text, version = found
        tag = etag_of_text(version, text)
        if self.wants_json():  # the document is the body: nothing to parse
            return self.detail_response(request, tag, None, text.encode())
        return self.detail_response(request, tag, json.loads(text))

    def written_response(self, instance, status_code=status.HTTP_200_OK):
        # Read back by primary key: a write may have changed the lookup field (a new slug).
        written = self.get_written_queryset()
        text, version = documents.fetch_one(written, self.unpublished(), pk=instance.pk)
        headers = {"ETag": etag_of_text(version, text)}
        return Response(json.loads(text), status=status_code, headers=headers)

    def current_etag(self, instance) -> str:
        model = type(instance)
        rows = model._default_manager.all()
        text, version = documents.fetch_one(rows, self.unpublished(), pk=instance.pk)
        return etag_of_text(version, text)


class SpeakerViewSet(DocumentMixin, VersionedMixin, ReadWriteSerializerMixin, ModelViewSet):
    """People, organisations and governments, looked up by slug. The detail adds a scorecard."""

    serializer_class = SpeakerSerializer
    write_serializer_class = SpeakerWriteSerializer
    filterset_class = SpeakerFilter
    document_model = Speaker
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    detail_serializer_class = SpeakerDetailSerializer

    def get_queryset(self):
        if self.action == "list":
            return Speaker.objects.for_api(self.request.user)
        # A detail is a document: it reads its related rows. (Every speaker is visible.)
        return Speaker.objects.visible(self.unpublished())

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
    DocumentMixin,
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
    document_model = Claim
    # /speakers/{speaker_slug}/claims/ fills in the `speaker` filter (api.filtering).
    path_filters = {"speaker_slug": "speaker"}
    # Reads are public; the notes action's are not (it sets this: api.schema documents 403).
    reads_need_permission = False

    def get_queryset(self):
        return Claim.objects.visible(self.unpublished())

    def checked_filterset(self, queryset):
        """The FilterSet over `queryset`, validated (api.filtering.StrictFilterBackend), or None
        when no filter is given. The list keeps it: its search plan decides how to count."""
        (backend,) = self.filter_backends
        return backend().checked_filterset(self.request, queryset, self)

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        try:
            filterset = self.checked_filterset(queryset)
        except exceptions.ValidationError as error:
            # The path's speaker is no filter value the client chose: unknown, it is a 404.
            speaker = error.detail.get("speaker") if isinstance(error.detail, dict) else None
            if "speaker_slug" in self.kwargs and speaker and speaker != [PATH_GIVES_IT]:
                raise Http404("No Speaker matches the given query.") from error
            raise
        unpublished = self.unpublished()
        using = queryset.db
        ids_sql = None  # compiled by the count
        if filterset is None:  # all the claims the client sees: compiled once
            ids_sql = documents.visible_ids_sql(Claim, unpublished, using)
        elif (ids := filterset.only_speakers()) is not None:  # the speakers: compiled once
            ids_sql = documents.visible_ids_in_sql(Claim, unpublished, using, "speaker", ids)
        else:
            filterset.filter_unsearched()  # (runs the filters: `ranked` is known after)
            if not filterset.ranked:
                queryset = filterset.qs
        if filterset is not None and filterset.ranked:  # best first, each with its score
            listed = search.RankedClaims(filterset.unsearched, filterset.search_query, unpublished)
        else:
            # A page past EXACT_COUNT_LIMIT is read by the ids query (`counted.sql`) in the order
            # of `in_order` (documents.fetch_page reads only its order and database). A speaker's
            # claims (their ids query compiled once holds the filters) run the filters only to
            # be counted the first time, and for their pages when that order needs a join.
            counted_rows, in_order = queryset, queryset
            if filterset is not None and ids_sql is not None:
                counted_rows = lambda: filterset.qs  # noqa: E731
                if documents.order_sql(Claim, Claim._meta.ordering, connections[using]) is None:
                    in_order = None  # the filtered rows, `counted.queryset`

            def read(start: int, stop: int, counted: CountedList) -> list[str]:
                if counted.ids is not None:  # the whole result's ids in order, read by the count
                    page = counted.ids[start:stop]
                    return documents.fetch_by_ids(Claim, page, unpublished, using)
                rows = counted.queryset if in_order is None else in_order
                return documents.fetch_page(rows, unpublished, start, stop, ids_sql=counted.sql)

            listed = CountedList(counted_rows, read, sql=ids_sql, using=using)
        page = self.paginate_queryset(listed)
        paginator = self.paginator
        count = paginator.page.paginator.count
        next_link, previous_link = paginator.get_next_link(), paginator.get_previous_link()
        if self.wants_json():
            body = documents.page_body(count, next_link, previous_link, page)
            return HttpResponse(body, content_type="application/json")
        return paginator.get_paginated_response([json.loads(text) for text in page])

    def get_written_queryset(self):
        return Claim.objects.all()  # the writer has just sent the row, even a draft

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        topics = data.pop("topics", None)
        claim = Claim(**data, created_by=self.request.user)
        serializer.instance = claim_create(claim=claim, topics=topics, by=self.request.user)

    def perform_destroy(self, instance):
        claim_delete(claim=instance, by=self.request.user)

    def perform_update(self, serializer):
        claim_update(
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

    @extend_schema(
        methods=["GET"],
        responses={200: NoteSerializer(many=True)},
        filters=False,
        description=(
            "The claim's internal notes, newest first: for staff accounts that see unpublished "
            "claims. Never in any public answer, export, feed or history."
        ),
    )
    @extend_schema(
        methods=["POST"],
        request=NoteWriteSerializer,
        responses={201: NoteSerializer},
        description=(
            "Add an internal note to the claim: for staff accounts that may change claims. "
            "The claim itself is not changed (same version, same ETag)."
        ),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[StaffNotesPermission],
        filterset_class=None,
        pagination_class=None,
        reads_need_permission=True,  # api.schema: a GET may answer 403
    )
    def notes(self, request, pk=None):
        """Internal notes on this claim, newest first (GET), or a new one (POST): staff
        accounts that may see claims read them, those that may change claims add them.
        Never in any public answer, export, feed or history."""
        claim = self.get_object()
        if request.method == "GET":
            return Response(NoteSerializer(notes_of(claim), many=True).data)
        context = {**self.get_serializer_context(), "read_fields": NoteSerializer.Meta.fields}
        serializer = NoteWriteSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        note = note_add(claim=claim, text=serializer.validated_data["text"], by=request.user)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class AppearanceViewSet(HistoryMixin, VersionedMixin, ReadWriteSerializerMixin, ModelViewSet):
    """Where claims appear, in which verbatim words: read, changed and deleted here; added to
    a claim at `/claims/{id}/appearances/`. The last appearance of a published claim cannot
    be deleted (409): it is the claim's evidence."""

    serializer_class = AppearanceDetailSerializer
    write_serializer_class = AppearanceChangeSerializer
    filterset_class = None
    filterset_fields = []
    http_method_names = ["get", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Appearance.objects.visible_to(self.request.user).for_api().order_by("id")

    def get_written_queryset(self):
        return Appearance.objects.for_api()

    def perform_update(self, serializer):
        appearance_save(
            appearance=serializer.instance,
            changes=dict(serializer.validated_data),
            by=self.request.user,
        )

    def perform_destroy(self, instance):
        appearance_delete(appearance=instance, by=self.request.user)


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

    def perform_create(self, serializer):
        rebuttal = Rebuttal(**serializer.validated_data)
        serializer.instance = rebuttal_create(rebuttal=rebuttal, by=self.request.user)

    def perform_update(self, serializer):
        rebuttal_save(
            rebuttal=serializer.instance,
            changes=dict(serializer.validated_data),
            by=self.request.user,
        )


class ReviewViewSet(HistoryMixin, VersionedMixin, ReadWriteSerializerMixin, ModelViewSet):
    """Fact-check verdicts (schema.org ClaimReview)."""

    serializer_class = ReviewSerializer
    write_serializer_class = ReviewWriteSerializer
    filterset_class = ReviewFilter

    def get_queryset(self):
        return Review.objects.visible_to(self.request.user).for_api().newest_first()

    def get_written_queryset(self):
        return Review.objects.for_api()

    def perform_create(self, serializer):
        review = Review(**serializer.validated_data)
        serializer.instance = review_create(review=review, by=self.request.user)

    def perform_destroy(self, instance):
        review_delete(review=instance, by=self.request.user)

    def perform_update(self, serializer):
        review_update(
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
