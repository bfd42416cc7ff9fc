from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from cercles.core.email import queue_email


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

    def confirm_email(self, request, email_address):
        # allauth logs the person in only when this returns True.
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            # A person invited by email lands in the community once their address is confirmed.
            from cercles.communities.services import accept_invitations_for_new_address

            accept_invitations_for_new_address(email_address.user, email_address.email)
        return confirmed

    def login(self, request, user):
        # allauth's "signed in" message is written during this request: in the person's language.
        if user.language:
            translation.activate(user.language)
        return super().login(request, user)


def user_display(user):
    return user.name
