"""A log-in that never loses a post; the sign telling the page's script a post went through;
compressed pages and repeat views answered with 304."""

import hashlib
import re

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.middleware import gzip
from django.middleware.http import ConditionalGetMiddleware
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


class RepeatViewMiddleware(ConditionalGetMiddleware):
    """Conditional GET on every page: a phone coming back to a page that has not changed gets
    `304 Not Modified` and no body. The ETag is a digest of the page as rendered, less what
    differs at every rendering although nothing changed — the CSP nonce and the masked CSRF
    tokens — plus the CSRF secret they stand for, so that a page kept from before a log in (a new
    secret) is sent again. Per-person content needs nothing more: it is in the digest.

    A 304 carries no Content-Security-Policy: the browser keeps the headers of the page it
    holds, whose nonce matches the scripts of that page (a new nonce would block them)."""

    PAGE_TYPES = ("text/html", "application/json")
    PER_RENDERING = re.compile(
        rb'(nonce="|name="csrfmiddlewaretoken" value="|"X-CSRFToken": ?")[^"]*"'
    )

    def needs_etag(self, response):
        return (
            not response.streaming
            and not response.has_header("ETag")
            and response.get("Content-Type", "").startswith(self.PAGE_TYPES)
            and super().needs_etag(response)
        )

    def process_response(self, request, response):
        if request.method == "GET" and response.status_code == 200:
            if self.needs_etag(response):
                digest = hashlib.sha256(self.PER_RENDERING.sub(rb"\1", response.content))
                digest.update(request.META.get("CSRF_COOKIE", "").encode())
                response["ETag"] = f'"{digest.hexdigest()[:32]}"'
            response = super().process_response(request, response)
            if response.status_code == 304:
                response._csp_exempt = response._csp_exempt_ro = True
        return response
