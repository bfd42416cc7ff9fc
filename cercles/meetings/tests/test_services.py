import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cercles.communities.lifecycle import State
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.models import AuditEvent
from cercles.meetings import services
from cercles.meetings.models import RSVP, Answer, Attendance, CalendarFeed, Meeting, MeetingKind
from cercles.notifications.models import Notification

from .factories import MeetingFactory, past

pytestmark = pytest.mark.django_db


def soon(days=3, hours=0):
    return (timezone.now() + datetime.timedelta(days=days, hours=hours)).replace(microsecond=0)


def plan(actor, community, **overrides):
    fields = {
        "kind": MeetingKind.REGULAR,
        "title": "Rencontre de mars",
        "starts_at": soon(),
        "ends_at": soon(hours=2),
        "time_zone": "Africa/Niamey",
        "place": "Niamey",
        "online_url": "",
        "agenda": "",
        **overrides,
    }
    return services.plan_meeting(actor, community, **fields)


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def inner(community):
    return add_member(community, Role.INNER).user


def test_plan_meeting_notifies_members(community, inner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = plan(community.lead, community)
    assert meeting.created_by == community.lead
    note = Notification.objects.get(kind="meetings.planned")
    assert note.recipient == inner  # not the organiser
    assert note.params["meeting"] == "Rencontre de mars"
    assert note.url == meeting.get_absolute_url()
    assert AuditEvent.objects.filter(action="meeting.planned").exists()


@pytest.mark.parametrize("role", [Role.LEAD, Role.CO_LEAD, Role.CORE])
def test_organisers_may_plan(community, role):
    actor = community.lead if role == Role.LEAD else add_member(community, role).user
    assert plan(actor, community).pk


@pytest.mark.parametrize("role", [Role.INNER, Role.OUTER])
def test_members_may_not_plan(community, role):
    with pytest.raises(PermissionDenied):
        plan(add_member(community, role).user, community)
    assert not Meeting.objects.exists()


def test_coordinator_who_is_not_a_member_may_not_plan(community, coordinator):
    with pytest.raises(PermissionDenied):
        plan(coordinator, community)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": soon(days=2)}, "ends_at"),  # ends before it starts
        ({"starts_at": soon(days=-1), "ends_at": soon(days=-1, hours=1)}, "starts_at"),  # past
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "ftp://example.org/x"}, "online_url"),
        ({"place": "", "online_url": ""}, "place"),
    ],
)
def test_plan_meeting_bad_input(community, overrides, field):
    with pytest.raises(ValidationError) as error:
        plan(community.lead, community, **overrides)
    assert field in error.value.message_dict
    assert not Meeting.objects.exists()


def test_only_one_kick_off(community):
    plan(community.lead, community, kind=MeetingKind.KICK_OFF)
    with pytest.raises(ValidationError) as error:
        plan(community.lead, community, kind=MeetingKind.KICK_OFF)
    assert "kind" in error.value.message_dict


def test_update_notifies_only_for_time_or_place(
    community, inner, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(community.lead, meeting, agenda="Nouvel ordre du jour")
    assert not Notification.objects.filter(kind="meetings.changed").exists()
    assert meeting.sequence == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(community.lead, meeting, place="Salle B, mairie de Niamey")
    assert Notification.objects.get(kind="meetings.changed").params["change"] == "moved"
    assert meeting.sequence == 1


def test_moving_a_meeting_resets_its_reminder(community):
    meeting = MeetingFactory(community=community, reminder_sent_at=timezone.now())
    services.update_meeting(
        community.lead, meeting, starts_at=soon(days=9), ends_at=soon(days=9, hours=1)
    )
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at is None


def test_update_refuses_bad_input_and_changes_nothing(community):
    meeting = MeetingFactory(community=community)
    before = meeting.ends_at
    with pytest.raises(ValidationError):
        services.update_meeting(community.lead, meeting, ends_at=meeting.starts_at)
    meeting.refresh_from_db()
    assert meeting.ends_at == before


def test_cancel_meeting(community, inner, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(community.lead, meeting, reason="Fête nationale")
    assert meeting.is_cancelled and meeting.sequence == 1
    note = Notification.objects.get(kind="meetings.changed")
    assert note.params["change"] == "cancelled" and note.params["note"] == "Fête nationale"
    with pytest.raises(PermissionDenied):  # cancelled once
        services.cancel_meeting(community.lead, meeting)


def test_rsvp_and_change_of_mind(community, inner):
    meeting = MeetingFactory(community=community)
    services.rsvp(inner, meeting, Answer.YES)
    services.rsvp(inner, meeting, Answer.MAYBE)
    assert RSVP.objects.get(meeting=meeting, user=inner).answer == Answer.MAYBE


def test_rsvp_refused_for_cancelled_or_past_meetings(community, inner):
    cancelled = MeetingFactory(community=community, cancelled_at=timezone.now())
    with pytest.raises(ValidationError, match="annulée"):
        services.rsvp(inner, cancelled, Answer.YES)
    with pytest.raises(ValidationError, match="commencé"):
        services.rsvp(inner, past(community=community), Answer.YES)
    assert not RSVP.objects.exists()


def test_rsvp_refused_to_non_members(community, other_member):
    with pytest.raises(PermissionDenied):
        services.rsvp(other_member, MeetingFactory(community=community), Answer.YES)


def test_rsvp_refuses_unknown_answers(community, inner):
    with pytest.raises(ValidationError):
        services.rsvp(inner, MeetingFactory(community=community), "perhaps")


def test_record_attendance(community, inner, other_member):
    meeting = past(community=community)
    services.record_attendance(community.lead, meeting, [inner.pk])
    assert set(Attendance.objects.filter(present=True).values_list("user", flat=True)) == {inner.pk}
    assert Attendance.objects.filter(user=community.lead, present=False).exists()
    # Again, with a stranger in the list: refused, nothing changed.
    with pytest.raises(ValidationError):
        services.record_attendance(community.lead, meeting, [community.lead.pk, other_member.pk])
    assert Attendance.objects.get(user=community.lead).present is False


def test_attendance_only_after_the_start(community, inner):
    with pytest.raises(ValidationError):
        services.record_attendance(community.lead, MeetingFactory(community=community), [inner.pk])


def test_publish_minutes_notifies_once(community, inner, django_capture_on_commit_callbacks):
    meeting = past(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_minutes(community.lead, meeting, minutes="On a décidé…")
        services.publish_minutes(community.lead, meeting, minutes="On a décidé, corrigé…")
    assert Notification.objects.filter(kind="meetings.minutes").count() == 1
    meeting.refresh_from_db()
    assert meeting.minutes == "On a décidé, corrigé…"


def test_minutes_of_a_regular_meeting_need_text(community):
    with pytest.raises(ValidationError) as error:
        services.publish_minutes(community.lead, past(community=community), minutes="  ")
    assert "minutes" in error.value.message_dict


def test_kick_off_minutes_need_the_formula_and_activate_an_open_community(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory(state=State.OPEN)
    meeting = past(community=community, kind=MeetingKind.KICK_OFF)
    with pytest.raises(ValidationError) as error:
        services.publish_minutes(community.lead, meeting, minutes="", topics="Eau")
    assert set(error.value.message_dict) == {"expectations", "objectives"}
    community.refresh_from_db()
    assert community.state == State.OPEN

    with django_capture_on_commit_callbacks(execute=True):
        activated = services.publish_minutes(
            community.lead,
            meeting,
            minutes="",
            topics="Gestion des forages",
            expectations="Des outils concrets",
            objectives="Un guide en un an",
        )
    assert activated is True
    community.refresh_from_db()
    assert community.state == State.ACTIVE
    meeting.refresh_from_db()
    assert meeting.formula_objectives == "Un guide en un an"


def test_kick_off_minutes_by_a_core_member_leave_activation_to_the_leads():
    community = CommunityFactory(state=State.OPEN)
    core = add_member(community, Role.CORE).user
    meeting = past(community=community, kind=MeetingKind.KICK_OFF)
    activated = services.publish_minutes(
        core, meeting, minutes="", topics="a", expectations="b", objectives="c"
    )
    assert activated is False
    community.refresh_from_db()
    assert community.state == State.OPEN


def test_reminders_are_sent_once(community, inner, django_capture_on_commit_callbacks):
    tomorrow = MeetingFactory(community=community, starts_at=soon(days=0, hours=20))
    MeetingFactory(community=community, starts_at=soon(days=3))  # too far
    MeetingFactory(community=community, starts_at=soon(hours=5), cancelled_at=timezone.now())
    declined = add_member(community).user
    RSVP.objects.create(meeting=tomorrow, user=declined, answer=Answer.NO)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 1
        assert services.send_due_reminders() == 0
    reminded = set(
        Notification.objects.filter(kind="meetings.reminder").values_list("recipient", flat=True)
    )
    assert reminded == {inner.pk, community.lead.pk}
    tomorrow.refresh_from_db()
    assert tomorrow.reminder_sent_at is not None


def test_reminder_job_runs(community, inner, django_capture_on_commit_callbacks):
    from cercles.meetings.tasks import remind_upcoming_meetings

    MeetingFactory(community=community, starts_at=soon(days=0, hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        remind_upcoming_meetings.call_local()
    assert Notification.objects.filter(kind="meetings.reminder").count() == 2


def test_calendar_feed_renew_and_revoke(member):
    first = services.renew_calendar_feed(member)
    second = services.renew_calendar_feed(member)
    assert first.token != second.token
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert services.calendar_feed_of(member) == second
    assert services.revoke_calendar_feed(member) is True
    assert services.calendar_feed_of(member) is None
    assert CalendarFeed.objects.filter(user=member).count() == 2
