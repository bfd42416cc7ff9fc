"""Regular meetings and the animation plan (issue 11, seeds 001 and 003): a series every N weeks
on a weekday until a date, occurrences moved or cancelled one by one, one iCalendar series with
its exceptions, and the roles of the session rotating among the inner circle."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.meetings import services
from cercles.meetings.models import Meeting, MeetingSeries
from cercles.notifications.models import Notification

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def next_monday_at(hour=18, weeks_ahead=1):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)
    day += datetime.timedelta(weeks=weeks_ahead - 1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)), PARIS)


def plan(community, actor=None, *, weeks=1, count=6, until=None, **fields):
    starts_at = next_monday_at()
    until = (
        until
        if until is not None
        else (starts_at + datetime.timedelta(weeks=weeks * (count - 1))).date()
    )
    return services.plan_series(
        actor or community.lead,
        community,
        interval_weeks=weeks,
        until=until,
        title="Point d'équipe",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        time_zone="Europe/Paris",
        online_url="https://visio.example.org/equipe",
        **fields,
    )


@pytest.fixture
def community():
    community = CommunityFactory()
    add_member(community, Role.INNER)
    add_member(community, Role.CORE)
    return community


def test_a_weekly_series_plans_each_occurrence_on_the_same_weekday_and_hour(
    community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        series = plan(community, weeks=2, count=5)
    occurrences = list(series.occurrences.order_by("starts_at"))
    assert len(occurrences) == 5
    for occurrence in occurrences:
        local = occurrence.starts_at.astimezone(PARIS)
        assert local.weekday() == 0 and local.hour == 18  # across daylight saving too
    gaps = {
        (b.starts_at.date() - a.starts_at.date()).days
        for a, b in zip(occurrences, occurrences[1:], strict=False)
    }
    assert gaps <= {14}
    # Members hear of the series once, not of each occurrence.
    inner = community.memberships.get(role=Role.INNER).user
    assert Notification.objects.filter(recipient=inner, kind="meetings.planned").count() == 1


def test_the_roles_rotate_among_the_inner_circle(community):
    series = plan(community, count=4)
    first, second = series.occurrences.order_by("starts_at")[:2]
    assert first.facilitator and first.note_taker and first.time_keeper
    assert len({first.facilitator_id, first.note_taker_id, first.time_keeper_id}) == 3
    assert second.facilitator_id == first.note_taker_id


@pytest.mark.parametrize(
    ("until", "message_part"),
    [(None, "for ever"), ("far", "200")],
)
def test_a_series_that_never_ends_or_is_too_long_is_refused(community, until, message_part):
    with pytest.raises(ValidationError) as raised:
        if until is None:
            services.plan_series(
                community.lead, community, interval_weeks=1, until=None, title="Sans fin",
                starts_at=next_monday_at(), ends_at=next_monday_at() + datetime.timedelta(hours=1),
                time_zone="Europe/Paris", place="Salle 1",
            )  # fmt: skip
        else:
            plan(community, until=next_monday_at().date() + datetime.timedelta(weeks=250))
    assert "repeat_until" in raised.value.message_dict
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_the_form_refuses_a_series_without_end_and_keeps_the_input(client, community):
    client.force_login(community.lead)
    starts = next_monday_at().astimezone(PARIS)
    response = client.post(
        reverse("meetings:create", args=[community.slug]),
        {"kind": "regular", "title": "Point d'équipe", "time_zone": "Europe/Paris",
         "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
         "ends_at": (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
         "place": "Salle 1", "repeat_every_weeks": "1", "repeat_until": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["repeat_until"]
    assert response.context["form"]["title"].value() == "Point d'équipe"
    assert not Meeting.objects.exists()


def test_one_ical_series_with_a_cancelled_and_a_moved_occurrence(client, community):
    series = plan(community, count=6)
    occurrences = list(series.occurrences.order_by("starts_at"))
    services.cancel_meeting(community.lead, occurrences[2], reason="Jour férié")
    moved = occurrences[3]
    new_start = moved.starts_at + datetime.timedelta(days=1)
    services.update_meeting(
        community.lead,
        moved,
        starts_at=moved.starts_at + datetime.timedelta(days=1),
        ends_at=moved.ends_at + datetime.timedelta(days=1),
    )
    client.force_login(community.memberships.get(role=Role.INNER).user)
    response = client.get(reverse("meetings:series_ics", args=[community.slug, series.pk]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    master = [e for e in events if "RRULE" in e]
    exceptions = [e for e in events if "RECURRENCE-ID" in e]
    assert len(master) == 1 and len(exceptions) == 1
    rule = master[0]["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [1] and "UNTIL" in rule
    exdates = master[0]["EXDATE"]
    exdates = exdates if isinstance(exdates, list) else [exdates]
    cancelled = [d.dt for e in exdates for d in e.dts]
    assert cancelled == [occurrences[2].series_starts_at.astimezone(PARIS)]
    assert exceptions[0]["UID"] == master[0]["UID"]
    assert exceptions[0]["RECURRENCE-ID"].dt == moved.series_starts_at.astimezone(PARIS)
    assert exceptions[0]["DTSTART"].dt == new_start.astimezone(PARIS)
    assert calendar.walk("VTIMEZONE")


def test_the_series_of_another_community_answers_404(client, community):
    series = plan(community)
    other = CommunityFactory()
    client.force_login(other.lead)
    assert (
        client.get(reverse("meetings:series_ics", args=[other.slug, series.pk])).status_code == 404
    )


def test_the_reminder_names_the_roles(community, django_capture_on_commit_callbacks):
    series = plan(community, count=2)
    first = series.occurrences.order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders(now=first.starts_at - datetime.timedelta(hours=2))
    notification = Notification.objects.filter(kind="meetings.reminder").first()
    assert notification is not None
    assert first.facilitator.name in notification.message


def test_roles_are_given_to_members_only(community, other_member):
    series = plan(community, count=2)
    meeting = series.occurrences.first()
    with pytest.raises(ValidationError):
        services.assign_roles(community.lead, meeting, facilitator=other_member)
    meeting.refresh_from_db()
    assert meeting.facilitator != other_member
