"""Headers every answer carries beyond Django's own (SecurityMiddleware) and the CSP's.

- `Permissions-Policy`: the browser features Cercles never uses are switched off, so that an
  injected script or frame could not reach the camera, the microphone or the position.
- `Cache-Control`: pages served to a signed-in person are theirs. Without the header, a proxy or
  a shared computer's browser may keep and serve again a page that holds personal data (the
  calendar, the notifications, a private discussion). `private, no-cache`: only the person's own
  browser keeps the page, and shows it again only once the server has confirmed it (a 304 for the
  same person, session and page — core/middleware.RepeatViewMiddleware; after a log out, the log
  in page instead). Views that chose their own header keep it, made private unless they said
  `public` on purpose (downloads of private files say `no-store`).
"""

from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
        "payment", "usb", "interest-cohort", "browsing-topics",
    )
)  # fmt: skip


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in (
            request.META
        )
        if personal:
            chosen = response.get("Cache-Control", "")
            if not chosen:
                patch_cache_control(response, private=True, no_cache=True)
            elif "public" not in chosen and "private" not in chosen:
                patch_cache_control(response, private=True)
        return response
