"""Sending emails right, for every mailing of Cercles: notifications, digests, the newsletter, and
whatever comes next (the quarterly report).

- Each copy has an idempotency record (`EmailDelivery`, unique per key and person): it is claimed
  by a conditional update, committed, before the message is handed to the mail server, so a job
  that runs twice or a consumer killed mid-send never sends it twice (at most once).
- HTML and plain-text parts, in the person's language and time zone, with `List-Unsubscribe` and
  `List-Unsubscribe-Post` (RFC 8058) when the email is one a person may stop.
- A rate limit shared by every consumer (`EMAIL_RATE_LIMIT` messages per second, through the
  cache, so Redis in production).
- Addresses not confirmed or stopped after a bounce are skipped and counted; refusals and
  failures are recorded per address and shown to the coordinators.

Single emails go through `send_letter()`. Mass mailings are started with `start_mailing()` and
sent by `run_mailing()` jobs that share the work in leased chunks; a registered renderer writes
each copy (`register_renderer`).
"""

import contextlib
import datetime
import logging
import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone, translation

from .models import EmailDelivery, EmailStatus, Mailing, SkipReason, SuppressedAddress
from .unsubscribe import unsubscribe_path

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Cercles] "
MAX_ATTEMPTS = 3


def absolute_url(path):
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))


class TemporaryFailure(Exception):
    """The mail server refused a message for now; the job may try again later."""


@dataclass
class Letter:
    """One person's copy, rendered: subject, plain text, HTML, and what unsubscribing stops."""

    subject: str
    text: str
    html: str
    # "group:<key>" or "digest:<daily|weekly>"; "" for an email one cannot stop.
    unsubscribe: str = ""
    headers: dict = field(default_factory=dict)


# --- Who may receive -----------------------------------------------------------------------------


def eligibility(users):
    """({user id: address} of people an email may reach, {user id: skip reason} of the others).

    Two queries whatever the number of people: confirmed addresses and stopped addresses.
    """
    from allauth.account.models import EmailAddress

    users = list(users)
    confirmed = {
        (user_id, email.lower())
        for user_id, email in EmailAddress.objects.filter(
            user_id__in=[u.pk for u in users], verified=True
        ).values_list("user_id", "email")
    }
    addresses = [u.email.lower() for u in users if u.email]
    stopped = set(
        SuppressedAddress.objects.filter(address__in=addresses).values_list("address", flat=True)
    )
    reachable, skipped = {}, {}
    for user in users:
        address = (user.email or "").lower()
        if not user.is_active:
            skipped[user.pk] = SkipReason.INACTIVE
        elif not address or (user.pk, address) not in confirmed:
            skipped[user.pk] = SkipReason.UNCONFIRMED
        elif address in stopped:
            skipped[user.pk] = SkipReason.SUPPRESSED
        else:
            reachable[user.pk] = user.email
    return reachable, skipped


# --- Rate limit ----------------------------------------------------------------------------------


class RateLimiter:
    """At most `per_second` messages a second across every process sharing the cache."""

    def __init__(self, per_second=None, clock=time.time, sleep=time.sleep):
        self.per_second = settings.EMAIL_RATE_LIMIT if per_second is None else per_second
        self.clock, self.sleep = clock, sleep

    def wait(self):
        if not self.per_second:
            return
        while True:
            now = self.clock()
            key = f"email-rate:{int(now)}"
            cache.add(key, 0, timeout=5)
            try:
                used = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=5)
                used = 1
            if used is None:  # the cache is unreachable: sending slowly beats not sending
                return
            if used <= self.per_second:
                return
            self.sleep(max(int(now) + 1 - now, 0.001))


# --- Building and handing over one message -------------------------------------------------------


def person_zone(user):
    from .services import person_zone as zone

    return zone(user)


def write_for(user, write):
    """Call `write(user)` in the person's language and time zone; returns its Letter."""
    with (
        translation.override(user.language or settings.LANGUAGE_CODE),
        timezone.override(person_zone(user)),
    ):
        return write(user)


def message_domain():
    return settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "cercles"


def build_message(record, user, letter):
    """The email for one claimed copy. Its Message-ID names the record, so that a bounce report
    arriving later (`manage.py record_bounces`) finds the copy it is about."""
    headers = {
        "Auto-Submitted": "auto-generated",
        "Message-ID": f"<cercles-{record.pk}@{message_domain()}>",
        **letter.headers,
    }
    if letter.unsubscribe:
        headers["List-Unsubscribe"] = (
            f"<{absolute_url(unsubscribe_path(user, letter.unsubscribe))}>"
        )
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        " ".join(letter.subject.split())[:200],
        letter.text,
        settings.DEFAULT_FROM_EMAIL,
        [record.address],
        headers=headers,
    )
    message.attach_alternative(letter.html, "text/html")
    return message


def record_id_of(message_id):
    """The EmailDelivery id named by one of our Message-IDs, or None."""
    local = message_id.strip().strip("<>").split("@", 1)[0]
    number = local.removeprefix("cercles-")
    return int(number) if local.startswith("cercles-") and number.isdigit() else None


def _claim(record_id):
    """pending → sending, committed at once: from here on the copy is never sent again."""
    return bool(
        EmailDelivery.objects.filter(pk=record_id, status=EmailStatus.PENDING).update(
            status=EmailStatus.SENDING, attempts=F("attempts") + 1
        )
    )


def _outcome_of(error):
    """(status, permanent address problem?) for an error the mail server gave; status None
    when it is unknown whether the message left (a dropped connection)."""
    code = None
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()), (550, b""))[0]
        if code >= 500:
            return EmailStatus.BOUNCED, True
        return EmailStatus.PENDING, False
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
    if code is not None and 400 <= code < 500:
        return EmailStatus.PENDING, False  # refused for now: nothing left, may be tried again
    if code is not None and code >= 500:
        return EmailStatus.FAILED, False
    return None, False


def hand_over(record, user, letter, connection, *, defer_sent=None):
    """Send one claimed copy and record what happened; returns the new status.

    With `defer_sent` (a list), a copy sent is appended to it instead of being marked at once,
    so that a batch marks its copies sent in one query.
    """
    message = build_message(record, user, letter)
    now = timezone.now()
    try:
        sent = connection.send_messages([message])
    except Exception as error:  # noqa: BLE001 - every failure is recorded, none is lost
        status, permanent = _outcome_of(error)
        detail = f"{type(error).__name__}: {error}"[:2000]
        if status is None:
            # The connection dropped: the server may have taken it. Never resent (at most once).
            _finish(record, EmailStatus.INTERRUPTED, error=detail)
            _close_quietly(connection)
            return EmailStatus.INTERRUPTED
        if status == EmailStatus.PENDING and record.attempts + 1 < MAX_ATTEMPTS:
            EmailDelivery.objects.filter(pk=record.pk).update(
                status=EmailStatus.PENDING,
                error=detail,
                lease_until=now + datetime.timedelta(seconds=60),
            )
            record.status = EmailStatus.PENDING
            return EmailStatus.PENDING
        if status == EmailStatus.PENDING:
            status = EmailStatus.FAILED
        if permanent:
            SuppressedAddress.objects.get_or_create(
                address=record.address.lower(), defaults={"reason": detail}
            )
        _finish(record, status, error=detail)
        return status
    if not sent:
        _finish(record, EmailStatus.FAILED, error="the mail backend sent nothing")
        return EmailStatus.FAILED
    if defer_sent is not None:
        defer_sent.append(record.pk)
        record.status = EmailStatus.SENT
    else:
        _finish(record, EmailStatus.SENT, sent_at=now)
    return EmailStatus.SENT


def _finish(record, status, **fields):
    EmailDelivery.objects.filter(pk=record.pk).update(status=status, **fields)
    record.status = status


def mark_sent(record_ids):
    if record_ids:
        EmailDelivery.objects.filter(pk__in=record_ids, status=EmailStatus.SENDING).update(
            status=EmailStatus.SENT, sent_at=timezone.now()
        )
        record_ids.clear()


def _close_quietly(connection):
    with contextlib.suppress(Exception):  # already broken
        connection.close()


def open_connection():
    connection = get_connection()
    connection.open()
    return connection


# --- Emails to one person, or to a batch of people -----------------------------------------------


def send_letter(key, user, write, *, limiter=None):
    """Send `write(user)` (a Letter) to the person once for `key`, whatever happens; returns
    the record's status. Skipped (and recorded) when the address cannot receive; raises
    TemporaryFailure when the server refused it for now, so that the job tries again."""
    return send_letters([(key, user)], write, limiter=limiter)[user.pk]


def send_letters(pairs, write, *, limiter=None, flush_every=50):
    """Send `write(user)` to each (key, person) pair once, in a fixed number of queries for the
    batch (plus one per failure): records created together, claimed together, marked sent
    together. Returns {user id: status}."""
    pairs = list(pairs)
    users = {user.pk: user for _key, user in pairs}
    keys = {user.pk: key for key, user in pairs}
    reachable, skipped = eligibility(users.values())
    EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(
                key=key,
                user_id=user.pk,
                address=user.email,
                status=EmailStatus.SKIPPED if user.pk in skipped else EmailStatus.PENDING,
                reason=skipped.get(user.pk, ""),
            )
            for key, user in pairs
        ],
        ignore_conflicts=True,
    )
    records = {
        r.user_id: r
        for r in EmailDelivery.objects.filter(user_id__in=list(users), key__in=set(keys.values()))
        if keys.get(r.user_id) == r.key
    }
    statuses = {pk: record.status for pk, record in records.items()}
    letters = {
        pk: write_for(users[pk], write)
        for pk, record in records.items()
        if record.status == EmailStatus.PENDING
    }
    if not letters:
        return statuses
    token = uuid.uuid4().hex
    EmailDelivery.objects.filter(
        pk__in=[records[pk].pk for pk in letters], status=EmailStatus.PENDING
    ).update(status=EmailStatus.SENDING, attempts=F("attempts") + 1, lease_token=token)
    claimed = set(
        EmailDelivery.objects.filter(lease_token=token, status=EmailStatus.SENDING).values_list(
            "user_id", flat=True
        )
    )
    limiter = limiter or RateLimiter()
    connection, sent = None, []
    try:
        for pk, letter in letters.items():
            if pk not in claimed:
                statuses[pk] = EmailStatus.SENDING
                continue
            limiter.wait()
            connection = connection or open_connection()
            statuses[pk] = hand_over(records[pk], users[pk], letter, connection, defer_sent=sent)
            if statuses[pk] == EmailStatus.INTERRUPTED:
                connection = None
            if len(sent) >= flush_every:
                mark_sent(sent)
    finally:
        mark_sent(sent)
        if connection is not None:
            _close_quietly(connection)
    if len(pairs) == 1 and EmailStatus.PENDING in statuses.values():
        raise TemporaryFailure(f"{pairs[0][0]}: refused for now, to be tried again")
    return statuses


# --- Mass mailings -------------------------------------------------------------------------------

# kind → renderer(mailing, users) → write(user) → Letter. A renderer reads what every copy
# needs for a chunk of people at once (a fixed number of queries), then writes each copy.
RENDERERS: dict[str, Callable] = {}


def register_renderer(kind, renderer):
    RENDERERS[kind] = renderer


def start_mailing(kind, object_id, user_ids, *, key):
    """Create the mailing and one record per person (skipped ones counted); the jobs start when
    the transaction commits. Starting the same key twice returns the first mailing."""
    from django.contrib.auth import get_user_model

    if kind not in RENDERERS:
        raise LookupError(f"no renderer for mailings of kind {kind!r}")
    User = get_user_model()
    with transaction.atomic():
        mailing, created = Mailing.objects.get_or_create(
            key=key, defaults={"kind": kind, "object_id": object_id}
        )
        if not created:
            return mailing
        user_ids = list(dict.fromkeys(user_ids))
        for start in range(0, len(user_ids), 2000):
            people = list(
                User.objects.filter(pk__in=user_ids[start : start + 2000]).only(
                    "pk", "email", "is_active"
                )
            )
            reachable, skipped = eligibility(people)
            EmailDelivery.objects.bulk_create(
                [
                    EmailDelivery(
                        key=key,
                        mailing=mailing,
                        user_id=person.pk,
                        address=person.email,
                        status=EmailStatus.SKIPPED if person.pk in skipped else EmailStatus.PENDING,
                        reason=skipped.get(person.pk, ""),
                    )
                    for person in people
                ],
                batch_size=1000,
                ignore_conflicts=True,
            )
        transaction.on_commit(lambda: _queue_workers(mailing.pk), robust=True)
    return mailing


def _queue_workers(mailing_id):
    from .tasks import run_mailing_job

    for _ in range(max(settings.MAILING_WORKERS, 1)):
        run_mailing_job(mailing_id)


def _lease(mailing_id, token, size):
    """Take up to `size` waiting copies no live consumer holds; returns their ids."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    with transaction.atomic():
        ids = list(
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .filter(free, mailing_id=mailing_id, status=EmailStatus.PENDING)
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        if ids:
            EmailDelivery.objects.filter(free, pk__in=ids, status=EmailStatus.PENDING).update(
                lease_until=now + lease_time(), lease_token=token
            )
    return list(
        EmailDelivery.objects.filter(pk__in=ids, lease_token=token, status=EmailStatus.PENDING)
        .order_by("id")
        .values_list("id", flat=True)
    )


def lease_time():
    return datetime.timedelta(seconds=settings.MAILING_LEASE_SECONDS)


def run_mailing(mailing_id, *, chunk_size=50, max_wait=None):
    """Send a mailing's waiting copies, a leased chunk at a time, until none is left.

    Several consumers run this at once; a chunk whose consumer died is taken over when its
    lease ends. Returns the number of copies this call sent.
    """
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None or mailing.status == Mailing.Status.DONE:
        return 0
    renderer = RENDERERS[mailing.kind]
    token = uuid.uuid4().hex
    limiter = RateLimiter()
    connection = None
    sent = 0
    waited = 0.0
    try:
        while True:
            ids = _lease(mailing.pk, token, chunk_size)
            if not ids:
                pause = _wait_for_others(mailing.pk)
                if pause is None or (max_wait is not None and waited >= max_wait):
                    break
                time.sleep(pause)
                waited += pause
                continue
            records = list(
                EmailDelivery.objects.filter(pk__in=ids).select_related("user").order_by("id")
            )
            write = renderer(mailing, [r.user for r in records])
            renewed = time.monotonic()
            for record in records:
                if time.monotonic() - renewed > settings.MAILING_LEASE_SECONDS / 3:
                    EmailDelivery.objects.filter(
                        lease_token=token, status=EmailStatus.PENDING
                    ).update(lease_until=timezone.now() + lease_time())
                    renewed = time.monotonic()
                letter = write_for(record.user, write)
                if not _claim(record.pk):
                    continue
                limiter.wait()
                if connection is None:
                    connection = open_connection()
                status = hand_over(record, record.user, letter, connection)
                if status == EmailStatus.INTERRUPTED:
                    connection = None
                sent += status == EmailStatus.SENT
    except Exception:
        # Give the chunk back at once rather than when its lease ends; the job is retried.
        EmailDelivery.objects.filter(lease_token=token, status=EmailStatus.PENDING).update(
            lease_until=None, lease_token=""
        )
        raise
    finally:
        if connection is not None:
            _close_quietly(connection)
    finish_mailing(mailing.pk)
    return sent


def _wait_for_others(mailing_id):
    """Seconds until a copy held by another consumer may be taken over; None when none is."""
    now = timezone.now()
    first = EmailDelivery.objects.filter(
        mailing_id=mailing_id, status=EmailStatus.PENDING, lease_until__gte=now
    ).aggregate(first=Min("lease_until"))["first"]
    if first is None:
        return None
    return min(max((first - now).total_seconds(), 0) + 0.2, settings.MAILING_LEASE_SECONDS)


def finish_mailing(mailing_id):
    """Mark copies left in flight by a dead consumer as interrupted; close the mailing when no
    copy waits any more."""
    now = timezone.now()
    EmailDelivery.objects.filter(
        mailing_id=mailing_id, status=EmailStatus.SENDING, lease_until__lt=now
    ).update(status=EmailStatus.INTERRUPTED, error="the consumer stopped while sending it")
    busy = EmailDelivery.objects.filter(
        mailing_id=mailing_id, status__in=[EmailStatus.PENDING, EmailStatus.SENDING]
    ).exists()
    if not busy:
        Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.DONE, finished_at=now
        )
    return not busy


def unfinished_mailings():
    return list(Mailing.objects.filter(status=Mailing.Status.SENDING).values_list("pk", flat=True))


def counts(mailing):
    """{status: number of copies} of one mailing."""
    rows = (
        EmailDelivery.objects.filter(mailing=mailing)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}
