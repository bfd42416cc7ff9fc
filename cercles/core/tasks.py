from django.core.mail import EmailMultiAlternatives
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def deliver_email(subject, body, from_email, to, html=None, headers=None):
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
