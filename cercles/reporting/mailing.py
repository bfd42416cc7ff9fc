"""The email that tells the network a quarterly report is published, sent by the sending
service (`cercles.notifications.sending`): one copy per person, at most once, in their
language, stopped by those who turned the newsletter off."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from cercles.accounts.models import User
from cercles.core.markdown import render_markdown
from cercles.notifications.models import Delivery, NotificationPreference
from cercles.notifications.sending import Letter, absolute_url
from cercles.notifications.unsubscribe import unsubscribe_path

from .models import QuarterlyReport


def recipients():
    """Every active member of the network who has not turned the newsletter off."""
    return User.objects.filter(is_active=True).exclude(
        pk__in=NotificationPreference.objects.filter(
            group="newsletter", delivery=Delivery.OFF
        ).values("user_id")
    )


def letter_for(report, user):
    context = {
        "report": report,
        "recipient": user,
        "introduction": render_markdown(report.introduction),
        "site_url": settings.SITE_URL.rstrip("/"),
        "link": absolute_url(reverse("reporting:report", args=[report.pk])),
        "pdf_link": absolute_url(reverse("reporting:report_pdf", args=[report.pk])),
        "unsubscribe_link": absolute_url(unsubscribe_path(user, "group:newsletter")),
    }
    return Letter(
        subject=str(report.title),
        text=render_to_string("reporting/emails/report_published.txt", context),
        html=render_to_string("reporting/emails/report_published.html", context),
        unsubscribe="group:newsletter",
        headers={"Precedence": "bulk"},
    )


def render_copies(mailing, users):
    """The sending service's renderer for quarterly reports."""
    report = QuarterlyReport.objects.get(pk=mailing.object_id)

    def write(user):
        return letter_for(report, user)

    return write
