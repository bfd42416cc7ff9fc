"""Mailings at network scale, part of `make bench` (bench/run.py calls `measure_mailings`).

1. The newsletter to every member: composed by a coordinator, sent by the job queue to a local
   SMTP sink (bench/smtp_sink.py); the job consumer is killed (SIGKILL) once about a third has
   gone out, and another one started: messages per second, and duplicates (must be zero).
2. The daily digest of every member, a batch of 200 people at a time, each batch composed and
   sent in-process: queries per batch (bounded, whatever the batch holds) and digests per second.

Runs on the bench database of the scale (PostgreSQL + Redis when they answer), with Django set up
by the caller; leaves the database as it found it.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from bench.smtp_sink import Sink

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
KILL_AT = 0.3
DIGEST_GROUPS = ("discussions", "meetings", "library", "plan")


def _consumer(env, workers):
    return subprocess.Popen(
        [PYTHON, "manage.py", "run_huey", "--workers", str(workers), "--no-periodic", "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _clean():
    from cercles.coordination.models import Newsletter
    from cercles.notifications.models import (
        DigestSchedule,
        EmailDelivery,
        Mailing,
        NotificationPreference,
    )

    Newsletter.objects.filter(subject__startswith="[bench]").delete()
    Mailing.objects.filter(key__startswith="newsletter:").delete()
    EmailDelivery.objects.filter(key__regex=r"^(newsletter|digest):").delete()
    DigestSchedule.objects.all().delete()
    NotificationPreference.objects.filter(group__in=DIGEST_GROUPS, delivery="daily").delete()


def measure_newsletter(env, workers=2, timeout=900):
    from huey.contrib.djhuey import HUEY

    from cercles.accounts.models import User
    from cercles.coordination import services
    from cercles.coordination.newsletter import compile_draft
    from cercles.notifications.models import EmailDelivery, EmailStatus, Mailing

    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    today = timezone.localdate()
    started = time.monotonic()
    body = compile_draft(today - datetime.timedelta(days=30), today)
    compile_seconds = time.monotonic() - started
    newsletter = services.create_newsletter(coordinator, period_start=today, period_end=today)
    services.update_newsletter(
        coordinator, newsletter, subject="[bench] Nouvelles du réseau", body=body
    )
    with Sink() as sink:
        consumer_env = {
            **env,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "EMAIL_RATE_LIMIT": "0",
            "MAILING_LEASE_SECONDS": "5",
            "LOG_LEVEL": "ERROR",
        }
        HUEY.immediate = False
        with override_settings(MAILING_WORKERS=workers):
            services.send_newsletter(coordinator, newsletter)
        newsletter.refresh_from_db()
        total = newsletter.recipient_count
        first = _consumer(consumer_env, workers)
        sink.wait_for(int(total * KILL_AT), timeout=timeout)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = sink.count
        second = _consumer(consumer_env, workers)
        deadline = time.monotonic() + timeout
        done = False
        while time.monotonic() < deadline and not done:
            time.sleep(0.5)
            done = Mailing.objects.filter(
                key=newsletter.mailing_key, status=Mailing.Status.DONE
            ).exists()
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
        times = list(sink.recorder.times)
        copies = sink.by_recipient()
    statuses = dict(
        EmailDelivery.objects.filter(key=newsletter.mailing_key)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    elapsed = (times[-1] - times[0]) if len(times) > 1 else 0
    result = {
        "recipients": total,
        "skipped": newsletter.skipped_count,
        "received": len(times),
        "distinct_recipients": len(copies),
        "duplicates": sum(n - 1 for n in copies.values() if n > 1),
        "interrupted": statuses.get(EmailStatus.INTERRUPTED, 0),
        "killed_after": killed_at,
        "finished": done,
        "seconds": elapsed,
        "messages_per_second": len(times) / elapsed if elapsed else 0,
        "compile_draft_seconds": compile_seconds,
        "consumer_workers": workers,
    }
    return result


def measure_digests(batch_size=200, window_days=365):
    """The daily digest of every active member, batch by batch, in-process."""
    from cercles.accounts.models import User
    from cercles.notifications.digests import batches, ensure_schedules, send_digest_batch
    from cercles.notifications.models import DigestSchedule, NotificationPreference

    now = timezone.now()
    ids = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user_id=pk, group=g, delivery="daily") for pk in ids
         for g in DIGEST_GROUPS],
        batch_size=5000, ignore_conflicts=True,
    )  # fmt: skip
    ensure_schedules(now)
    # A long window, so that everyone has news: the heaviest case for composing.
    DigestSchedule.objects.update(last_daily_at=now - datetime.timedelta(days=window_days))
    queries, sent_total, empty_total = [], 0, 0
    with Sink() as sink:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_RATE_LIMIT=0,
        ):
            started = time.monotonic()
            for batch in batches(ids, batch_size):
                with CaptureQueriesContext(connection) as captured:
                    sent, empty = send_digest_batch("daily", batch, now, run="bench")
                queries.append(len(captured.captured_queries))
                sent_total += sent
                empty_total += empty
            seconds = time.monotonic() - started
        received = sink.count
        duplicates = sum(n - 1 for n in sink.by_recipient().values() if n > 1)
    return {
        "people": len(ids),
        "batch_size": batch_size,
        "batches": len(queries),
        "queries_per_batch_max": max(queries) if queries else 0,
        "queries_per_batch_min": min(queries) if queries else 0,
        "digests_sent": sent_total,
        "nothing_new": empty_total,
        "received": received,
        "duplicates": duplicates,
        "seconds": seconds,
        "digests_per_second": sent_total / seconds if seconds else 0,
        "window_days": window_days,
    }


def measure_mailings(env):
    """Both measures, on a clean slate, cleaned up after."""
    debug = settings.DEBUG
    settings.DEBUG = False
    _clean()
    try:
        newsletter = measure_newsletter(env)
        print(
            f"  newsletter to {newsletter['recipients']}: {newsletter['messages_per_second']:.0f} "
            f"messages/s, consumer killed after {newsletter['killed_after']}, "
            f"{newsletter['duplicates']} duplicates, {newsletter['interrupted']} interrupted"
        )
        digests = measure_digests()
        print(
            f"  daily digest for {digests['people']}: {digests['digests_per_second']:.0f}/s, "
            f"{digests['queries_per_batch_min']}–{digests['queries_per_batch_max']} queries per "
            f"batch of {digests['batch_size']}"
        )
    finally:
        _clean()
        settings.DEBUG = debug
    return {"newsletter": newsletter, "digests": digests}


if __name__ == "__main__":
    # Standalone: .venv/bin/python -m bench.mailing (with DATABASE_URL and REDIS_URL set to a
    # database holding a bench network, see `manage.py seed_bench`).
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(measure_mailings(dict(os.environ)))
