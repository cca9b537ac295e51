"""Request limits counted in shared counters, so that they hold across every worker process.

Rates come from settings (`THROTTLE_ANON`, `THROTTLE_USER`, `THROTTLE_LOGIN` in the
environment). Each limit is a fixed window that opens at a client's first counted event:
`120/min` lets a client make 120 requests, then answers 429 until a minute after the first.
The counters (api.counters: Redis, or a database table) count atomically, so concurrent
requests cannot slip past a limit.
"""

import hashlib
import math

from django.conf import settings
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from .counters import counters
from .rates import parse_rate


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or the address that NUM_PROXIES trusted proxies
    put in X-Forwarded-For (DRF's rules; NUM_PROXIES defaults to 0 here, so that a client
    cannot choose its own address by sending that header)."""
    # (None without REMOTE_ADDR, which only an in-process WSGI call can lack.)
    return BaseThrottle().get_ident(request) or ""


def throttle_key(*parts: str) -> str:
    """A counter's key for a throttle: short and safe whatever the request sent (a username may be
    long or hold spaces)."""
    digest = hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()
    return f"throttle:{parts[0]}:{digest}"


def seconds_header(seconds: float) -> int:
    """Whole seconds for Retry-After, rounded up so that a client retrying then is accepted."""
    return max(1, math.ceil(seconds))


class FixedWindowThrottle(BaseThrottle):
    """A DRF throttle that counts in the shared counters. The rate is read at each request from
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]; None means no limit."""

    scope = ""

    def get_ident_for(self, request) -> str | None:
        """Whom to count this request against, or None to leave it uncounted."""
        raise NotImplementedError

    def allow_request(self, request, view):
        self.remaining = None
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None:
            return True
        ident = self.get_ident_for(request)
        if ident is None:
            return True
        rate = parse_rate(rate)
        count, remaining = counters().hit(throttle_key(self.scope, ident), rate.seconds)
        if count > rate.count:
            self.remaining = remaining
            return False
        return True

    def wait(self):
        return None if self.remaining is None else seconds_header(self.remaining)


class AnonRateThrottle(FixedWindowThrottle):
    """Anonymous clients, counted per IP address."""

    scope = "anon"

    def get_ident_for(self, request):
        return None if request.user.is_authenticated else client_address(request)


class UserRateThrottle(FixedWindowThrottle):
    """Signed-in clients (token or session), counted per user, from whatever address."""

    scope = "user"

    def get_ident_for(self, request):
        return str(request.user.pk) if request.user.is_authenticated else None


class LoginThrottle:
    """Failed sign-ins per (IP address, username). After THROTTLE_LOGIN's count of failures
    within its window, every attempt for that username from that address is refused, right
    password or not, until the window closes."""

    def __init__(self, request, username: str):
        self.key = throttle_key("login", client_address(request), username.strip().casefold())
        self.rate = parse_rate(settings.THROTTLE_LOGIN) if settings.THROTTLE_LOGIN else None

    def refused_for(self) -> float | None:
        """Seconds until attempts are accepted again, or None if they are accepted now."""
        if self.rate is None:
            return None
        failures, remaining = counters().peek(self.key)
        return remaining if failures >= self.rate.count else None

    def failed(self) -> None:
        if self.rate is not None:
            counters().hit(self.key, self.rate.seconds)


class ThrottleFirstMixin:
    """For DRF views: throttles are checked before permissions, so that a refused request (401,
    403) counts like any other; DRF checks them after, which let a client probe tokens or
    permissions without limit. A request whose credentials fail to authenticate is counted
    as anonymous (DRF has made it so) before its 401."""

    def initial(self, request, *args, **kwargs):
        # DRF's APIView.initial, with the throttles moved ahead of the permissions.
        self.format_kwarg = self.get_format_suffix(**kwargs)
        negotiated = self.perform_content_negotiation(request)
        request.accepted_renderer, request.accepted_media_type = negotiated
        version, scheme = self.determine_version(request, *args, **kwargs)
        request.version, request.versioning_scheme = version, scheme
        try:
            self.perform_authentication(request)
        except APIException:
            self.check_throttles(request)
            raise
        self.check_throttles(request)
        self.check_permissions(request)


def throttled_first(view_class):
    """`view_class` (a DRF view) with ThrottleFirstMixin."""
    return type(view_class.__name__, (ThrottleFirstMixin, view_class), {})
