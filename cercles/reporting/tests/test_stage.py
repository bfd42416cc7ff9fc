"""The stage of life: the rule on its own (pure facts), then read from the platform."""

import datetime

import pytest
from django.utils import timezone, translation

from cercles.communities.lifecycle import State
from cercles.communities.tests.factories import CommunityFactory
from cercles.library.models import Production, ProductionStatus
from cercles.library.tests.factories import make_production
from cercles.meetings.tests.factories import past
from cercles.reporting.models import Stage, StageOverride
from cercles.reporting.stage import Facts, facts_for, stage_for, stage_of, stages_for

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _english():
    """The reasons are read in English here; the French ones are checked on the pages."""
    with translation.override("en"):
        yield


def ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED])
def test_a_community_being_framed_is_potential(state):
    stage, reason = stage_of(Facts(state=state), TODAY)
    assert stage == Stage.POTENTIAL
    assert "framing" in reason


def test_a_declined_community_is_potential_with_its_reason():
    stage, reason = stage_of(Facts(state=State.DECLINED), TODAY)
    assert stage == Stage.POTENTIAL
    assert "declined" in reason


def test_an_open_community_without_meeting_is_recruiting():
    stage, reason = stage_of(Facts(state=State.OPEN, member_count=4), TODAY)
    assert stage == Stage.POTENTIAL
    assert "recruiting: 4 members" in reason


def test_kick_off_held_is_coalescing():
    facts = Facts(state=State.ACTIVE, first_meeting=ago(20), meetings_recent=1)
    stage, reason = stage_of(facts, TODAY)
    assert stage == Stage.COALESCING
    assert "Kick-off held" in reason


def test_regular_meetings_without_productions_still_coalescing():
    facts = Facts(state=State.ACTIVE, first_meeting=ago(120), meetings_recent=3)
    assert stage_of(facts, TODAY)[0] == Stage.COALESCING


def test_regular_meetings_with_productions_under_way_is_maturing():
    facts = Facts(
        state=State.ACTIVE, first_meeting=ago(150), meetings_recent=2, meetings_before=2,
        productions_under_way=1,
    )  # fmt: skip
    stage, reason = stage_of(facts, TODAY)
    assert stage == Stage.MATURING
    assert "4 in six months" in reason


def test_over_a_year_with_deliveries_and_meetings_is_stewardship():
    facts = Facts(
        state=State.ACTIVE, first_meeting=ago(400), meetings_recent=3, meetings_before=3,
        productions_delivered=2,
    )  # fmt: skip
    stage, reason = stage_of(facts, TODAY)
    assert stage == Stage.STEWARDSHIP
    assert "2 productions delivered" in reason


def test_over_a_year_without_delivery_is_only_maturing():
    facts = Facts(
        state=State.ACTIVE, first_meeting=ago(400), meetings_recent=3, meetings_before=3,
        productions_under_way=1,
    )  # fmt: skip
    assert stage_of(facts, TODAY)[0] == Stage.MATURING


def test_falling_activity_is_transformation():
    facts = Facts(
        state=State.ACTIVE, first_meeting=ago(400), meetings_recent=1, meetings_before=4,
        productions_delivered=2,
    )  # fmt: skip
    stage, reason = stage_of(facts, TODAY)
    assert stage == Stage.TRANSFORMATION
    assert "falling: 1 meetings" in reason


def test_end_near_is_transformation():
    facts = Facts(
        state=State.ACTIVE, first_meeting=ago(300), meetings_recent=3,
        end_date=TODAY + datetime.timedelta(days=30),
    )  # fmt: skip
    stage, reason = stage_of(facts, TODAY)
    assert stage == Stage.TRANSFORMATION
    assert "end is near" in reason


def test_end_far_away_changes_nothing():
    facts = Facts(
        state=State.ACTIVE, first_meeting=ago(20), meetings_recent=1,
        end_date=TODAY + datetime.timedelta(days=300),
    )  # fmt: skip
    assert stage_of(facts, TODAY)[0] == Stage.COALESCING


@pytest.mark.parametrize("state", [State.CLOSED, State.ARCHIVED, State.DISSOLVED, State.REFRAMING])
def test_ended_or_reframed_is_transformation(state):
    assert stage_of(Facts(state=state), TODAY)[0] == Stage.TRANSFORMATION


def test_active_without_any_meeting_is_potential():
    stage, reason = stage_of(Facts(state=State.ACTIVE), TODAY)
    assert stage == Stage.POTENTIAL
    assert "no meeting" in reason


# --- read from the platform ----------------------------------------------------------------


@pytest.mark.django_db
def test_facts_read_meetings_and_productions_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    communities = [CommunityFactory() for _ in range(4)]
    for community in communities:
        past(days=200, community=community)
        past(days=40, community=community)
        past(days=10, community=community)
        production = make_production(community.lead, community)
        Production.objects.filter(pk=production.pk).update(status=ProductionStatus.IN_PROGRESS)
    with django_assert_num_queries(2):
        facts = facts_for(communities)
    fact = facts[communities[0].pk]
    assert fact.meetings_recent == 2
    assert fact.meetings_before == 0
    assert fact.productions_under_way == 1
    assert (
        fact.first_meeting
        == timezone.localtime(timezone.now() - datetime.timedelta(days=200)).date()
    )
    with django_assert_num_queries(3):
        readings = stages_for(communities)
    assert len(readings) == 4


@pytest.mark.django_db
def test_an_override_wins_and_keeps_the_reading_of_the_facts():
    community = CommunityFactory()
    past(days=5, community=community)
    StageOverride.objects.create(
        community=community, stage=Stage.STEWARDSHIP, reason="Animation solide depuis 2019."
    )
    reading = stage_for(community)
    assert reading.stage == Stage.STEWARDSHIP
    assert reading.reason == "Animation solide depuis 2019."
    assert reading.computed == Stage.COALESCING
    assert reading.is_overridden


@pytest.mark.django_db
def test_cancelled_and_future_meetings_do_not_count():
    from cercles.meetings.models import Meeting
    from cercles.meetings.tests.factories import MeetingFactory

    community = CommunityFactory()
    MeetingFactory(community=community)  # next week
    cancelled = past(days=3, community=community)
    Meeting.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    assert stage_for(community).stage == Stage.POTENTIAL
