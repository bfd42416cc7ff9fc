"""Pages served to a signed-in person are theirs: no shared cache may keep them.

Without a Cache-Control header, a proxy or a shared computer's browser may keep and serve again
a page that holds personal data (the calendar, the notifications, a private discussion). Views
that chose their own header keep it, made private unless they said `public` on purpose.
"""

from django.utils.cache import patch_cache_control


class PrivateCacheControlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in (
            request.META
        )
        if personal:
            chosen = response.get("Cache-Control", "")
            if not chosen:
                patch_cache_control(response, private=True, no_store=True)
            elif "public" not in chosen and "private" not in chosen:
                patch_cache_control(response, private=True)
        return response
