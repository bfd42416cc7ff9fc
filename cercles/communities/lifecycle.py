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
    # A running community whose health review decided to evolve, or an archived one reopened
    # for a new season: its framing is revised, then reviewed again by the coordinators.
    REFRAMING = "reframing", _("Being reframed")


# Shown in the catalogue and to non-members, once validated by the coordinators.
PUBLISHED_STATES = (
    State.OPEN, State.ACTIVE, State.REFRAMING, State.CLOSED, State.ARCHIVED, State.DISSOLVED,
)  # fmt: skip
JOINABLE_STATES = (State.OPEN, State.ACTIVE)
# The framing may be edited by its leads (not while coordinators are reviewing it).
EDITABLE_STATES = (
    State.DRAFT, State.CHANGES_REQUESTED, State.OPEN, State.ACTIVE, State.REFRAMING,
)  # fmt: skip
# Awaiting a (new) submission to the coordinators.
SUBMITTABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED, State.REFRAMING)
# Ended, with a final record: what the network library keeps.
ENDED_STATES = (State.CLOSED, State.DISSOLVED, State.ARCHIVED)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple
    target: str
    permission: str
    label: str
    reason_required: bool = False
    # Review steps notify through their own services (submission, decision), and so does
    # closing (a warm message with the final record); the others are announced to every member.
    announced_to_members: bool = True
    # Closing and archiving need the final record (services.close_community writes it first).
    needs_final_record: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", SUBMITTABLE_STATES, State.IN_REVIEW,
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
                   "communities.close_community", _("Close"), announced_to_members=False,
                   needs_final_record=True),
        Transition("dissolve", (State.OPEN, State.ACTIVE), State.DISSOLVED,
                   "communities.dissolve_community", _("Dissolve"), reason_required=True,
                   announced_to_members=False, needs_final_record=True),
        Transition("archive", (State.CLOSED, State.DISSOLVED), State.ARCHIVED,
                   "communities.archive_community", _("Archive"), needs_final_record=True),
        Transition("reframe", (State.OPEN, State.ACTIVE), State.REFRAMING,
                   "communities.reframe_community", _("Reframe"), reason_required=True),
        Transition("reopen", (State.ARCHIVED,), State.REFRAMING,
                   "communities.reopen_community", _("Reopen for a new season")),
    ]
}  # fmt: skip


def allowed_transitions(state):
    return [t for t in TRANSITIONS.values() if state in t.sources]
