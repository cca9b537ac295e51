"""The admin's sign-in, with failed attempts throttled per IP address and username.

After THROTTLE_LOGIN's count of failures (default 5 in 15 minutes), the form is shown again
with an error and the status 429, and no password is checked until the window closes.
"""

import math

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from .throttling import LoginThrottle, seconds_header


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": (
            "Too many failed sign-in attempts for this username. "
            "Try again in %(minutes)d minute(s)."
        ),
    }

    refused_for: float | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        throttle = LoginThrottle(self.request, username)
        self.refused_for = throttle.refused_for()
        if self.refused_for is not None:
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": math.ceil(self.refused_for / 60)},
            )
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.failed()
            raise


def admin_login(request, extra_context=None):
    """admin.site.login with the throttled form; a refusal answers 429 with Retry-After."""
    response = admin.site.login(request, extra_context)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if isinstance(form, ThrottledAdminAuthenticationForm) and form.refused_for is not None:
        response.status_code = 429
        response["Retry-After"] = str(seconds_header(form.refused_for))
    return response
