import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.archive import CommunityArchived
from cercles.communities.lifecycle import State
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.models import AuditEvent
from cercles.reporting import services
from cercles.reporting.models import Stage, StageOverride, ValueKind, ValueStory

from .factories import ValueStoryFactory

pytestmark = pytest.mark.django_db


def test_a_member_tells_a_story():
    community = CommunityFactory()
    member = add_member(community, Role.OUTER).user
    story = services.tell_story(
        member, community, title=" Un registre ", happened="Nous tenons un registre.",
        value_kind=ValueKind.APPLIED, evidence="Photo",
    )  # fmt: skip
    assert story.title == "Un registre"
    assert story.author == member
    assert AuditEvent.objects.filter(action="story.told").exists()


def test_an_outsider_cannot_tell_a_story():
    community = CommunityFactory()
    with pytest.raises(PermissionDenied):
        services.tell_story(
            UserFactory(), community, title="x", happened="y", value_kind=ValueKind.IMMEDIATE
        )
    assert not ValueStory.objects.exists()


def test_an_unknown_value_kind_is_refused():
    community = CommunityFactory()
    with pytest.raises(ValidationError):
        services.tell_story(community.lead, community, title="x", happened="y", value_kind="magic")
    assert not ValueStory.objects.exists()


def test_no_story_in_an_archived_community():
    community = CommunityFactory(state=State.ARCHIVED)
    with pytest.raises(CommunityArchived):
        services.tell_story(
            community.lead, community, title="x", happened="y", value_kind=ValueKind.IMMEDIATE
        )


def test_the_lead_features_and_unfeatures_a_story():
    story = ValueStoryFactory()
    services.feature_story(story.community.lead, story)
    story.refresh_from_db()
    assert story.is_featured and story.featured_by == story.community.lead
    services.feature_story(story.community.lead, story, featured=False)
    story.refresh_from_db()
    assert not story.is_featured


def test_a_member_cannot_feature():
    story = ValueStoryFactory()
    member = add_member(story.community, Role.CORE).user
    with pytest.raises(PermissionDenied):
        services.feature_story(member, story)
    story.refresh_from_db()
    assert not story.is_featured


def test_override_needs_a_reason_and_a_known_stage():
    community = CommunityFactory()
    coordinator = CoordinatorFactory()
    with pytest.raises(ValidationError) as error:
        services.override_stage(coordinator, community, stage=Stage.MATURING, reason="   ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.override_stage(coordinator, community, stage="adolescence", reason="Parce que")
    assert "stage" in error.value.message_dict
    assert not StageOverride.objects.exists()


def test_override_then_clear():
    community = CommunityFactory()
    coordinator = CoordinatorFactory()
    services.override_stage(coordinator, community, stage=Stage.MATURING, reason="Vu sur place")
    services.override_stage(coordinator, community, stage=Stage.STEWARDSHIP, reason="Mieux")
    override = StageOverride.objects.get()
    assert (override.stage, override.reason, override.set_by) == (
        Stage.STEWARDSHIP, "Mieux", coordinator,
    )  # fmt: skip
    assert services.clear_stage_override(coordinator, community)
    assert not StageOverride.objects.exists()


def test_only_coordinators_override():
    community = CommunityFactory()
    with pytest.raises(PermissionDenied):
        services.override_stage(community.lead, community, stage=Stage.MATURING, reason="x")


def test_counts_by_community_in_one_query(django_assert_num_queries):
    a, b = CommunityFactory(), CommunityFactory()
    ValueStoryFactory(community=a, value_kind=ValueKind.APPLIED)
    ValueStoryFactory(community=a, value_kind=ValueKind.APPLIED)
    ValueStoryFactory(community=b, value_kind=ValueKind.REFRAMING)
    with django_assert_num_queries(1):
        counts = ValueStory.objects.counts_by_community([a.pk, b.pk])
    assert counts[a.pk][ValueKind.APPLIED] == 2
    assert counts[b.pk][ValueKind.REFRAMING] == 1
    assert counts[b.pk][ValueKind.IMMEDIATE] == 0
