import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from .sending import SUBJECT_PREFIX, Letter, absolute_url


def notification_letter(notification):
    """The email of one notification, in the current language (the recipient's)."""
    from .kinds import GROUPS, KINDS
    from .unsubscribe import unsubscribe_path

    message = notification.message
    kind = KINDS.get(notification.kind)
    scope = f"group:{kind.group}" if kind else ""
    context = {
        "unsubscribe_link": (
            absolute_url(unsubscribe_path(notification.recipient, scope)) if scope else ""
        ),
        "unsubscribe_what": str(GROUPS[kind.group].label).lower() if kind else "",
        "recipient": notification.recipient,
        "notification": notification,
        "message": message,
        "link": absolute_url(notification.get_absolute_url()) if notification.url else "",
        "settings_link": absolute_url(reverse("notifications:settings")),
    }
    return Letter(
        subject=SUBJECT_PREFIX + " ".join(message.split())[:150],
        text=render_to_string("notifications/emails/notification.txt", context),
        html=render_to_string("notifications/emails/notification.html", context),
        unsubscribe=scope,
    )


@db_task(retries=3, retry_delay=60)
def send_notification_email(notification_id):
    """Email one notification to its recipient, in the recipient's language, at most once."""
    from .models import Notification
    from .sending import send_letter

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.is_active:
        return
    send_letter(
        f"notification:{notification.pk}",
        notification.recipient,
        lambda _user: notification_letter(notification),
    )


@db_task(retries=2, retry_delay=120)
def send_digest_batch_job(frequency, user_ids, until_iso, run=""):
    from .digests import send_digest_batch

    return send_digest_batch(
        frequency, user_ids, datetime.datetime.fromisoformat(until_iso), run=run
    )


def queue_due_digests(now=None):
    """Queue the digests whose time has come, a batch per job; returns how many people."""
    from .digests import batches, claim_due, ensure_schedules
    from .kinds import DIGESTS

    now = now or timezone.now()
    ensure_schedules(now)
    queued = 0
    for frequency in DIGESTS:
        ids = claim_due(frequency, now)
        for batch in batches(ids):
            send_digest_batch_job(str(frequency), batch, now.isoformat())
        queued += len(ids)
    return queued


@db_periodic_task(crontab(minute="*/15"))
def schedule_digests():
    """Every quarter of an hour: each person's digests at the hour they chose, in their zone."""
    return queue_due_digests()


@db_task(retries=3, retry_delay=30)
def run_mailing_job(mailing_id):
    from .sending import run_mailing

    return run_mailing(mailing_id)


@db_periodic_task(crontab(minute="*"))
def resume_mailings():
    """Every minute, and when a consumer starts: mailings left unfinished (their consumer died)
    get a job again; a copy in flight when it died is never sent twice."""
    from .sending import unfinished_mailings

    for mailing_id in unfinished_mailings():
        run_mailing_job(mailing_id)


@HUEY.on_startup()
def _resume_mailings_on_startup():
    # Runs in each worker of a starting consumer: queue the check rather than run it here.
    resume_mailings()
