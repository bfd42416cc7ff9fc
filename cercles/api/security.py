"""Who is calling: a personal API token (Authorization: Bearer cer_…) or the site's session.

A token stands for its owner: `request.user` becomes the owner, with their language and time
zone, so that every endpoint asks the same permissions as the pages. A token sent but not valid
is refused (never silently read as a visitor). Write endpoints require a token with write access.
Rate limits count per token, per signed-in person (session) and per address (visitors).
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle

from cercles.accounts.services import authenticate_api_token
from cercles.core.audit import client_address

from .problems import Problem


def _act_as(request, user):
    request.user = user
    if user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
    try:
        timezone.activate(zoneinfo.ZoneInfo(user.timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class ApiToken(HttpBearer):
    """Personal API token, created on the profile page: `Authorization: Bearer cer_…`."""

    def __init__(self, *, write=False):
        self.write = write
        super().__init__()

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header and not header.lower().startswith("bearer "):
            raise Problem("token-invalid")
        return super().__call__(request)

    def authenticate(self, request, token):
        api_token = authenticate_api_token(token.strip())
        if self.write and not api_token.can_write:
            raise Problem(
                "insufficient-scope",
                headers={"WWW-Authenticate": 'Bearer realm="cercles", error="insufficient_scope"'},
            )
        request.api_token = api_token
        _act_as(request, api_token.user)
        return api_token.user


class SessionCookie(APIKeyCookie):
    """The site's own session (htmx); unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


def visitor(request):
    """Public endpoints answer visitors too, with what visitors may see."""
    return AnonymousUser()


def readers():
    """Authentication of read endpoints open to visitors."""
    return [ApiToken(), SessionCookie(), visitor]


# In the OpenAPI document: a token, the session, or nothing at all.
OPEN_TO_VISITORS = {"security": [{}]}  # added to the token and the session


def people():
    """Authentication of read endpoints for signed-in people."""
    return [ApiToken(), SessionCookie()]


def writers():
    """Authentication of write endpoints: a token with write access, or the session."""
    return [ApiToken(write=True), SessionCookie()]


class CallerRateThrottle(SimpleRateThrottle):
    """One budget per token, per signed-in person and per visitor's address; the rates are read
    from the settings at each request (API_RATE_TOKEN, API_RATE_SESSION, API_RATE_VISITOR)."""

    scope = "api"

    def __init__(self):
        self.rate = settings.API_RATE_TOKEN
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request):
        api_token = getattr(request, "api_token", None)
        if api_token is not None:
            rate, ident = settings.API_RATE_TOKEN, f"token-{api_token.pk}"
        elif request.user.is_authenticated:
            rate, ident = settings.API_RATE_SESSION, f"user-{request.user.pk}"
        else:
            rate, ident = settings.API_RATE_VISITOR, f"address-{client_address(request)}"
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return self.cache_format % {"scope": self.scope, "ident": ident}
