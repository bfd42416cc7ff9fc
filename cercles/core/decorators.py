"""Views that only take a form's post, and the page a post came from."""

from functools import wraps

from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme


def _is_post_only(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "post_only", False)


def page_above(path):
    """The nearest address above `path` that shows a page (not one taking posts only): where a
    form posting to `path` lives, e.g. /communities/eau/discussions/4/reply → …/discussions/4/."""
    parts = path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        for candidate in ("/".join(parts) + "/", "/".join(parts)):
            if candidate and _is_post_only(candidate) is False:
                return candidate
    return "/"


def page_of(request):
    """Where the person was when they sent the request: the page they came from (same site),
    else the page above the address."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        from urllib.parse import urlsplit

        parts = urlsplit(referer)
        page = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path != request.path and _is_post_only(parts.path) is False:
            return page
    return page_above(request.path)


def post_only(view=None, *, to=None):
    """Instead of require_POST: a view that acts on a form's post. A GET (a link followed, a
    log-in coming back to this address, a reload) is not an empty 405 page but a redirect to the
    page the form lives on: `to(request, **kwargs)` when given, else the nearest page above."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            target = to(request, *args, **kwargs) if to else page_above(request.path)
            return HttpResponseRedirect(target)

        wrapper.post_only = True
        return wrapper

    return decorate(view) if view is not None else decorate
