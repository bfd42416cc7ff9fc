import smtplib
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cercles.accounts.tests.factories import UserFactory
from cercles.notifications import services
from cercles.notifications.kinds import Delivery
from cercles.notifications.models import (
    EmailDelivery,
    EmailStatus,
    Mailing,
    NotificationPreference,
    SkipReason,
    SuppressedAddress,
)
from cercles.notifications.sending import (
    Letter,
    RateLimiter,
    TemporaryFailure,
    eligibility,
    finish_mailing,
    register_renderer,
    run_mailing,
    send_letter,
    start_mailing,
)
from cercles.notifications.unsubscribe import make_token

pytestmark = pytest.mark.django_db


def letter(user, scope="group:meetings"):
    return Letter(subject="Bonjour", text="Texte", html="<p>Texte</p>", unsubscribe=scope)


def test_a_letter_goes_out_at_most_once_per_key(member):
    assert send_letter("test:1", member, letter) == EmailStatus.SENT
    assert send_letter("test:1", member, letter) == EmailStatus.SENT
    assert len(mail.outbox) == 1
    send_letter("test:2", member, letter)
    assert len(mail.outbox) == 2


def test_a_copy_claimed_by_a_run_that_died_is_never_sent_again(member):
    EmailDelivery.objects.create(key="test:1", user=member, address=member.email, status="sending")
    assert send_letter("test:1", member, letter) == EmailStatus.SENDING
    assert mail.outbox == []


def test_html_and_text_parts_and_one_click_unsubscribe_headers(member, settings):
    settings.SITE_URL = "https://cercles.example.org"
    send_letter("test:1", member, letter)
    [email] = mail.outbox
    parsed = message_from_bytes(email.message().as_bytes(), policy=policy.default)
    assert {part.get_content_type() for part in parsed.walk()} >= {"text/plain", "text/html"}
    header = str(parsed["List-Unsubscribe"]).strip()
    assert header.startswith("<https://cercles.example.org/notifications/unsubscribe/")
    assert header.endswith("/>")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    record = EmailDelivery.objects.get(key="test:1")
    assert parsed["Message-ID"].startswith(f"<cercles-{record.pk}@cercles.example.org")


def test_no_unsubscribe_header_on_an_email_one_cannot_stop(member):
    send_letter("test:1", member, lambda u: letter(u, scope=""))
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_people_without_a_confirmed_address_are_skipped_and_counted():
    unconfirmed = UserFactory(verified_email=False)
    assert send_letter("test:1", unconfirmed, letter) == EmailStatus.SKIPPED
    assert mail.outbox == []
    record = EmailDelivery.objects.get(user=unconfirmed)
    assert record.reason == SkipReason.UNCONFIRMED


class RefusingBackend:
    """A mail connection that refuses as a server would."""

    error = None
    sent = []

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        if RefusingBackend.error is not None:
            raise RefusingBackend.error
        RefusingBackend.sent.extend(messages)
        return len(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "cercles.notifications.tests.test_sending.RefusingBackend"
    RefusingBackend.sent = []
    yield RefusingBackend
    RefusingBackend.error = None


def test_a_hard_bounce_stops_the_address(member, refusing):
    refusing.error = smtplib.SMTPRecipientsRefused({member.email: (550, b"No such user")})
    assert send_letter("test:1", member, letter) == EmailStatus.BOUNCED
    assert SuppressedAddress.objects.filter(address=member.email.lower()).exists()
    refusing.error = None
    assert send_letter("test:2", member, letter) == EmailStatus.SKIPPED
    assert EmailDelivery.objects.get(key="test:2").reason == SkipReason.SUPPRESSED


def test_a_refusal_for_now_is_tried_again(member, refusing):
    refusing.error = smtplib.SMTPDataError(451, b"Try again later")
    with pytest.raises(TemporaryFailure):
        send_letter("test:1", member, letter)
    assert EmailDelivery.objects.get(key="test:1").status == EmailStatus.PENDING
    refusing.error = None
    assert send_letter("test:1", member, letter) == EmailStatus.SENT
    assert len(refusing.sent) == 1


def test_a_dropped_connection_is_recorded_and_never_resent(member, refusing):
    refusing.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    assert send_letter("test:1", member, letter) == EmailStatus.INTERRUPTED
    refusing.error = None
    assert send_letter("test:1", member, letter) == EmailStatus.INTERRUPTED
    assert refusing.sent == []
    assert "Connection unexpectedly closed" in EmailDelivery.objects.get(key="test:1").error


def test_the_rate_limit_waits_for_the_next_second():
    clock = [1000.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(per_second=3, clock=lambda: clock[0], sleep=sleep)
    for _ in range(7):
        limiter.wait()
    assert len(waits) == 2  # 3 in the first second, 3 in the next, the 7th in the third


def test_eligibility_costs_two_queries(django_assert_num_queries):
    people = [UserFactory() for _ in range(5)] + [UserFactory(verified_email=False)]
    with django_assert_num_queries(2):
        reachable, skipped = eligibility(people)
    assert len(reachable) == 5 and list(skipped.values()) == [SkipReason.UNCONFIRMED]


# --- Mass mailings -------------------------------------------------------------------------------


def _test_renderer(mailing, users):
    return lambda user: Letter(
        subject=f"Lettre {mailing.object_id}", text=f"Pour {user.name}", html="<p>x</p>"
    )


register_renderer("test", _test_renderer)


def test_a_mailing_reaches_each_person_once_even_when_run_twice(
    django_capture_on_commit_callbacks,
):
    people = [UserFactory() for _ in range(7)] + [UserFactory(verified_email=False)]
    with django_capture_on_commit_callbacks(execute=True):
        mailing = start_mailing("test", 1, [p.pk for p in people], key="test-mailing:1")
    # Jobs ran at commit (inline in tests): every reachable person has one copy.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[:7])
    assert run_mailing(mailing.pk) == 0
    again = start_mailing("test", 1, [p.pk for p in people], key="test-mailing:1")
    assert again == mailing
    assert len(mail.outbox) == 7
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE
    assert EmailDelivery.objects.filter(mailing=mailing, status="skipped").count() == 1


def test_a_chunk_left_by_a_dead_consumer_is_taken_over_without_duplicates(
    settings, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    settings.MAILING_WORKERS = 0
    people = [UserFactory() for _ in range(6)]
    with django_capture_on_commit_callbacks(execute=False):
        mailing = start_mailing("test", 2, [p.pk for p in people], key="test-mailing:2")
    records = list(EmailDelivery.objects.filter(mailing=mailing).order_by("id"))
    # The dead consumer had leased three copies and was handing the first one over.
    expired = timezone.now() - datetime.timedelta(seconds=1)
    EmailDelivery.objects.filter(pk__in=[r.pk for r in records[:3]]).update(
        lease_until=expired, lease_token="dead"
    )
    EmailDelivery.objects.filter(pk=records[0].pk).update(status=EmailStatus.SENDING)
    assert run_mailing(mailing.pk) == 5
    assert len(mail.outbox) == 5
    assert records[0].user.email not in [m.to[0] for m in mail.outbox]
    assert EmailDelivery.objects.get(pk=records[0].pk).status == EmailStatus.INTERRUPTED
    assert finish_mailing(mailing.pk)


# --- Unsubscribing -------------------------------------------------------------------------------


def _unsubscribe_url(user, scope):
    return reverse("notifications:unsubscribe", args=[make_token(user, scope)])


def test_one_click_unsubscribe_from_a_mail_program_changes_only_that_group(member):
    services.set_preference(member, "mentions", Delivery.DAILY)
    client = Client(enforce_csrf_checks=True)  # a mail program: no cookie, no CSRF token
    response = client.post(
        _unsubscribe_url(member, "group:meetings"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert dict(
        NotificationPreference.objects.filter(user=member).values_list("group", "delivery")
    ) == {"meetings": Delivery.IN_APP, "mentions": Delivery.DAILY}


def test_unsubscribing_from_the_newsletter_stops_it(member, client):
    client.post(_unsubscribe_url(member, "group:newsletter"))
    assert services.preferences_of(member)["newsletter"] == Delivery.OFF


def test_unsubscribing_from_the_daily_digest_moves_its_groups_to_the_app(member, client):
    services.set_preference(member, "discussions", Delivery.DAILY)
    services.set_preference(member, "meetings", Delivery.WEEKLY)
    client.post(_unsubscribe_url(member, "digest:daily"))
    prefs = services.preferences_of(member)
    assert prefs["discussions"] == Delivery.IN_APP
    assert prefs["meetings"] == Delivery.WEEKLY


def test_opening_the_link_asks_before_changing_anything(member, client):
    response = client.get(_unsubscribe_url(member, "group:meetings"))
    assert response.status_code == 200
    assert 'name="List-Unsubscribe" value="One-Click"' in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_tampered_link_is_refused_and_nothing_changes(member, other_member, client):
    token = make_token(member, "group:meetings")
    value, signature = token.rsplit(":", 1)
    forged = [
        f"{other_member.pk}.group:meetings:{signature}",  # another person, same signature
        f"{member.pk}.group:newsletter:{signature}",  # another scope
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # a damaged signature
    ]
    for bad in forged:
        url = reverse("notifications:unsubscribe", args=[bad])
        assert client.post(url).status_code == 400
        assert client.get(url).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_someone_elses_link_is_refused_when_logged_in(member, other_member, client):
    client.force_login(other_member)
    url = _unsubscribe_url(member, "group:meetings")
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not NotificationPreference.objects.exists()


def test_a_link_for_a_closed_account_is_refused(client):
    gone = UserFactory(is_active=False)
    assert client.post(_unsubscribe_url(gone, "group:meetings")).status_code == 400


def test_every_notification_email_has_the_unsubscribe_headers_and_link(
    member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([other_member], "community.submitted", actor=member, community="Eau")
    [email] = mail.outbox
    unsubscribe = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in email.body
    assert "/notifications/unsubscribe/" in unsubscribe
    # The link from the email, followed by a mail program, stops that group only.
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    Client(enforce_csrf_checks=True).post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert services.preferences_of(other_member)["reviews"] == Delivery.IN_APP


# --- Bounce reports ------------------------------------------------------------------------------

DSN = """From: MAILER-DAEMON@mx.example.org
To: no-reply@cercles.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The mail system could not deliver your message.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; {address}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--B
Content-Type: text/rfc822-headers

Message-ID: <cercles-{record}@127.0.0.1>
Subject: Bonjour

--B--
"""


def test_a_bounce_report_stops_the_address_and_marks_the_copy(member, monkeypatch, capsys):
    import io
    import sys

    send_letter("test:1", member, letter)
    record = EmailDelivery.objects.get(key="test:1")
    report = DSN.format(address=member.email, record=record.pk).replace("\n", "\r\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(report.encode())))
    call_command("record_bounces")
    record.refresh_from_db()
    assert record.status == EmailStatus.BOUNCED
    assert "5.1.1" in record.error
    assert SuppressedAddress.objects.filter(address=member.email.lower()).exists()
