import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import services
from cercles.communities.models import Community, Role
from cercles.communities.notifying import MembershipProvider, remind_next_steps
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.notifications import services as notification_services
from cercles.notifications.kinds import Delivery, Level
from cercles.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONTH_AGO = timezone.now() - datetime.timedelta(days=40)


def stale_community(**fields):
    community = CommunityFactory(**fields)
    Community.objects.filter(pk=community.pk).update(created_at=MONTH_AGO)
    return community


def test_leads_are_reminded_once_a_month_when_next_steps_are_stale():
    community = stale_community()
    colead = UserFactory()
    add_member(community, Role.CO_LEAD, user=colead)
    add_member(community, Role.INNER)
    assert remind_next_steps() == 1
    reminded = set(
        Notification.objects.filter(kind="communities.next_steps_reminder").values_list(
            "recipient_id", flat=True
        )
    )
    assert reminded == {community.lead_id, colead.pk}
    assert remind_next_steps() == 0  # not twice in the month
    assert remind_next_steps(now=timezone.now() + datetime.timedelta(days=31)) == 1


def test_no_reminder_when_the_next_steps_were_updated_recently():
    community = stale_community()
    services.update_next_steps(community.lead, community, "Atelier en avril.")
    assert remind_next_steps() == 0


def test_the_reminder_honours_the_preferences(django_capture_on_commit_callbacks):
    community = stale_community()
    notification_services.set_preference(community.lead, "plan", Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        remind_next_steps()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_roles_and_places_come_in_one_query_each(django_assert_num_queries):
    community = CommunityFactory()
    people = [add_member(community, Role.OUTER).user for _ in range(5)]
    provider = MembershipProvider()
    with django_assert_num_queries(1):
        roles = provider.roles_in(community.pk, [p.pk for p in people] + [community.lead_id])
    assert roles[community.lead_id] == Role.LEAD and roles[people[0].pk] == Role.OUTER
    with django_assert_num_queries(1):
        places = provider.places_of([p.pk for p in people])
    assert places[people[0].pk][community.pk].title == community.title


def test_defaults_follow_the_role_in_the_community(django_capture_on_commit_callbacks):
    community = CommunityFactory()
    outer = add_member(community, Role.OUTER).user
    inner = add_member(community, Role.INNER).user
    muted = add_member(community, Role.INNER).user
    notification_services.set_community_level(muted, community.pk, Level.MUTE)
    with django_capture_on_commit_callbacks(execute=True):
        notification_services.notify(
            [community.lead, outer, inner, muted],
            "meetings.planned",
            community="Eau",
            meeting="Rencontre",
            meeting_kind="regular",
            community_id=community.pk,
        )
    deliveries = dict(Notification.objects.values_list("recipient_id", "delivery"))
    assert deliveries == {
        community.lead_id: Delivery.IMMEDIATE,
        inner.pk: Delivery.IMMEDIATE,
        outer.pk: Delivery.WEEKLY,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([community.lead.email, inner.email])
