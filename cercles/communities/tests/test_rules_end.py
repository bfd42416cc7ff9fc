"""Permission matrices of the end of a community (issue 13): closing, dissolving, the final
record, archiving and its grace period, reopening, health reviews; and the archive rule."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import FinalRecord, HealthReview, Role
from cercles.communities.rules import is_writable

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db


def matrix(permission, community):
    everyone = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "outer": add_member(community, Role.OUTER).user,
        "inner": add_member(community, Role.INNER).user,
        "core": add_member(community, Role.CORE).user,
        "co_lead": add_member(community, Role.CO_LEAD).user,
        "lead": community.lead,
        "coordinator": CoordinatorFactory(),
        "former": add_member(community, Role.INNER, status="left").user,
    }
    return {name for name, person in everyone.items() if person.has_perm(permission, community)}


def ended(state, given=True):
    community = CommunityFactory(state=state, closed_on=timezone.localdate())
    FinalRecord.objects.create(
        community=community, achievements="Fait" if given else "", reason="x",
        given_at=timezone.now() if given else None,
    )  # fmt: skip
    return community


@pytest.mark.parametrize(
    ("permission", "state", "allowed"),
    [
        ("communities.close_community", State.ACTIVE, {"lead", "co_lead"}),
        ("communities.close_community", State.ARCHIVED, set()),
        ("communities.dissolve_community", State.ACTIVE, {"coordinator"}),
        ("communities.dissolve_community", State.CLOSED, set()),
        ("communities.write_final_record", State.ACTIVE, {"lead", "co_lead", "coordinator"}),
        ("communities.fill_health_review", State.ACTIVE, {"lead", "co_lead", "core"}),
        ("communities.fill_health_review", State.ARCHIVED, set()),
        (
            "communities.view_health_reviews",
            State.ACTIVE,
            {"lead", "co_lead", "core", "coordinator"},
        ),  # noqa: E501
        ("communities.reframe_community", State.ACTIVE, {"lead", "co_lead", "core"}),
        ("communities.reopen_community", State.ACTIVE, set()),
        ("communities.set_archive_grace", State.ACTIVE, set()),
    ],
)
def test_who_may_end_a_running_community(permission, state, allowed):
    assert matrix(permission, CommunityFactory(state=state)) == allowed


def test_the_lead_dissolves_once_a_health_review_decided_it():
    community = CommunityFactory()
    HealthReview.objects.create(community=community, decision="dissolve", ratings={})
    assert matrix("communities.dissolve_community", community) == {
        "lead",
        "co_lead",
        "coordinator",
    }


@pytest.mark.parametrize(
    ("permission", "state", "given", "allowed"),
    [
        ("communities.write_final_record", State.CLOSED, True, {"lead", "co_lead", "coordinator"}),
        ("communities.write_final_record", State.ARCHIVED, True, set()),
        ("communities.archive_community", State.CLOSED, True, {"lead", "co_lead", "coordinator"}),
        ("communities.archive_community", State.DISSOLVED, False, set()),
        ("communities.set_archive_grace", State.DISSOLVED, False, {"coordinator"}),
        ("communities.reopen_community", State.ARCHIVED, True, {"lead", "co_lead", "coordinator"}),
        ("communities.view_presentation", State.ARCHIVED, True,
         {"outsider", "outer", "inner", "core", "co_lead", "lead", "coordinator", "former"}),
    ],
)  # fmt: skip
def test_who_may_act_on_an_ended_community(permission, state, given, allowed):
    assert matrix(permission, ended(state, given)) == allowed


WRITES = [
    "communities.edit_framing", "communities.edit_next_steps", "communities.join_community",
    "communities.approve_members", "communities.invite_members", "communities.change_roles",
    "communities.remove_members", "communities.leave_community",
    "communities.change_own_involvement", "communities.plan_milestones",
    "discussions.start_thread", "meetings.plan_meeting", "library.add_item",
    "library.add_production", "surveys.create_survey", "coordination.post_update",
    "seasons.plan_seasons",
]  # fmt: skip


@pytest.mark.parametrize("permission", WRITES)
def test_no_write_permission_holds_in_an_archived_community(permission):
    community = CommunityFactory()
    everyone_before = matrix(permission, community)
    assert everyone_before, f"{permission} should be held by someone in an active community"
    community.state = State.ARCHIVED
    community.save()
    assert matrix(permission, community) == set()


def test_the_archive_predicate_reads_the_community_of_anything_in_it():
    community = CommunityFactory(state=State.ARCHIVED)
    milestone = community.milestones.first()
    assert not is_writable.test(None, community)
    assert not is_writable.test(None, milestone)
    assert is_writable.test(None, None)
    assert is_writable.test(None, CommunityFactory().milestones.first())
