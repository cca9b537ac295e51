from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.login import ThrottledAdminAuthenticationForm, admin_login
from api.throttling import throttled_first
from api.tokens import TokenView
from api.viewsets import Router
from claims.views import (
    AppearanceViewSet,
    ClaimViewSet,
    RebuttalViewSet,
    ReviewViewSet,
    SpeakerViewSet,
    TopicViewSet,
)
from ingest.views import ArticleViewSet, ProposalViewSet
from interop import urls as interop_urls
from matching import urls as matching_urls
from newsroom.views import SubscriptionViewSet
from sources.views import OutletViewSet, SourceViewSet

router = Router(
    root_links={
        "exports/claims.csv": "export-claims-csv",
        "exports/claims.jsonl": "export-claims-jsonl",
        "feeds/claims": "feed-claims",
        "feeds/reviews": "feed-reviews",
    }
)
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("claims", ClaimViewSet, basename="claim")
router.register("appearances", AppearanceViewSet, basename="appearance")
router.register("rebuttals", RebuttalViewSet, basename="rebuttal")
router.register("reviews", ReviewViewSet, basename="review")
router.register("sources", SourceViewSet, basename="source")
router.register("outlets", OutletViewSet, basename="outlet")
router.register("topics", TopicViewSet, basename="topic")
router.register("ingest", ArticleViewSet, basename="article")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("webhooks", SubscriptionViewSet, basename="webhook")

speaker_claims = ClaimViewSet.as_view({"get": "list"})

# Failed admin sign-ins are throttled per IP address and username (api.login);
# the route comes before the admin's own, which it wraps.
admin.site.login_form = ThrottledAdminAuthenticationForm

# The API first, its most requested routes foremost: Django tries the patterns in order on
# every request, and each pattern or include tried costs a little (the front door and the admin
# first were about 3% of a claim's detail; an include per app under the same prefix, a failed
# resolver more). A speaker's claims come first in `urlpatterns`, one level deep; the rest of
# the API is this one include. No two of these patterns match the same path, but for the order
# noted below.
api_v1 = [
    # Claim matching (matching/): before the router, whose claims/{pk}/ would take claims/match/.
    *matching_urls.urlpatterns,
    *router.urls,
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    # ClaimReview export and import, and the Fact Check Tools-compatible search (interop/).
    *interop_urls.urlpatterns,
    path("exports/", include("newsroom.export_urls")),
]

urlpatterns = [
    path("api/v1/speakers/<str:speaker_slug>/claims/", speaker_claims, name="speaker-claims"),
    path("api/v1/", include(api_v1)),
    path("api/", RedirectView.as_view(pattern_name="api-root")),
    path("api/schema/", throttled_first(SpectacularAPIView).as_view(), name="schema"),
    path(
        "api/docs/",
        throttled_first(SpectacularSwaggerView).as_view(url_name="schema"),
        name="docs",
    ),
    path("feeds/", include("newsroom.feed_urls")),
    # The front door: what this is, and links to the API, its docs and the admin ("View site").
    path("", TemplateView.as_view(template_name="api/home.html"), name="home"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]

handler400 = "api.errors.bad_request"
handler404 = "api.errors.not_found"
handler500 = "api.errors.server_error"
