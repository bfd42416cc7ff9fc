"""The leads' circle: its members follow the running communities' leads and co-leads (and the
coordinators), it reuses discussions and meetings, it shows in a lead's navigation once two
communities run; and the friendly reminders to quiet communities."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, MembershipStatus, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.coordination.figures import refresh_figures
from cercles.coordination.leads_circle import leads_circle, navigation_link, sync_leads_circle
from cercles.coordination.models import FollowUpNote
from cercles.coordination.nudges import send_nudges
from cercles.notifications.models import Notification

pytestmark = pytest.mark.django_db


def active_members(circle):
    return {m.user_id: m.role for m in circle.memberships.filter(status=MembershipStatus.ACTIVE)}


def test_the_circle_gathers_leads_co_leads_and_coordinators():
    coordinator = CoordinatorFactory()
    running = CommunityFactory()
    co_lead = add_member(running, Role.CO_LEAD).user
    draft = CommunityFactory(state=State.DRAFT)
    member = add_member(running, Role.INNER).user
    circle = sync_leads_circle()
    members = active_members(circle)
    assert members[coordinator.pk] == Role.LEAD
    assert members[running.lead_id] == Role.INNER
    assert members[co_lead.pk] == Role.INNER
    assert draft.lead_id not in members and member.pk not in members


def test_the_circle_follows_the_communities_state():
    CoordinatorFactory()
    community = CommunityFactory(state=State.OPEN)
    circle = sync_leads_circle()
    assert community.lead_id in active_members(circle)
    Community.objects.filter(pk=community.pk).update(state=State.CLOSED)
    sync_leads_circle()
    assert community.lead_id not in active_members(circle)


def test_a_new_co_lead_joins_the_circle_through_the_signal(django_capture_on_commit_callbacks):
    CoordinatorFactory()
    community = CommunityFactory()
    circle = sync_leads_circle()
    with django_capture_on_commit_callbacks(execute=True):
        membership = add_member(community, Role.CO_LEAD)
    assert membership.user_id in active_members(circle)


def test_the_circle_is_not_in_the_catalogue_nor_on_the_dashboard(client):
    coordinator = CoordinatorFactory()
    CommunityFactory()
    circle = sync_leads_circle()
    assert circle not in Community.objects.published()
    client.force_login(coordinator)
    refresh_figures()
    rows = client.get(reverse("follow_up:dashboard")).context["rows"]
    assert circle.pk not in [r.community.pk for r in rows]


def test_the_circle_shows_in_a_leads_navigation_once_two_communities_run(
    client, django_capture_on_commit_callbacks
):
    CoordinatorFactory()
    first = CommunityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        sync_leads_circle()
    assert navigation_link(first.lead) is None
    CommunityFactory(state=State.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        sync_leads_circle()
    title, url = navigation_link(first.lead)
    assert url == leads_circle().get_absolute_url()
    client.force_login(first.lead)
    assert url in client.get(reverse("communities:catalogue")).content.decode()


def test_the_circle_holds_workshops_with_discussions_and_meetings(client):
    CoordinatorFactory()
    first, second = CommunityFactory(), CommunityFactory()
    circle = sync_leads_circle()
    client.force_login(first.lead)
    assert client.get(circle.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:list", args=[circle.slug])).status_code == 200
    assert client.get(reverse("discussions:thread_list", args=[circle.slug])).status_code == 200
    outsider = add_member(second, Role.INNER).user
    client.force_login(outsider)
    assert client.get(reverse("meetings:list", args=[circle.slug])).status_code == 404


# --- nudges --------------------------------------------------------------------------------------


def quiet_community():
    community = CommunityFactory()
    Community.objects.filter(pk=community.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )
    return community


def test_a_quiet_community_gets_one_friendly_reminder_a_week(django_capture_on_commit_callbacks):
    community = quiet_community()
    refresh_figures()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_nudges() == 1
        assert send_nudges() == 0  # not twice in a week
    assert (
        Notification.objects.filter(recipient=community.lead, kind="coordination.nudge").count()
        == 1
    )
    note = FollowUpNote.objects.get(community=community)
    assert note.kind == FollowUpNote.Kind.NUDGE and note.recipient == community.lead
    assert send_nudges(now=timezone.now() + datetime.timedelta(days=8)) == 1


def test_the_coordinator_sees_the_reminder_on_the_follow_up_page(client):
    community = quiet_community()
    refresh_figures()
    send_nudges()
    client.force_login(CoordinatorFactory())
    page = client.get(reverse("follow_up:community", args=[community.slug])).content.decode()
    assert "Rappel envoyé" in page or "Reminder sent" in page


def test_a_lively_community_gets_no_reminder():
    community = CommunityFactory()
    Community.objects.filter(pk=community.pk).update(next_steps_updated_at=timezone.now())
    refresh_figures()
    assert send_nudges() == 0
