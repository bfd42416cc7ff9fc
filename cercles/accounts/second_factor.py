"""Coordinators and staff use a second factor (issue 19): they read everyone's follow-up.

Until they have set up an authenticator app, every page but the account pages sends them to
its set-up, with a message saying why. Everyone else may set it up from their menu.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# The account pages (log-out, the set-up itself, email, password), static files and the health
# check stay reachable.
EXEMPT = ("/accounts/", "/static/", "/language/", "/healthz", "/privacy/")


def needs_second_factor(user):
    return (
        user.is_authenticated
        and (user.is_coordinator or user.is_staff or user.is_superuser)
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_COORDINATORS
            and not request.path.startswith(EXEMPT)
            and needs_second_factor(request.user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"title": "Two-factor authentication required", "status": 403}, status=403
                )
            messages.warning(
                request,
                _(
                    "Your role lets you read the follow-up of every community: set up "
                    "two-factor authentication with an authenticator app before going on."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


# --- Personal data: signed-in devices and second factors --------------------------------------


def export_sign_in(person, writer):
    from allauth.usersessions.models import UserSession

    writer.json(
        "sign-in/sign-in.json",
        {
            "two_factor_methods": sorted(
                Authenticator.objects.filter(user=person).values_list("type", flat=True)
            ),
            "signed_in_devices": [
                {
                    "address": session.ip,
                    "browser": session.user_agent,
                    "signed_in_at": session.created_at,
                    "last_seen_at": session.last_seen_at,
                }
                for session in UserSession.objects.filter(user=person).order_by("created_at")
            ],
        },
    )


def erase_sign_in(person, actor):
    from allauth.usersessions.models import UserSession

    Authenticator.objects.filter(user=person).delete()
    UserSession.objects.filter(user=person).delete()
