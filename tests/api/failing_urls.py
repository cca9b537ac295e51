"""The project's URLs plus two views that fail unexpectedly, for tests of the 500 answer:
`@pytest.mark.urls("tests.api.failing_urls")`."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from factcheck.urls import handler400, handler404, handler500, urlpatterns  # noqa: F401


class Failing(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("an unexpected failure")

    def post(self, request):
        request.data  # noqa: B018  the body is read, and must not be logged
        raise RuntimeError("an unexpected failure")


def failing_page(request):
    raise RuntimeError("an unexpected failure outside the API")


urlpatterns = [
    path("api/v1/failing/", Failing.as_view()),
    path("failing/", failing_page),
    *urlpatterns,
]
