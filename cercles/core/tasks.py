from django.core.mail import EmailMultiAlternatives
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .jobs import once_task


@db_task(retries=3, retry_delay=60)
def deliver_email(subject, body, from_email, to, html=None, headers=None):
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@db_task()
def probe_job(list_key, marker):
    """Diagnostic job of the scale-out check: records which consumer process ran it, on Redis."""
    import os
    import time

    import redis
    from django.conf import settings

    time.sleep(0.05)  # long enough for the jobs to spread over every consumer
    redis.Redis.from_url(settings.REDIS_URL).rpush(list_key, f"{marker}:{os.getpid()}")


@db_periodic_task(crontab(minute="17"))
def forget_expired_archives():
    """Exports and personal-data archives are kept a few days, then deleted."""
    from .archives import forget_expired_archives

    forget_expired_archives()


@once_task()
def record_probe(marker, seconds=0.0):
    """Diagnostic job of the fault checks (bench/faults.py): writes one audit event, after
    `seconds` inside its transaction (time to kill its consumer midway)."""
    import os
    import time

    from .models import AuditEvent

    time.sleep(seconds)
    details = {"marker": marker, "pid": os.getpid()}
    AuditEvent.objects.create(action="core.job_probe", details=details)


@db_periodic_task(crontab(hour="4", minute="11"))
def forget_finished_jobs():
    """The job ledger's finished jobs are deleted after a few days."""
    from .jobs import forget_finished_jobs

    return forget_finished_jobs()
