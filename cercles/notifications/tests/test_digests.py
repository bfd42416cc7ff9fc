import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.discussions.tests.factories import start_thread
from cercles.meetings.tests.factories import MeetingFactory
from cercles.notifications import services
from cercles.notifications.digests import build_digests, claim_due, send_digest_batch
from cercles.notifications.kinds import Delivery, Level
from cercles.notifications.models import DigestSchedule, EmailDelivery, Notification
from cercles.notifications.tasks import queue_due_digests

pytestmark = pytest.mark.django_db

WEEK = datetime.timedelta(days=7)


@pytest.fixture
def network():
    """A member of two communities; each community gets a thread started by its lead."""
    member = UserFactory(language="en")
    water, schools = CommunityFactory(title="Eau au Sahel"), CommunityFactory(title="Écoles")
    add_member(water, Role.INNER, user=member)
    add_member(schools, Role.INNER, user=member)
    return member, water, schools


def _weekly_for(member, since):
    until = timezone.now()
    return build_digests(Delivery.WEEKLY, [member], {member.pk: since}, until)[member.pk]


def test_weekly_digest_for_one_community_with_the_other_muted(network):
    member, water, schools = network
    services.set_preference(member, "discussions", Delivery.WEEKLY)
    services.set_community_level(member, schools.pk, Level.MUTE)
    since = timezone.now() - datetime.timedelta(hours=1)
    start_thread(water, water.lead, title="Entretien des forages")
    start_thread(schools, schools.lead, title="Cantines scolaires")

    digest = _weekly_for(member, since)
    titles = [item.title for _section, items, _more in digest.sections for item in items]
    assert titles == ["Entretien des forages"]
    # Not in the daily digest: that group is read weekly.
    daily = build_digests(Delivery.DAILY, [member], {member.pk: since}, timezone.now())
    assert daily[member.pk].is_empty

    ScheduleSetUp.weekly_due(member)
    sent, empty = send_digest_batch(Delivery.WEEKLY, [member.pk], timezone.now())
    assert (sent, empty) == (1, 0)
    [email] = mail.outbox
    assert email.to == [member.email]
    assert "Your weekly digest" in email.subject
    assert "Entretien des forages" in email.body
    assert "Cantines scolaires" not in email.body
    html = email.alternatives[0][0]
    assert "Entretien des forages" in html and '<html lang="en">' in html
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_new_sends_nothing_and_the_period_moves_on(network):
    member, water, _schools = network
    services.set_preference(member, "discussions", Delivery.WEEKLY)
    start_thread(water, water.lead)
    ScheduleSetUp.weekly_due(member)
    assert send_digest_batch(Delivery.WEEKLY, [member.pk], timezone.now()) == (1, 0)
    # The next run covers only what happened since: nothing.
    assert send_digest_batch(Delivery.WEEKLY, [member.pk], timezone.now() + WEEK) == (0, 1)
    assert len(mail.outbox) == 1


def test_a_batch_run_twice_sends_each_digest_once(network):
    member, water, _schools = network
    services.set_preference(member, "discussions", Delivery.WEEKLY)
    start_thread(water, water.lead)
    ScheduleSetUp.weekly_due(member)
    until = timezone.now()
    send_digest_batch(Delivery.WEEKLY, [member.pk], until)
    DigestSchedule.objects.filter(user=member).update(last_weekly_at=None)  # as if not recorded
    send_digest_batch(Delivery.WEEKLY, [member.pk], until)
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.filter(user=member, key__startswith="digest:weekly").count() == 1


def test_outer_circle_reads_a_weekly_digest_by_default(network):
    member, water, schools = network
    outsider = UserFactory()
    add_member(water, Role.OUTER, user=outsider)
    since = timezone.now() - datetime.timedelta(hours=1)
    start_thread(water, water.lead, title="Pompes solaires")
    weekly = build_digests(Delivery.WEEKLY, [outsider], {outsider.pk: since}, timezone.now())
    assert not weekly[outsider.pk].is_empty
    # The inner circle reads discussions in the daily digest by default.
    daily = build_digests(Delivery.DAILY, [member], {member.pk: since}, timezone.now())
    assert [s.key for s, _i, _m in daily[member.pk].sections] == ["discussions.new_threads"]


def test_only_what_concerns_me_leaves_out_the_community_news_but_keeps_mentions(
    network, django_capture_on_commit_callbacks
):
    member, water, _schools = network
    services.set_preference(member, "discussions", Delivery.WEEKLY)
    services.set_preference(member, "mentions", Delivery.WEEKLY)
    services.set_community_level(member, water.pk, Level.MINE)
    since = timezone.now() - datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        start_thread(water, water.lead, title="Forages", body=f"Qu'en dis-tu @{member.username} ?")
    digest = _weekly_for(member, since)
    assert digest.sections == []
    assert [n.kind for n in digest.notifications] == ["discussions.mentioned"]
    assert mail.outbox == []  # weekly: not emailed at once


def test_a_former_member_sees_nothing_of_the_community_any_more(network):
    member, water, _schools = network
    services.set_preference(member, "discussions", Delivery.WEEKLY)
    since = timezone.now() - datetime.timedelta(hours=1)
    start_thread(water, water.lead)
    Notification.objects.create(
        recipient=member, kind="discussions.reply", community_id=water.pk, delivery="weekly",
        params={"actor": "Awa", "thread": "Forages", "community": water.title},
    )  # fmt: skip
    water.memberships.filter(user=member).update(status="left")
    assert _weekly_for(member, since).is_empty


def test_meetings_coming_and_minutes_published(network):
    member, water, _schools = network
    services.set_preference(member, "meetings", Delivery.WEEKLY)
    since = timezone.now() - datetime.timedelta(days=1)
    MeetingFactory(community=water, title="Rencontre de juin")
    MeetingFactory(
        community=water,
        title="Rencontre de mai",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=1),
        minutes="On a parlé des pompes.",
        minutes_published_at=timezone.now() - datetime.timedelta(hours=2),
    )
    digest = _weekly_for(member, since)
    sections = {s.key: [i.title for i in items] for s, items, _m in digest.sections}
    assert sections == {
        "meetings.coming": ["Rencontre de juin"],
        "meetings.minutes": ["Rencontre de mai"],
    }


def test_composing_a_batch_costs_the_same_queries_for_5_or_40_people(
    django_assert_max_num_queries,
):
    communities = [CommunityFactory() for _ in range(3)]
    people = []
    for i in range(40):
        person = UserFactory()
        add_member(communities[i % 3], Role.OUTER, user=person)
        people.append(person)
    for community in communities:
        start_thread(community, community.lead)
        MeetingFactory(community=community, starts_at=timezone.now() + datetime.timedelta(days=2))
    since = timezone.now() - datetime.timedelta(hours=1)
    for size in (5, 40):
        batch = people[:size]
        with django_assert_max_num_queries(12):
            digests = build_digests(
                Delivery.WEEKLY, batch, {p.pk: since for p in batch}, timezone.now()
            )
        assert all(not d.is_empty for d in digests.values())


class ScheduleSetUp:
    @staticmethod
    def weekly_due(user):
        services.schedule_of(user)


def test_next_slot_is_at_the_persons_hour_in_their_zone():
    dakar, paris = zoneinfo.ZoneInfo("Africa/Dakar"), zoneinfo.ZoneInfo("Europe/Paris")
    now = datetime.datetime(2026, 3, 2, 6, 30, tzinfo=datetime.UTC)  # a Monday
    assert services.next_slot(now, dakar, 7) == datetime.datetime(
        2026, 3, 2, 7, tzinfo=datetime.UTC
    )
    # 7:00 in Paris (UTC+1) has passed at 6:30 UTC: tomorrow.
    assert services.next_slot(now, paris, 7) == datetime.datetime(
        2026, 3, 3, 6, tzinfo=datetime.UTC
    )
    assert services.next_slot(now, dakar, 7, weekday=4) == datetime.datetime(
        2026, 3, 6, 7, tzinfo=datetime.UTC
    )


def test_due_people_are_claimed_once_and_planned_for_the_next_slot():
    person = UserFactory(timezone="Africa/Dakar")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 6, 0, tzinfo=datetime.UTC)):
        schedule = services.schedule_of(person)
    assert schedule.next_daily_at == datetime.datetime(2026, 3, 2, 7, tzinfo=datetime.UTC)
    moment = datetime.datetime(2026, 3, 2, 7, 5, tzinfo=datetime.UTC)
    assert claim_due(Delivery.DAILY, moment) == [person.pk]
    assert claim_due(Delivery.DAILY, moment) == []
    schedule.refresh_from_db()
    assert schedule.next_daily_at == datetime.datetime(2026, 3, 3, 7, tzinfo=datetime.UTC)


def test_the_periodic_job_sends_at_the_chosen_hour(network):
    member, water, _schools = network
    services.set_preference(member, "discussions", Delivery.DAILY)
    member.timezone = "America/Port-au-Prince"
    member.save()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)):
        services.set_preferences(member, {}, hour=8, weekday=0)
        start_thread(water, water.lead, title="Citernes")
    # 8:00 in Port-au-Prince is 13:00 UTC.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 50, tzinfo=datetime.UTC)):
        queue_due_digests()
    assert mail.outbox == []
    with time_machine.travel(datetime.datetime(2026, 3, 2, 13, 5, tzinfo=datetime.UTC)):
        queue_due_digests()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Citernes" in mail.outbox[0].body


def test_send_digests_now_for_the_demo(network):
    member, water, _schools = network
    services.set_preference(member, "discussions", Delivery.DAILY)
    start_thread(water, water.lead, title="Latrines")
    call_command("send_digests", "--now", "--frequency", "daily", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[member.email]]
    with translation.override("en"):
        assert "Latrines" in mail.outbox[0].body


def test_a_meeting_in_the_digest_names_the_readers_zone_when_not_the_meetings(network):
    member, water, _schools = network
    member.timezone = "Africa/Bamako"
    member.save()
    services.set_preference(member, "meetings", Delivery.WEEKLY)
    MeetingFactory(community=water, title="Rencontre de Paris", time_zone="Europe/Paris")
    MeetingFactory(community=water, title="Rencontre de Bamako", time_zone="Africa/Bamako")
    ScheduleSetUp.weekly_due(member)
    send_digest_batch(Delivery.WEEKLY, [member.pk], timezone.now())
    [email] = mail.outbox
    lines = {line.split(" (")[0]: line for line in email.body.splitlines() if "Rencontre" in line}
    assert "Bamako (UTC+0)" in lines["- Rencontre de Paris"]
    assert "UTC" not in lines["- Rencontre de Bamako"]
    assert "Bamako (UTC+0)" in email.alternatives[0][0]
