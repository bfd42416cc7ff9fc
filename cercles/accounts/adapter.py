from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
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
            **context,
        }
        queue_email(self.render_mail(template_prefix, email, context))

    # Apps that react to a confirmed address (communities: the invitations sent to it) listen to
    # allauth's `email_confirmed` signal: accounts knows nothing of them.

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
