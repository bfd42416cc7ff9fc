"""The lifecycle of a community as data: its states and the transitions allowed between them."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    OPEN = "open", _("Open")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")
    DECLINED = "declined", _("Declined")
    DISSOLVED = "dissolved", _("Dissolved")


# Shown in the catalogue and to non-members, once validated by the coordinators.
PUBLISHED_STATES = (State.OPEN, State.ACTIVE, State.CLOSED, State.ARCHIVED, State.DISSOLVED)
JOINABLE_STATES = (State.OPEN, State.ACTIVE)
# The framing may be edited by its leads (not while coordinators are reviewing it).
EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED, State.OPEN, State.ACTIVE)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple
    target: str
    permission: str
    label: str
    reason_required: bool = False
    # Review steps notify through their own services (submission, decision); the others are
    # announced to every member.
    announced_to_members: bool = True


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", (State.DRAFT, State.CHANGES_REQUESTED), State.IN_REVIEW,
                   "communities.submit_framing", _("Submit for review"),
                   announced_to_members=False),
        Transition("validate", (State.IN_REVIEW,), State.OPEN,
                   "communities.review_community", _("Validate"), announced_to_members=False),
        Transition("request_changes", (State.IN_REVIEW,), State.CHANGES_REQUESTED,
                   "communities.review_community", _("Request changes"), reason_required=True,
                   announced_to_members=False),
        Transition("decline", (State.IN_REVIEW,), State.DECLINED,
                   "communities.review_community", _("Decline"), reason_required=True,
                   announced_to_members=False),
        Transition("activate", (State.OPEN,), State.ACTIVE,
                   "communities.activate_community", _("Mark as active")),
        Transition("close", (State.ACTIVE,), State.CLOSED,
                   "communities.close_community", _("Close"), reason_required=True),
        Transition("dissolve", (State.OPEN, State.ACTIVE), State.DISSOLVED,
                   "communities.close_community", _("Dissolve"), reason_required=True),
        Transition("archive", (State.CLOSED, State.DISSOLVED), State.ARCHIVED,
                   "communities.archive_community", _("Archive")),
    ]
}  # fmt: skip


def allowed_transitions(state):
    return [t for t in TRANSITIONS.values() if state in t.sources]
