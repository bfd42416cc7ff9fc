import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import check_for_language
from django.views import defaults
from django.views.decorators.cache import never_cache

from cercles.accounts.services import set_language_preference

from .decorators import post_only
from .health import service_status
from .jobs import DATABASE_UNREACHABLE

# Seconds after which a person (or a load balancer) may try again when the database is away.
RETRY_AFTER_SECONDS = 30


@login_not_required
@never_cache
def healthz(request):
    results, healthy = service_status()
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "services": results},
        status=200 if healthy else 503,
    )


@login_not_required
@post_only
def set_language(request):
    """Switch the interface language; remembered on the person's account when signed in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language and check_for_language(language) and language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            set_language_preference(request.user, language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


@login_not_required
def admin_login(request):
    """The admin's log-in is the site's: its rate limits and its second factor apply.

    Django's own admin log-in form would let anyone try passwords without any limit.
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@login_not_required
def bench_bare(request):
    return render(request, "core/bench_bare.html")


def server_error(request):
    """Django's 500 page, except when the database does not answer (restarting, unreachable,
    or SQLite busy beyond its timeout): a 503 page saying the service is briefly unavailable,
    in the person's language, with `Retry-After`."""
    if isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return service_unavailable(request)
    return defaults.server_error(request)


def service_unavailable(request):
    # Rendered without the context processors, which read the database.
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        html = loader.get_template("503.html").render(
            {"retry_path": request.path if request.method == "GET" else "/"}
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
