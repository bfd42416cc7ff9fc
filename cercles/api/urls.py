from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from .api import api, not_found


def _open_to_visitors(patterns):
    """The API answers visitors itself (401 or public data): no redirect to the login page."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _open_to_visitors(pattern.url_patterns)
        else:
            pattern.callback = login_not_required(pattern.callback)
    return patterns


_patterns, _app_name, _namespace = api.urls
urlpatterns = [
    path("api/", (_open_to_visitors(_patterns), _app_name, _namespace)),
    re_path(r"^api/(?P<rest>.*)$", login_not_required(csrf_exempt(not_found))),
]
