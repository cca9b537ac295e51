"""Webhook subscriptions over the API: `/api/v1/webhooks/`."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import HasModelPermission
from api.viewsets import ModelViewSet

from .models import Delivery, Subscription
from .serializers import DeliverySerializer, SubscriptionCreatedSerializer, SubscriptionSerializer
from .services import subscription_rotate_secret


class ModelPermissions(permissions.DjangoModelPermissions):
    """The model's permissions, reads included (`newsroom.view_subscription`)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class SubscriptionViewSet(ModelViewSet):
    """Webhook subscriptions (users with the subscription permissions). Each user sees and
    changes their own; a superuser, everyone's. The signing secret is shown once, in the
    answer to the create (and to `rotate-secret`)."""

    serializer_class = SubscriptionSerializer
    queryset = Subscription.objects.none()  # the model, for the schema; get_queryset reads
    permission_classes = [ModelPermissions]
    reads_need_permission = True  # api.schema documents the 403 of reads
    filterset_class = None
    filterset_fields = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        subscriptions = Subscription.objects.select_related("owner").order_by("id")
        user = self.request.user
        return subscriptions if user.is_superuser else subscriptions.filter(owner=user)

    @extend_schema(responses={201: SubscriptionCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = serializer.save(owner=request.user)
        data = SubscriptionCreatedSerializer(subscription).data
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        changes = serializer.validated_data
        if changes.get("active") and not serializer.instance.active:
            # Switched back on: count failures afresh.
            serializer.save(failure_count=0, disabled_at=None)
        else:
            serializer.save()

    @extend_schema(request=None, responses={200: SubscriptionCreatedSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="rotate-secret",
        filterset_class=None,
        permission_classes=[HasModelPermission.of("newsroom.change_subscription")],
    )
    def rotate_secret(self, request, pk=None):
        """Replace the signing secret; answers with the new one (shown once)."""
        with transaction.atomic():
            subscription = self.get_object()
            subscription_rotate_secret(subscription=subscription)
        return Response(SubscriptionCreatedSerializer(subscription).data)

    @extend_schema(responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None)
    def deliveries(self, request, pk=None):
        """This subscription's delivery log, newest first."""
        subscription = self.get_object()
        deliveries = Delivery.objects.filter(subscription=subscription).order_by("-id")
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)
