"""Services of the framing: propose, save, submit, next steps, lifecycle transitions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import services
from cercles.communities.forms_framing import FramingForm, framing_formsets, validate_framing
from cercles.communities.framing import framing_recommendations
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, FramingVersion, Milestone, Role
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(member):
    return services.propose_community(member, title="Jeunes entrepreneurs et économie sociale")


def test_propose_makes_the_proposer_lead_of_a_draft(member, draft):
    assert draft.state == State.DRAFT
    assert draft.lead == member
    assert draft.memberships.get().role == Role.LEAD
    assert draft.member_count == 1
    assert draft.state_changes.get().actor == member


def test_two_proposals_with_the_same_title_get_distinct_stable_slugs(member, draft):
    second = services.propose_community(member, title=draft.title)
    assert second.slug == f"{draft.slug}-2"
    form = FramingForm(
        {"title": "Un tout autre titre", "visibility": "network", "target_size_min": 5,
         "target_size_max": 20},
        instance=draft,
    )  # fmt: skip
    formsets = framing_formsets(draft, _empty_parts())
    assert validate_framing(form, formsets)
    services.save_framing(member, draft, form, *formsets.values())
    draft.refresh_from_db()
    assert draft.title == "Un tout autre titre"
    assert draft.slug == "jeunes-entrepreneurs-et-economie-sociale"


def _empty_parts():
    data = {}
    for prefix in ("milestones", "partnerships", "budget_lines"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_save_framing_needs_the_edit_permission(draft, other_member):
    form = FramingForm(
        {"title": "Piraté", "visibility": "network", "target_size_min": 5, "target_size_max": 20},
        instance=draft,
    )
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        services.save_framing(other_member, draft, form)
    assert Community.objects.get(pk=draft.pk).title != "Piraté"


def test_submit_incomplete_raises_every_problem_and_changes_nothing(member, draft):
    with pytest.raises(ValidationError) as raised:
        services.submit_framing(member, draft)
    problems = raised.value.message_dict
    for field in ["problem_statement", "positioning", "purpose", "kind"]:
        assert field in problems, field
    # Recommended parts are weighed in review, never required (seed 000).
    for field in ["themes", "objective_types", "expected_production_kinds", "end_date",
                  "milestones"]:  # fmt: skip
        assert field not in problems, field
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert draft.submitted_at is None
    assert not FramingVersion.objects.exists()


def test_submit_complete_freezes_version_one_and_notifies_coordinators(
    coordinator, django_capture_on_commit_callbacks
):
    community = CommunityFactory(state=State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_framing(community.lead, community)
    community.refresh_from_db()
    assert community.state == State.IN_REVIEW
    assert community.submitted_at is not None
    version = community.framing_versions.get()
    assert version.number == 1
    assert version.snapshot["title"] == community.title
    assert community.state_changes.get().to_state == State.IN_REVIEW
    notification = Notification.objects.get(recipient=coordinator)
    assert notification.kind == "community.submitted"


def test_submit_refuses_a_milestone_now_in_the_past():
    community = CommunityFactory(state=State.DRAFT)
    Milestone.objects.create(
        community=community,
        title="Oublié",
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as raised:
        services.submit_framing(community.lead, community)
    assert "milestones" in raised.value.message_dict


def test_members_cannot_submit():
    community = CommunityFactory(state=State.DRAFT)
    core = add_member(community, Role.CORE).user
    with pytest.raises(PermissionDenied):
        services.submit_framing(core, community)


def test_activate_records_the_change_and_notifies_members(django_capture_on_commit_callbacks):
    community = CommunityFactory(state=State.OPEN)
    inner = add_member(community, Role.INNER).user
    outer = add_member(community, Role.OUTER).user
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(community.lead, community, "activate", reason="Lancement tenu")
    assert Community.objects.get(pk=community.pk).state == State.ACTIVE
    change = community.state_changes.get()
    assert (change.from_state, change.to_state, change.actor) == (
        State.OPEN,
        State.ACTIVE,
        community.lead,
    )
    notified = set(
        Notification.objects.filter(kind="community.state_changed").values_list(
            "recipient", flat=True
        )
    )
    assert notified == {inner.pk, outer.pk}  # not the lead who did it


def test_transition_from_a_wrong_state_is_refused():
    community = CommunityFactory(state=State.ACTIVE)
    with pytest.raises(ValidationError):
        services.transition(community.lead, community, "activate")
    assert not community.state_changes.exists()


def test_update_next_steps_is_for_leads_of_running_communities():
    community = CommunityFactory(state=State.ACTIVE)
    services.update_next_steps(community.lead, community, "Prochaine réunion le 4")
    community.refresh_from_db()
    assert community.next_steps == "Prochaine réunion le 4"
    assert community.next_steps_updated_at is not None
    with pytest.raises(PermissionDenied):
        services.update_next_steps(add_member(community, Role.CORE).user, community, "Non")
    with pytest.raises(PermissionDenied):
        services.update_next_steps(UserFactory(), community, "Non")


def test_submit_with_only_the_four_required_parts(django_capture_on_commit_callbacks):
    """Seed 000: problem, positioning, purpose and lead (with a title and a kind) are enough."""
    community = CommunityFactory(
        state=State.DRAFT,
        objective_types=[],
        expected_production_kinds=[],
        end_date=None,
        duration_months=None,
    )
    community.themes.clear()
    community.milestones.all().delete()
    services.submit_framing(community.lead, community)
    community.refresh_from_db()
    assert community.state == State.IN_REVIEW
    keys = [key for key, *_rest in framing_recommendations(community)]
    assert keys == ["milestones", "end", "themes", "objective_types", "expected_production_kinds"]


def test_an_open_ended_community_is_not_asked_for_an_end():
    community = CommunityFactory(state=State.DRAFT, end_date=None, duration_months=None)
    assert "end" in [key for key, *_rest in framing_recommendations(community)]
    community.open_ended = True
    community.save()
    assert "end" not in [key for key, *_rest in framing_recommendations(community)]
    services.submit_framing(community.lead, community)
    version = community.framing_versions.get()
    assert "Sans fin prévue" in version.snapshot["dates"]


def test_open_ended_with_an_end_date_is_refused():
    community = CommunityFactory(
        state=State.DRAFT,
        open_ended=True,
        end_date=timezone.localdate() + datetime.timedelta(days=200),
    )
    with pytest.raises(ValidationError) as raised:
        services.submit_framing(community.lead, community)
    assert "open_ended" in raised.value.message_dict
    community.refresh_from_db()
    assert community.state == State.DRAFT
