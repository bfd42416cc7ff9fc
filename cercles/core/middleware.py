"""A log-in that never loses a post; the sign telling the page's script a post went through."""

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.middleware import gzip
from django.shortcuts import resolve_url

from .decorators import page_of

SENT_COOKIE = "cercles_sent"


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except for a post sent after the session expired: the person comes back, once
    logged in, to the page they were on (never to an address taking posts only), where their
    draft waits (static/js/cercles.js). htmx requests get the log-in page as a full page."""

    def handle_no_permission(self, request, view_func):
        if request.method in ("GET", "HEAD"):
            response = super().handle_no_permission(request, view_func)
        else:
            response = redirect_to_login(
                page_of(request),
                resolve_url(self.get_login_url(view_func)),
                self.get_redirect_field_name(view_func),
            )
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = response["Location"]
        return response


class SentMiddleware:
    """After a post that went through (not sent back to log in, refused or failed), a short-lived
    cookie tells the next page's script that the draft of the form sent can be forgotten."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = None

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and response.status_code < 400:
            if self.login_path is None:
                self.login_path = resolve_url(settings.LOGIN_URL)
            location = response.get("Location", "")
            if not (
                response.status_code in (301, 302, 303) and location.startswith(self.login_path)
            ):
                response.set_cookie(
                    SENT_COOKIE, "1", max_age=3600, samesite="Lax", secure=request.is_secure()
                )
        return response


class GZipMiddleware(gzip.GZipMiddleware):
    """Django's, for text only (pages, JSON, ICS): downloads (PDF, ZIP, images) are already
    compressed or not worth it. BREACH: Django adds random bytes to each compressed response
    ("Heal the BREACH") and masks the CSRF token differently in every response; the CSP sends
    no secret in pages. Static files are served compressed by WhiteNoise, untouched here."""

    COMPRESSED_TYPES = ("text/", "application/json", "application/problem+json", "image/svg+xml")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(self.COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
