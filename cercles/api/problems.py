"""Errors as RFC 9457 problem details, in the person's language.

Every error of the API answers `application/problem+json` with a `type` (a URI naming the kind
of problem, described at /api/problems/<code>), a `title` and a `detail` in the language of the
person (their profile's language for a token, the browser's otherwise), the `status` and the
`instance` (the path asked for). Invalid input adds `errors`: one entry per field.
"""

import json
import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from cercles.accounts.services import TokenRejected

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"

# code → (status, title, what it means)
PROBLEM_TYPES = {
    "not-found": (404, gettext_lazy("Not found"), gettext_lazy(
        "Nothing here, or nothing you may see: a missing and a forbidden resource answer alike.")),
    "forbidden": (403, gettext_lazy("Not allowed"), gettext_lazy(
        "You may see this resource but not do this with it.")),
    "unauthenticated": (401, gettext_lazy("Authentication needed"), gettext_lazy(
        "Send a personal API token (Authorization: Bearer …) or sign in.")),
    "token-invalid": (401, gettext_lazy("Unknown token"), gettext_lazy(
        "This API token does not exist.")),
    "token-expired": (401, gettext_lazy("Expired token"), gettext_lazy(
        "This API token has expired: create a new one on your profile page.")),
    "token-revoked": (401, gettext_lazy("Revoked token"), gettext_lazy(
        "This API token has been revoked: create a new one on your profile page.")),
    "insufficient-scope": (403, gettext_lazy("Read-only token"), gettext_lazy(
        "This token may only read: create a token with write access to do this.")),
    "method-not-allowed": (405, gettext_lazy("Method not allowed"), gettext_lazy(
        "This address does not answer this HTTP method: see Allow.")),
    "invalid-input": (422, gettext_lazy("Invalid input"), gettext_lazy(
        "Some parameters are missing or wrong: see errors.")),
    "refused": (409, gettext_lazy("Refused"), gettext_lazy(
        "The request is valid but cannot be done in the present state: see detail.")),
    "csrf-failed": (403, gettext_lazy("Missing CSRF token"), gettext_lazy(
        "Requests signed in with the session cookie must send the CSRF token "
        "(X-CSRFToken header).")),
    "rate-limited": (429, gettext_lazy("Too many requests"), gettext_lazy(
        "Slow down: wait for the number of seconds in Retry-After.")),
    "server-error": (500, gettext_lazy("Server error"), gettext_lazy(
        "Something went wrong on our side; it has been logged.")),
}  # fmt: skip


class Problem(Exception):
    def __init__(self, code, detail="", *, errors=None, headers=None):
        super().__init__(code)
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(request, code, detail="", *, errors=None, headers=None):
    status, title, meaning = PROBLEM_TYPES[code]
    body = {
        "type": request.build_absolute_uri(reverse("api:problem_type", args=[code])),
        "title": str(title),
        "status": status,
        "detail": str(detail or meaning),
        "instance": request.get_full_path(),
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    response["Content-Language"] = getattr(request, "LANGUAGE_CODE", "")
    patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_errors(error):
    """[{"field": …, "message": …}] from a Django ValidationError."""
    if hasattr(error, "error_dict"):
        return [
            {"field": field if field != "__all__" else "", "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": message} for message in error.messages]


def _ninja_errors(errors):
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
        result.append({"field": ".".join(location), "message": error.get("msg", "")})
    return result


def install(api):
    """Map every exception the API may meet to a problem."""

    def handle(exc_class):
        return api.exception_handler(exc_class)

    @handle(Problem)
    def on_problem(request, exc):
        return problem_response(
            request, exc.code, exc.detail, errors=exc.errors, headers=exc.headers
        )

    @handle(Http404)
    def on_not_found(request, exc):
        return problem_response(request, "not-found")

    @handle(PermissionDenied)
    def on_forbidden(request, exc):
        return problem_response(request, "forbidden")

    @handle(AuthenticationError)
    def on_unauthenticated(request, exc):
        return problem_response(
            request, "unauthenticated", headers={"WWW-Authenticate": 'Bearer realm="cercles"'}
        )

    @handle(TokenRejected)
    def on_token_rejected(request, exc):
        return problem_response(
            request,
            f"token-{exc.reason}" if exc.reason in ("expired", "revoked") else "token-invalid",
            headers={"WWW-Authenticate": 'Bearer realm="cercles", error="invalid_token"'},
        )

    @handle(NinjaValidationError)
    def on_invalid_input(request, exc):
        return problem_response(request, "invalid-input", errors=_ninja_errors(exc.errors))

    @handle(DjangoValidationError)
    def on_refused(request, exc):
        return problem_response(
            request, "refused", " ".join(exc.messages), errors=_field_errors(exc)
        )

    @handle(Throttled)
    def on_throttled(request, exc):
        return problem_response(request, "rate-limited")

    @handle(HttpError)
    def on_http_error(request, exc):
        if exc.status_code == 403 and "CSRF" in str(exc):
            return problem_response(request, "csrf-failed")
        code = {404: "not-found", 403: "forbidden", 401: "unauthenticated"}.get(
            exc.status_code, "invalid-input"
        )
        return problem_response(request, code)

    @handle(Exception)
    def on_error(request, exc):
        logger.exception("API error on %s", request.path)
        return problem_response(request, "server-error", _("Something went wrong on our side."))
