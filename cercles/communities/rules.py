"""Community-level permissions: every check in views, templates and services uses these names."""

import rules

from cercles.accounts.rules import is_coordinator, is_member
from cercles.core.models import one_or_none

from . import archive
from .lifecycle import (
    EDITABLE_STATES,
    JOINABLE_STATES,
    PUBLISHED_STATES,
    SUBMITTABLE_STATES,
    State,
)
from .models import (
    LEADING_ROLES,
    FinalRecord,
    HealthDecision,
    HealthReview,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)


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
def is_relay(user, community):
    """An active member the lead named relay: they invite people on the community's behalf."""
    membership = membership_of(user, community)
    return bool(membership and membership.status == MembershipStatus.ACTIVE and membership.is_relay)


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
    return community is not None and community.state in SUBMITTABLE_STATES


@rules.predicate
def is_writable(user, obj=None):
    """The archive rule, combined into every write permission of every app: nothing is
    writable in an archived community. Takes a community or anything that belongs to one."""
    return not archive.is_archived(obj)


@rules.predicate
def is_archived(user, community):
    return community is not None and community.state == State.ARCHIVED


@rules.predicate
def is_active_state(user, community):
    return community is not None and community.state == State.ACTIVE


def final_record_of(community):
    """The community's final record or None, cached on the community object."""
    if community is None:
        return None
    if "_final_record" not in community.__dict__:
        community.__dict__["_final_record"] = FinalRecord.objects.filter(
            community=community
        ).first()
    return community.__dict__["_final_record"]


@rules.predicate
def has_given_final_record(user, community):
    record = final_record_of(community)
    return record is not None and record.is_given


def latest_health_review(community):
    if community is None:
        return None
    if "_latest_health_review" not in community.__dict__:
        community.__dict__["_latest_health_review"] = (
            HealthReview.objects.filter(community=community).order_by("-created_at", "-id").first()
        )
    return community.__dict__["_latest_health_review"]


@rules.predicate
def dissolution_decided(user, community):
    """The latest health review decided to dissolve the community."""
    review = latest_health_review(community)
    return review is not None and review.decision == HealthDecision.DISSOLVE


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


@rules.predicate
def is_extra_reader(user, community):
    """A mentor or a third-party guest of the community's accompaniment (see access.py)."""
    from .access import is_extra_reader as reads

    return reads(user, community)


can_see_presentation = (
    is_coordinator
    | is_leading
    | is_active_member
    | (is_published & (is_public | is_member))
    | is_extra_reader
)
can_see_content = (
    is_coordinator
    | is_active_member
    | (is_published & is_readable_by_network & is_member)
    | is_extra_reader
)

rules.add_perm("communities.propose_community", is_member)
rules.add_perm("communities.view_presentation", can_see_presentation)
rules.add_perm("communities.view_content", can_see_content)
# Every permission that changes something ends with `& is_writable` (the archive rule).
rules.add_perm("communities.edit_framing", is_leading & is_editable & is_writable)
rules.add_perm("communities.edit_next_steps", is_leading & is_running & is_writable)
rules.add_perm("communities.submit_framing", is_leading & awaits_submission & is_writable)
rules.add_perm(
    "communities.review_community", is_coordinator & ~is_leading & is_in_review & is_writable
)
rules.add_perm("communities.view_review_queue", is_coordinator)
rules.add_perm(
    "communities.join_community",
    is_member & is_joinable & ~is_active_member & ~is_pending & is_writable,
)
rules.add_perm("communities.approve_members", is_leading & is_running & is_writable)
rules.add_perm("communities.invite_members", (is_leading | is_relay) & is_running & is_writable)
rules.add_perm("communities.manage_relays", is_leading & is_running & is_writable)
# Seed 002: before and while recruiting, the lead keeps a short list of key people to approach.
rules.add_perm(
    "communities.manage_key_people",
    is_leading & (is_editable | is_in_review | is_running) & is_writable,
)
rules.add_perm("communities.view_key_people", is_leading | is_coordinator)
# Seed 001: support from the members' organisations. Each member records their own; the leads
# and the coordinators see how many have it (and the letters).
rules.add_perm("communities.record_support", is_active_member & is_writable)
rules.add_perm("communities.view_support", is_leading | is_coordinator)
rules.add_perm("communities.invite_co_lead", is_lead & (is_editable | is_in_review) & is_writable)
rules.add_perm("communities.change_roles", is_leading & is_running & is_writable)
rules.add_perm("communities.remove_members", is_leading & is_running & is_writable)
rules.add_perm(
    "communities.hand_over_leadership", is_lead & (is_editable | is_in_review) & is_writable
)
rules.add_perm("communities.leave_community", is_active_member & ~is_lead & is_writable)
rules.add_perm("communities.change_own_involvement", is_active_member & is_writable)
rules.add_perm("communities.activate_community", is_leading & is_open & is_writable)
rules.add_perm("communities.plan_milestones", is_core_or_leading & is_running & is_writable)


def _of_task(predicate):
    @rules.predicate(name=f"task_{predicate.name}")
    def on_task(user, task):
        return task is not None and predicate.test(user, task.milestone.community)

    return on_task


@rules.predicate
def owns_task(user, task):
    return task is not None and user.is_authenticated and task.owner_id == user.pk


@rules.predicate
def task_is_unassigned(user, task):
    return task is not None and task.owner_id is None and task.status != "done"


# Seed 000: "permettre l'implication des membres sur les étapes à venir". A task's owner moves it
# through its statuses; any active member takes an unassigned task ("je m'en occupe").
rules.add_perm(
    "communities.move_task",
    _of_task(is_running & is_writable)
    & (_of_task(is_core_or_leading) | (owns_task & _of_task(is_active_member))),
)
rules.add_perm(
    "communities.volunteer_for_task",
    task_is_unassigned & _of_task(is_active_member & is_running & is_writable),
)
# The end of a community (issue 13): closing on a positive note goes through the closing page
# with a final record; dissolving is decided by a health review or by the coordinators.
rules.add_perm("communities.close_community", is_leading & is_running & is_writable)
rules.add_perm(
    "communities.dissolve_community",
    is_running & is_writable & (is_coordinator | (is_leading & dissolution_decided)),
)
rules.add_perm(
    "communities.write_final_record",
    (is_leading | is_coordinator) & (is_running | is_ended) & is_writable,
)
rules.add_perm(
    "communities.archive_community",
    (is_leading | is_coordinator) & is_ended & has_given_final_record & is_writable,
)
rules.add_perm("communities.set_archive_grace", is_coordinator & is_ended & is_writable)
rules.add_perm("communities.reopen_community", (is_leading | is_coordinator) & is_archived)
rules.add_perm("communities.reframe_community", is_core_or_leading & is_running & is_writable)
# Health reviews: filled by the lead, co-lead and core group; every coordinator reads them all.
rules.add_perm("communities.fill_health_review", is_core_or_leading & is_running & is_writable)
rules.add_perm("communities.view_health_reviews", is_core_or_leading | is_coordinator)
rules.add_perm(
    "communities.import_members", (is_leading | is_coordinator) & is_running & is_writable
)
rules.add_perm("communities.export_community", is_leading | is_coordinator)
