import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.meetings import services
from cercles.meetings.models import RSVP, Answer, Attendance, Meeting, MeetingKind

from .factories import MeetingFactory, past

pytestmark = pytest.mark.django_db

NIAMEY = zoneinfo.ZoneInfo("Africa/Niamey")  # UTC+1, no daylight saving


def shown(message):
    """A message as the pages show it to people reading French (the default language)."""
    with translation.override("fr"):
        return escape(translation.gettext(message))


def url(name, meeting, **kwargs):
    return reverse(f"meetings:{name}", args=[meeting.community.slug, meeting.pk])


def next_week_at(hour, zone=NIAMEY):
    day = timezone.now().astimezone(zone).date() + datetime.timedelta(days=7)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def lead_client(client, community):
    client.force_login(community.lead)
    return client


def meeting_post(**overrides):
    day = next_week_at(10).date().isoformat()
    return {
        "kind": "regular",
        "title": "Rencontre des comités",
        "starts_at": f"{day}T10:00",
        "ends_at": f"{day}T12:00",
        "time_zone": "Africa/Niamey",
        "place": "Niamey",
        "online_url": "",
        "agenda": "- Tour de table",
        **overrides,
    }


# --- private communities: 404 everywhere -----------------------------------------------------


def test_non_members_of_a_private_community_get_404_everywhere(client, other_member):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    meeting = MeetingFactory(community=community)
    ended = past(community=community)
    client.force_login(other_member)
    slug = community.slug
    for address in [
        reverse("meetings:list", args=[slug]),
        reverse("meetings:create", args=[slug]),
        url("detail", meeting),
        url("ics", meeting),
        url("edit", meeting),
        url("cancel", meeting),
        url("minutes", ended),
    ]:
        assert client.get(address).status_code == 404, address
    for name, target in [("rsvp", meeting), ("attendance", ended), ("minutes", ended)]:
        assert client.post(url(name, target), {"answer": "yes"}).status_code == 404, name
    assert not RSVP.objects.exists()


def test_a_meeting_of_another_community_answers_404(lead_client, community):
    other = MeetingFactory()
    address = reverse("meetings:detail", args=[community.slug, other.pk])
    assert lead_client.get(address).status_code == 404


# --- list ------------------------------------------------------------------------------------


def test_list_shows_upcoming_then_past(lead_client, community):
    old = past(community=community, title="Rencontre d'hier")
    in_two_weeks = timezone.now() + datetime.timedelta(days=14)
    later = MeetingFactory(community=community, title="Dans deux semaines",
                           starts_at=in_two_weeks,
                           ends_at=in_two_weeks + datetime.timedelta(hours=1))  # fmt: skip
    sooner = MeetingFactory(community=community, title="La semaine prochaine")
    response = lead_client.get(reverse("meetings:list", args=[community.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(sooner.title) < html.index(later.title) < html.index("Rencontre d&#x27;hier")
    assert [m.pk for m in response.context["page"].object_list] == [sooner.pk, later.pk, old.pk]
    assert response.context["suggest_kick_off"] is True


def test_list_query_count_does_not_grow(lead_client, community, django_assert_max_num_queries):
    address = reverse("meetings:list", args=[community.slug])
    MeetingFactory(community=community)
    with django_assert_max_num_queries(12) as few:
        lead_client.get(address)
    for _ in range(25):
        meeting = MeetingFactory(community=community)
        RSVP.objects.create(meeting=meeting, user=community.lead, answer=Answer.YES)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = lead_client.get(address)
    assert len(response.context["page"].object_list) == 20


# --- planning --------------------------------------------------------------------------------


def test_plan_a_meeting_in_the_organisers_zone(lead_client, community):
    response = lead_client.post(reverse("meetings:create", args=[community.slug]), meeting_post())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == next_week_at(10)  # 10:00 in Niamey, 09:00 UTC
    assert meeting.starts_at.astimezone(datetime.UTC).hour == 9


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": next_week_at(9).strftime("%Y-%m-%dT%H:%M")}, "ends_at", "end after"),
        ({"starts_at": "2020-01-01T10:00", "ends_at": "2020-01-01T11:00"}, "starts_at", "past"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "valid URL"),
        ({"online_url": "pas une adresse"}, "online_url", "valid URL"),
        ({"place": "", "online_url": ""}, "__all__", "place, a link"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "valid choice"),
        ({"starts_at": "demain"}, "starts_at", "valid date"),
        ({"online_url": "ftp://example.org/agenda"}, "online_url", "valid URL"),
    ],
)
def test_plan_meeting_bad_input(lead_client, community, overrides, field, message):
    community.lead.language = "en"  # the messages checked below, in English
    community.lead.save()
    response = lead_client.post(
        reverse("meetings:create", args=[community.slug]), meeting_post(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert len(errors[field]) == 1 and message in errors[field][0], errors
    assert not Meeting.objects.exists()
    # Input kept.
    assert "Rencontre des comités" in response.content.decode()


def test_second_kick_off_is_refused_with_a_message(lead_client, community):
    MeetingFactory(community=community, kind=MeetingKind.KICK_OFF)
    response = lead_client.post(
        reverse("meetings:create", args=[community.slug]), meeting_post(kind="kick_off")
    )
    assert response.status_code == 200
    message = "This community already has a kick-off meeting: plan a regular one."
    assert response.context["form"].errors["kind"] == [shown(message)]


def test_members_cannot_plan(client, community):
    client.force_login(add_member(community).user)
    assert client.get(reverse("meetings:create", args=[community.slug])).status_code == 403
    response = client.post(reverse("meetings:create", args=[community.slug]), meeting_post())
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_edit_shows_the_organisers_wall_clock_and_saves(lead_client, community):
    meeting = MeetingFactory(community=community, starts_at=next_week_at(10),
                             ends_at=next_week_at(12))  # fmt: skip
    response = lead_client.get(url("edit", meeting))
    assert f'value="{next_week_at(10).strftime("%Y-%m-%dT10:00")}"' in response.content.decode()
    data = meeting_post(place="Salle des fêtes", title=meeting.title)
    response = lead_client.post(url("edit", meeting), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Salle des fêtes" and meeting.sequence == 1


def test_cancel(lead_client, community):
    meeting = MeetingFactory(community=community)
    assert lead_client.get(url("cancel", meeting)).status_code == 200
    response = lead_client.post(url("cancel", meeting), {"reason": "Grève des transports"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancellation_reason == "Grève des transports"
    html = lead_client.get(url("detail", meeting)).content.decode()
    assert shown("This meeting has been cancelled.") in html


# --- detail: time zones ----------------------------------------------------------------------


def test_detail_in_the_readers_zone_and_the_organisers(client, community):
    reader = add_member(community).user
    reader.timezone = "America/Montreal"
    reader.save()
    meeting = MeetingFactory(community=community, starts_at=next_week_at(15),
                             ends_at=next_week_at(17))  # fmt: skip
    client.force_login(reader)
    html = client.get(url("detail", meeting)).content.decode()
    montreal = next_week_at(15).astimezone(zoneinfo.ZoneInfo("America/Montreal"))
    assert f"{montreal:%H}:00" in html  # 09:00 or 10:00 depending on daylight saving
    # Each time says its zone in words and with its offset from UTC.
    assert "Montreal (UTC−" in html
    assert "15:00" in html and "Niamey (UTC+1)" in html


def test_lists_name_the_readers_zone_when_it_is_not_the_meetings(client, community):
    meeting = MeetingFactory(community=community, starts_at=next_week_at(15),
                             ends_at=next_week_at(17), time_zone="Africa/Niamey")  # fmt: skip
    reader = add_member(community).user
    client.force_login(reader)
    for zone, named in [("Africa/Niamey", False), ("Africa/Bamako", True)]:
        reader.timezone = zone
        reader.save()
        html = client.get(reverse("meetings:list", args=[community.slug])).content.decode()
        assert meeting.title in html
        assert ("Bamako (UTC+0)" in html) is named
        assert ("14:00</time>" in html) is named  # 15:00 in Niamey is 14:00 in Bamako


def test_detail_without_a_second_zone_when_it_is_the_same(client, community):
    reader = add_member(community).user
    reader.timezone = "Africa/Niamey"
    reader.save()
    client.force_login(reader)
    response = client.get(url("detail", MeetingFactory(community=community)))
    assert response.context["organiser_zone_differs"] is False


def test_detail_renders_agenda_markdown_safely(lead_client, community):
    meeting = MeetingFactory(community=community, agenda="**Ordre** <script>x</script>")
    html = lead_client.get(url("detail", meeting)).content.decode()
    assert "<strong>Ordre</strong>" in html and "<script>x" not in html


# --- RSVP ------------------------------------------------------------------------------------


def test_rsvp_and_list_of_answers(client, community):
    person = add_member(community).user
    meeting = MeetingFactory(community=community)
    client.force_login(person)
    response = client.post(url("rsvp", meeting), {"answer": "yes"})
    assert response.status_code == 302
    assert RSVP.objects.get(user=person).answer == Answer.YES
    html = client.get(url("detail", meeting)).content.decode()
    assert person.name in html and 'aria-pressed="true"' in html


def test_rsvp_to_a_cancelled_meeting_is_refused(client, community):
    person = add_member(community).user
    meeting = MeetingFactory(community=community, cancelled_at=timezone.now())
    client.force_login(person)
    response = client.post(url("rsvp", meeting), {"answer": "yes"}, follow=True)
    assert shown("This meeting has been cancelled.") in response.content.decode()
    assert not RSVP.objects.exists()


def test_rsvp_by_a_reader_who_is_not_a_member_is_forbidden(member_client, community):
    meeting = MeetingFactory(community=community)
    assert member_client.post(url("rsvp", meeting), {"answer": "yes"}).status_code == 403
    assert not RSVP.objects.exists()


def test_rsvp_bad_answer(client, community):
    person = add_member(community).user
    client.force_login(person)
    meeting = MeetingFactory(community=community)
    client.post(url("rsvp", meeting), {"answer": "peut-être"})
    assert not RSVP.objects.exists()


# --- attendance and minutes ------------------------------------------------------------------


def test_record_attendance(lead_client, community):
    inner = add_member(community).user
    meeting = past(community=community)
    page = lead_client.get(url("detail", meeting))
    assert "attendance_form" in page.context
    response = lead_client.post(url("attendance", meeting), {"present": [inner.pk]})
    assert response.status_code == 302
    assert Attendance.objects.get(user=inner).present is True
    assert Attendance.objects.get(user=community.lead).present is False


def test_attendance_with_a_stranger_changes_nothing(lead_client, community, other_member):
    meeting = past(community=community)
    lead_client.post(url("attendance", meeting), {"present": [other_member.pk]})
    assert not Attendance.objects.exists()


def test_attendance_by_an_inner_member_is_forbidden(client, community):
    person = add_member(community).user
    client.force_login(person)
    meeting = past(community=community)
    assert client.post(url("attendance", meeting), {"present": [person.pk]}).status_code == 403


def test_kick_off_minutes_activate_an_open_community(client):
    community = CommunityFactory(state=State.OPEN)
    reader = add_member(community, Role.OUTER).user
    meeting = past(community=community, kind=MeetingKind.KICK_OFF)
    client.force_login(community.lead)
    page = client.get(url("minutes", meeting))
    assert set(page.context["form"].fields) == {"topics", "expectations", "objectives", "minutes"}
    response = client.post(url("minutes", meeting), {"minutes": "", "topics": "Forages"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"expectations", "objectives"}
    response = client.post(
        url("minutes", meeting),
        {"minutes": "Douze présents.", "topics": "Forages", "expectations": "Outils",
         "objectives": "Un guide"},
        follow=True,
    )  # fmt: skip
    message = "The kick-off has been held: the community is now active."
    assert shown(message) in response.content.decode()
    community.refresh_from_db()
    assert community.state == State.ACTIVE
    client.force_login(reader)
    html = client.get(url("detail", meeting)).content.decode()
    assert "Un guide" in html and "Douze présents." in html


def test_minutes_of_an_upcoming_meeting_are_forbidden(lead_client, community):
    assert lead_client.get(url("minutes", MeetingFactory(community=community))).status_code == 403


# --- iCalendar -------------------------------------------------------------------------------


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_meeting_ics_keeps_the_organisers_zone(lead_client, community):
    meeting = MeetingFactory(community=community, starts_at=next_week_at(10),
                             ends_at=next_week_at(12))  # fmt: skip
    calendar = parse(lead_client.get(url("ics", meeting)))
    (event,) = calendar.events
    assert event.start == meeting.starts_at and event.end == meeting.ends_at
    assert str(event.start.tzinfo) == "Africa/Niamey"
    assert event.DTSTART.hour == 10  # wall clock of the organiser
    assert [tz.tz_name for tz in calendar.timezones] == ["Africa/Niamey"]
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")
    assert str(event["location"]) == meeting.place
    assert str(event["status"]) == "CONFIRMED"


def test_meeting_ics_across_daylight_saving(lead_client, community):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    year = timezone.now().year + 1
    starts = datetime.datetime(year, 3, 30, 9, 0, tzinfo=paris)  # after the spring change
    meeting = MeetingFactory(community=community, time_zone="Europe/Paris", starts_at=starts,
                             ends_at=starts + datetime.timedelta(hours=1))  # fmt: skip
    calendar = parse(lead_client.get(url("ics", meeting)))
    (event,) = calendar.events
    assert event.start.astimezone(datetime.UTC).hour == 7  # 09:00 summer time = 07:00 UTC
    (vtimezone,) = calendar.timezones
    # The VTIMEZONE itself (not only the name) gives calendars the summer offset.
    assert "+0200" in vtimezone.to_ical().decode()


def test_cancelled_meeting_in_ics(lead_client, community):
    meeting = MeetingFactory(community=community, cancelled_at=timezone.now(), sequence=1)
    (event,) = parse(lead_client.get(url("ics", meeting))).events
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 1


def test_utc_meeting_in_ics(lead_client, community):
    meeting = MeetingFactory(community=community, time_zone="UTC")
    calendar = parse(lead_client.get(url("ics", meeting)))
    (event,) = calendar.events
    assert event.start == meeting.starts_at
    assert b"DTSTART:" in calendar.to_ical() and b"Z\r\n" in calendar.to_ical()


# --- personal calendar feed ------------------------------------------------------------------


def test_calendar_page_creates_renews_and_revokes(member_client, member):
    address = reverse("meetings:calendar")
    assert member_client.get(address).context["feed"] is None
    member_client.post(address, {"action": "renew"})
    feed = services.calendar_feed_of(member)
    page = member_client.get(address).content.decode()
    assert feed.token in page
    member_client.post(address, {"action": "renew"})
    assert services.calendar_feed_of(member).token != feed.token
    member_client.post(address, {"action": "revoke"})
    assert services.calendar_feed_of(member) is None


def test_feed_has_the_meetings_of_all_my_communities(client):
    person = UserFactory()
    first, second = CommunityFactory(), CommunityFactory(visibility=Visibility.PRIVATE)
    add_member(first, user=person)
    add_member(second, user=person, role=Role.OUTER)
    left = CommunityFactory()
    add_member(left, user=person, status="left")
    mine = [MeetingFactory(community=first), MeetingFactory(community=second, time_zone="UTC")]
    MeetingFactory(community=left)
    MeetingFactory()  # a community I am not in
    feed = services.renew_calendar_feed(person)
    response = client.get(reverse("meetings:feed", args=[feed.token]))  # no session needed
    assert response.status_code == 200
    calendar = parse(response)
    uids = {str(event["uid"]).split("@")[0] for event in calendar.events}
    assert uids == {f"meeting-{m.pk}" for m in mine}
    assert {e.start for e in calendar.events} == {m.starts_at for m in mine}


def test_forged_or_revoked_tokens_answer_404(client, member):
    feed = services.renew_calendar_feed(member)
    assert client.get(reverse("meetings:feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[feed.token + "x"])).status_code == 404
    assert client.get(reverse("meetings:feed", args=["y" * 500])).status_code == 404
    services.revoke_calendar_feed(member)
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404


def test_feed_of_a_deactivated_person_answers_404(client, member):
    feed = services.renew_calendar_feed(member)
    member.is_active = False
    member.save()
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404


def test_feed_query_count_does_not_grow(client, member, django_assert_max_num_queries):
    feed = services.renew_calendar_feed(member)
    address = reverse("meetings:feed", args=[feed.token])
    community = CommunityFactory()
    add_member(community, user=member)
    MeetingFactory(community=community)
    with django_assert_max_num_queries(4) as few:
        client.get(address)
    for _ in range(5):
        other = CommunityFactory()
        add_member(other, user=member)
        MeetingFactory.create_batch(4, community=other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(address)
    assert len(parse(response).events) == 21
