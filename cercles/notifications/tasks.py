from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from huey.contrib.djhuey import db_task

SUBJECT_PREFIX = "[Cercles] "


def absolute_url(path):
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))


@db_task(retries=3, retry_delay=60)
def send_notification_email(notification_id):
    """Email one notification to its recipient, in the recipient's language."""
    from .models import Notification

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
        return
    recipient = notification.recipient
    if not recipient.is_active:
        return
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        message = notification.message
        context = {
            "recipient": recipient,
            "notification": notification,
            "message": message,
            "link": absolute_url(notification.get_absolute_url()) if notification.url else "",
            "settings_link": absolute_url(reverse("notifications:settings")),
        }
        subject = SUBJECT_PREFIX + " ".join(message.split())[:150]
        body = render_to_string("notifications/emails/notification.txt", context)
        html = render_to_string("notifications/emails/notification.html", context)
    email = EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{context['settings_link']}>",
        },
    )
    email.attach_alternative(html, "text/html")
    email.send()
