from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from cercles.core.email import queue_email

from .services import set_language_preference


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # The same context as allauth's own send_mail: without it its emails greet from an empty
        # site name ("Bonjour, c'est  !") and leave the address out.
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            # Cercles' own voice: the network's name and address, not the server's domain.
            "network_name": settings.NETWORK_NAME,
            "site_url": settings.SITE_URL,
            **context,
        }
        queue_email(self.render_mail(template_prefix, email, context))

    # Apps that react to a confirmed address (communities: the invitations sent to it) listen to
    # allauth's `email_confirmed` signal: accounts knows nothing of them.

    # Failed log-ins are counted per address *and* source (ACCOUNT_RATE_LIMITS["login_failed"]):
    # wrong passwords sent from elsewhere never lock the owner out of their own connection.
    # A wider ceiling per address alone ("login_failed_address") stops guessing spread over many
    # sources; a password reset clears both, so the owner always gets in through a reset link.

    def _address_key(self, request, **credentials):
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials):
        return f"{self._address_key(request, **credentials)}:{get_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)
        self._address_rl_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed_address",
            key=self._address_key(request, **credentials),
        )
        if not self._address_rl_usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self):
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_address_rl_usage", None)
        if usage:
            usage.rollback()

    def _delete_login_attempts_cached_email(self, request, **credentials):
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action="login_failed_address",
            key=self._address_key(request, **credentials),
        )

    def login(self, request, user):
        # A language chosen before logging in (the switcher's cookie) is kept, and saved as the
        # person's own; allauth's "signed in" message is written in it during this request.
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES) and chosen != user.language:
            set_language_preference(user, chosen)
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return super().login(request, user)


def user_display(user):
    return user.name
