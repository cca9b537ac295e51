"""Who is calling: DRF's token header, with a clear answer for a header in another scheme."""

import re

from rest_framework import authentication, exceptions

# An HTTP auth-scheme is a token (RFC 9110); anything else is not repeated back to the client.
_SCHEME = re.compile(rb"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,32}")


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`. A credential in another scheme (`Bearer <key>`, what most
    HTTP client libraries send) is a 401 naming the Token scheme: DRF alone would skip the
    header, so a read would quietly answer as to an anonymous client and a write would say
    that no credentials were provided.

    `Basic` stays ignored: a proxy in front may use it for its own sign-in and pass it on.
    """

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if words and words[0].lower() not in {self.keyword.lower().encode(), b"basic"}:
            scheme = words[0].decode("latin-1") if _SCHEME.fullmatch(words[0]) else "this"
            raise exceptions.AuthenticationFailed(
                f'The {scheme} scheme is not supported: send "Authorization: Token <key>".'
            )
        return super().authenticate(request)
