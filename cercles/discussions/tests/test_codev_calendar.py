"""Co-development sessions have a planned end (issue 11, seed 004): suggestions close on a date
and the follow-up falls on another, both announced at creation, with reminders."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.discussions import services
from cercles.discussions.models import PostKind, Thread
from cercles.notifications.models import Notification

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def start(presenter, community, **dates):
    return services.start_codev(
        presenter, community, title="Relancer un comité", context="Le comité dort.",
        question="Comment ?", **dates,
    )  # fmt: skip


def test_the_planned_end_is_set_and_announced_at_creation():
    community = CommunityFactory()
    presenter = add_member(community, Role.INNER).user
    thread = start(presenter, community, suggestions_close_on=days(7), follow_up_on=days(30))
    assert thread.suggestions_close_on == days(7) and thread.follow_up_on == days(30)
    assert timezone.localdate(thread.follow_up_due_at) == days(30)
    problem = thread.posts.get(kind=PostKind.PROBLEM)
    assert "### " in problem.body and str(days(30).year) in problem.body


def test_defaults_give_a_planned_end():
    community = CommunityFactory()
    thread = start(add_member(community, Role.INNER).user, community)
    assert thread.suggestions_close_on > timezone.localdate()
    assert thread.follow_up_on > thread.suggestions_close_on


def test_a_follow_up_before_the_suggestions_close_is_refused_and_nothing_is_created():
    community = CommunityFactory()
    presenter = add_member(community, Role.INNER).user
    with pytest.raises(ValidationError) as raised:
        start(presenter, community, suggestions_close_on=days(20), follow_up_on=days(10))
    assert "follow_up_on" in raised.value.message_dict
    assert not Thread.objects.exists()


def test_the_form_shows_the_error_beside_the_field_and_keeps_the_input(client):
    community = CommunityFactory()
    client.force_login(add_member(community, Role.INNER).user)
    response = client.post(
        reverse("discussions:codev_create", args=[community.slug]),
        {"title": "Relancer", "context": "Le comité dort.", "question": "Comment ?",
         "suggestions_close_on": days(20).isoformat(), "follow_up_on": days(10).isoformat()},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["follow_up_on"]
    assert form["title"].value() == "Relancer"
    assert not Thread.objects.exists()


def test_after_the_close_a_reply_is_a_message_and_the_presenter_is_reminded_once():
    community = CommunityFactory()
    presenter = add_member(community, Role.INNER).user
    peer = add_member(community, Role.OUTER).user
    thread = start(presenter, community, suggestions_close_on=days(2), follow_up_on=days(20))
    assert services.reply(peer, thread, body="Une fête de l'eau.").kind == PostKind.SUGGESTION
    Thread.objects.filter(pk=thread.pk).update(suggestions_close_on=days(-1))
    thread.refresh_from_db()
    assert services.reply(peer, thread, body="Trop tard ?").kind == PostKind.MESSAGE
    assert services.remind_closed_suggestions() == 1
    assert services.remind_closed_suggestions() == 0
    assert Notification.objects.filter(
        recipient=presenter, kind="discussions.suggestions_closed"
    ).exists()
    # The follow-up reminder falls on the planned day.
    assert services.remind_follow_ups() == 0
    later = thread.follow_up_due_at + datetime.timedelta(minutes=1)
    assert services.remind_follow_ups(later) == 1
