"""Rate limits on what people can repeat: posting, inviting, searching.

The accounts' own limits (log-in, sign-up, reset) are allauth's (`ACCOUNT_RATE_LIMITS`), the
API's its own (`API_RATE_*`). This middleware adds the others from `settings.RATE_LIMITS`, by
route name, so that no app needs to know about it: each limit counts per person when signed in,
per address otherwise, in the cache (allauth's rate-limit machinery), and answers with the
friendly 429 page and a `Retry-After` header.
"""

# allauth's sliding-window counter, shared with its own limits.
from allauth.core.internal import ratelimit as counter
from django.conf import settings
from django.shortcuts import render


def limits_for(request):
    match = request.resolver_match
    if match is None:
        return
    for action, limit in settings.RATE_LIMITS.items():
        if request.method not in limit.get("methods", ("POST",)):
            continue
        if limit.get("when_param") and not request.GET.get(limit["when_param"]):
            continue
        names = limit["views"]
        if match.view_name in names or f"{match.namespace}:*" in names:
            yield action, limit["rate"]


def too_many_requests(request, retry_after=60):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for action, rate in limits_for(request):
            per = "user" if request.user.is_authenticated else "ip"
            rates = ",".join(f"{part.strip()}/{per}" for part in rate.split(",") if part.strip())
            allowed = counter.consume(
                request,
                app="cercles",
                action=action,
                config={action: rates},
                limit_get=True,
            )
            if not allowed:
                longest = max(r.duration for r in counter.parse_rates(rates))
                return too_many_requests(request, retry_after=int(min(longest, 3600)))
        return None
