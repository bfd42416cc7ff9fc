"""Community-level permissions: every check in views, templates and services uses these names."""

import rules

from cercles.accounts.rules import is_coordinator, is_member
from cercles.core.models import one_or_none

from .lifecycle import EDITABLE_STATES, JOINABLE_STATES, PUBLISHED_STATES, State
from .models import LEADING_ROLES, Membership, MembershipStatus, Role, Visibility


def membership_of(user, community):
    """The person's membership of the community (any status), cached on the community object."""
    if community is None or not user.is_authenticated:
        return None
    cache = community.__dict__.setdefault("_membership_cache", {})
    if user.pk not in cache:
        cache[user.pk] = one_or_none(Membership.objects.filter(community=community, user=user))
    return cache[user.pk]


def _has_role(*roles):
    @rules.predicate(name=f"has_role_{'_'.join(roles)}")
    def predicate(user, community):
        membership = membership_of(user, community)
        return bool(
            membership and membership.status == MembershipStatus.ACTIVE and membership.role in roles
        )

    return predicate


is_lead = _has_role(Role.LEAD)
is_leading = _has_role(*LEADING_ROLES)
is_core_or_leading = _has_role(Role.LEAD, Role.CO_LEAD, Role.CORE)
is_active_member = _has_role(*Role.values)


@rules.predicate
def is_pending(user, community):
    membership = membership_of(user, community)
    return bool(membership and membership.status == MembershipStatus.PENDING)


@rules.predicate
def is_published(user, community):
    return community is not None and community.state in PUBLISHED_STATES


@rules.predicate
def is_joinable(user, community):
    return community is not None and community.state in JOINABLE_STATES


@rules.predicate
def is_editable(user, community):
    return community is not None and community.state in EDITABLE_STATES


@rules.predicate
def awaits_submission(user, community):
    return community is not None and community.state in (State.DRAFT, State.CHANGES_REQUESTED)


@rules.predicate
def is_in_review(user, community):
    return community is not None and community.state == State.IN_REVIEW


@rules.predicate
def is_open(user, community):
    return community is not None and community.state == State.OPEN


@rules.predicate
def is_running(user, community):
    return community is not None and community.state in (State.OPEN, State.ACTIVE)


@rules.predicate
def is_ended(user, community):
    return community is not None and community.state in (State.CLOSED, State.DISSOLVED)


@rules.predicate
def is_public(user, community):
    return community is not None and community.visibility == Visibility.PUBLIC


@rules.predicate
def is_readable_by_network(user, community):
    return community is not None and community.visibility in (Visibility.NETWORK, Visibility.PUBLIC)


can_see_presentation = is_coordinator | is_leading | (is_published & (is_public | is_member))
can_see_content = (
    is_coordinator | is_active_member | (is_published & is_readable_by_network & is_member)
)

rules.add_perm("communities.propose_community", is_member)
rules.add_perm("communities.view_presentation", can_see_presentation)
rules.add_perm("communities.view_content", can_see_content)
rules.add_perm("communities.edit_framing", is_leading & is_editable)
rules.add_perm("communities.edit_next_steps", is_leading & is_running)
rules.add_perm("communities.submit_framing", is_leading & awaits_submission)
rules.add_perm("communities.review_community", is_coordinator & ~is_leading & is_in_review)
rules.add_perm("communities.view_review_queue", is_coordinator)
rules.add_perm(
    "communities.join_community",
    is_member & is_joinable & ~is_active_member & ~is_pending,
)
rules.add_perm("communities.approve_members", is_leading & is_running)
rules.add_perm("communities.invite_members", is_leading & is_running)
rules.add_perm("communities.invite_co_lead", is_lead & (is_editable | is_in_review))
rules.add_perm("communities.change_roles", is_leading & is_running)
rules.add_perm("communities.remove_members", is_leading & is_running)
rules.add_perm("communities.hand_over_leadership", is_lead & (is_editable | is_in_review))
rules.add_perm("communities.leave_community", is_active_member & ~is_lead)
rules.add_perm("communities.change_own_involvement", is_active_member)
rules.add_perm("communities.activate_community", is_leading & is_open)
rules.add_perm("communities.close_community", is_leading & is_running)
rules.add_perm("communities.archive_community", (is_leading | is_coordinator) & is_ended)
rules.add_perm("communities.plan_milestones", is_core_or_leading & is_running)
rules.add_perm("communities.import_members", (is_leading | is_coordinator) & is_running)
rules.add_perm("communities.export_community", is_leading | is_coordinator)
