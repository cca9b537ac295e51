from django.urls import path

from . import feeds

urlpatterns = [
    path("claims/", feeds.ClaimFeed(), name="feed-claims"),
    path("reviews/", feeds.ReviewFeed(), name="feed-reviews"),
    path("speakers/<str:slug>/", feeds.SpeakerClaimFeed(), name="feed-speaker"),
    path("topics/<str:slug>/", feeds.TopicClaimFeed(), name="feed-topic"),
    path("verdicts/<str:rating>/", feeds.VerdictClaimFeed(), name="feed-verdict"),
]
