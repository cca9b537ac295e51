"""Tokens without a shell: a username and password get the user's API token; the token
revokes itself.

Failed attempts are throttled exactly like the admin's sign-in (api.login): THROTTLE_LOGIN
failures per IP address and username, then every attempt for that username from that address
is refused with 429 and Retry-After, right password or not, until the window closes.
"""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .authentication import TokenAuthentication
from .serializers import StrictSerializer
from .throttling import LoginThrottle, seconds_header

INVALID = "Unable to sign in with this username and password."


class SignInSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True, help_text='Send it with every request as "Authorization: Token <token>".'
    )


class TokenView(APIView):
    """POST: sign in, get your token (made on first use). DELETE: revoke the token sent."""

    def get_authenticators(self):
        # Signing in needs no credentials (and a stale token sent along must not stand in the
        # way); revoking is done by the token itself, never by a session.
        if self._revoking():
            return [TokenAuthentication()]
        return []

    def get_permissions(self):
        return [IsAuthenticated()] if self._revoking() else [AllowAny()]

    def _revoking(self) -> bool:
        # (The schema generator asks before it has given the view a request.)
        return getattr(self.request, "method", None) == "DELETE"

    @extend_schema(
        request=SignInSerializer,
        responses={200: TokenSerializer},
        auth=[],
        description=(
            "Your API token, for your username and password; the first call makes it. "
            "After THROTTLE_LOGIN's count of failures (default 5 in 15 minutes) for a "
            "username from one address, every attempt is 429 until the window closes."
        ),
    )
    def post(self, request):
        serializer = SignInSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        username, password = (serializer.validated_data[k] for k in ("username", "password"))
        throttle = LoginThrottle(request, username)
        refused_for = throttle.refused_for()
        if refused_for is not None:
            raise Throttled(wait=seconds_header(refused_for))
        user = authenticate(request._request, username=username, password=password)
        if user is None:  # a wrong password, no such user, or an inactive account
            throttle.failed()
            raise ValidationError({"non_field_errors": [INVALID]}, code="authorization")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(
        request=None,
        responses={204: None},
        description=(
            "Revoke the token this request is authenticated with; the next sign-in makes a new one."
        ),
    )
    def delete(self, request):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
