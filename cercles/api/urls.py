import functools

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from .api import api, not_found
from .problems import problem_response


def _as_api_view(view):
    """The API answers visitors itself (401 or public data): no redirect to the login page; a
    wrong method answers a problem too."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "problem" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            response = problem_response(request, "method-not-allowed")
            response["Allow"] = allowed
        return response

    return login_not_required(wrapper)


def _open_to_visitors(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _open_to_visitors(pattern.url_patterns)
        else:
            pattern.callback = _as_api_view(pattern.callback)
    return patterns


_patterns, _app_name, _namespace = api.urls
urlpatterns = [
    path("api/", (_open_to_visitors(_patterns), _app_name, _namespace)),
    re_path(r"^api/(?P<rest>.*)$", login_not_required(csrf_exempt(not_found))),
]
