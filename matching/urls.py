"""Included before the API router, whose `claims/{pk}/` would otherwise take `claims/match/`."""

from django.urls import path

from .views import ClaimMatchView, ClaimSimilarView

urlpatterns = [
    path("claims/match/", ClaimMatchView.as_view(), name="claim-match"),
    path("claims/<int:pk>/similar/", ClaimSimilarView.as_view(), name="claim-similar"),
]
