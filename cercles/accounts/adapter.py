from allauth.account.adapter import DefaultAccountAdapter

from cercles.core.email import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        queue_email(self.render_mail(template_prefix, email, context))
