"""A newsletter sent by real job consumers on PostgreSQL and Redis, one of them killed mid-send:
no copy goes out twice. Runs where CI runs the suite on PostgreSQL + Redis (.ci/run); skipped on
the embedded SQLite profile, whose job queue lives in one process's files."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench.smtp_sink import Sink
from cercles.accounts.models import User
from cercles.accounts.tests.factories import CoordinatorFactory
from cercles.coordination import services
from cercles.notifications.models import EmailDelivery, EmailStatus, Mailing

ROOT = Path(__file__).resolve().parents[3]
RECIPIENTS = 300

pytestmark = [
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis, shared by separate consumer processes",
    ),
    pytest.mark.django_db(transaction=True),
]


def _database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _consumer(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "2", "--no-periodic", "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_until_done(mailing_key, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Mailing.objects.filter(key=mailing_key, status=Mailing.Status.DONE).exists():
            return True
        time.sleep(0.2)
    return False


def test_killing_a_consumer_mid_send_sends_no_copy_twice():
    from huey.contrib.djhuey import HUEY

    coordinator = CoordinatorFactory()
    people = User.objects.bulk_create(
        User(username=f"lecteur-{i}", email=f"lecteur{i}@example.org", display_name=f"Lecteur {i}")
        for i in range(RECIPIENTS)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people
    )
    today = timezone.localdate()
    newsletter = services.create_newsletter(coordinator, period_start=today, period_end=today)
    services.update_newsletter(coordinator, newsletter, subject="Nouvelles", body="Bonjour à tous.")

    with Sink() as sink:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            # Slow enough to kill the consumer in the middle, fast enough for CI.
            "EMAIL_RATE_LIMIT": "120",
            "MAILING_LEASE_SECONDS": "3",
            "HUEY_IMMEDIATE": "false",
            "LOG_LEVEL": "ERROR",
        }
        HUEY.immediate = False  # queue the jobs in Redis for the consumers
        try:
            services.send_newsletter(coordinator, newsletter)
        finally:
            HUEY.immediate = True
        first = _consumer(env)
        try:
            assert sink.wait_for(RECIPIENTS // 4, timeout=40) >= RECIPIENTS // 4
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        received_at_kill = sink.count
        assert received_at_kill < RECIPIENTS, "the consumer finished before it could be killed"
        second = _consumer(env)
        try:
            assert _wait_until_done(newsletter.mailing_key, timeout=45)
        finally:
            second.terminate()
            second.wait(timeout=20)

    copies = sink.by_recipient()
    assert max(copies.values()) == 1, "a copy went out twice"
    records = EmailDelivery.objects.filter(key=newsletter.mailing_key)
    statuses = dict(records.values_list("address", "status"))
    sent = {address for address, status in statuses.items() if status == EmailStatus.SENT}
    interrupted = {a for a, s in statuses.items() if s == EmailStatus.INTERRUPTED}
    assert sent <= set(copies)
    # Only copies in flight when the consumer died (one per worker) may be left unknown.
    assert len(interrupted) <= 2
    assert len(copies) + len(interrupted - set(copies)) == RECIPIENTS + 1  # + the coordinator
    assert not records.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).exists()
