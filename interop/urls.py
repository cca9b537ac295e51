from django.urls import path

from .views import (
    ClaimReviewDetailView,
    ClaimReviewFeedView,
    ClaimReviewImportView,
    CompatSearchView,
)

urlpatterns = [
    path("claimreview/", ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    path(
        "reviews/<str:pk>/claimreview/",
        ClaimReviewDetailView.as_view(),
        name="review-claimreview",
    ),
    path("imports/claimreview/", ClaimReviewImportView.as_view(), name="import-claimreview"),
    path("compat/claims:search", CompatSearchView.as_view(), name="compat-claims-search"),
]
